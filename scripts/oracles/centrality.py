#!/usr/bin/env python3
"""Reference PageRank and eigenvector centrality (networkx) for weighted directed graphs.

Writes into tests/fixtures/centrality/:
  <name>.edges.csv     source,target,weight   (the exact input; node set = nodes that occur in it)
  <name>.expected.csv  node,pagerank,eigenvector   (sorted by node, string order; repr() floats)
  <name>.meta.json     how each column was produced, graph facts, independent cross-checks

Columns:
  pagerank    = networkx.pagerank(G, alpha=0.85, weight='weight', tol=1e-15, max_iter=10000)
  eigenvector = networkx.eigenvector_centrality(G, weight='weight', tol=1e-15, max_iter=100000)
                fallback if that raises PowerIterationFailedConvergence:
                networkx.eigenvector_centrality_numpy(G, weight='weight') (strongly connected only),
                otherwise the column is left empty (see meta.json "eigenvector_method").

The graph handed to networkx is always rebuilt from the written edges.csv (file order), so the
Rust side and the oracle see bit-identical weights and the same node insertion order
(nodes are inserted in order of first appearance, scanning source then target of each row).

usage: python3 scripts/oracles/centrality.py
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import scipy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ensure_hashseed, DATA, FIXTURES, fnum, log, read_edges, versions, write_edges, write_json  # noqa: E402

OUT = FIXTURES / "centrality"

PR_KW = dict(alpha=0.85, weight="weight", tol=1e-15, max_iter=10000)
EV_KW = dict(weight="weight", tol=1e-15, max_iter=100000)


# ----------------------------------------------------------------------------- graphs

def graph_small():
    """(a) hand-made, 5 nodes, strongly connected, weighted."""
    return [
        ("A", "B", 1.0), ("A", "C", 2.0),
        ("B", "C", 1.0), ("B", "D", 0.5),
        ("C", "A", 3.0), ("C", "D", 1.0),
        ("D", "E", 2.0),
        ("E", "A", 1.0), ("E", "C", 0.5),
    ]


def graph_dangling():
    """(b) dangling nodes (sink1, sink2: no out-edges), a node with no in-edges (src),
    and a node (x) whose only in-edge comes from src. Core {a,b,c} is strongly connected."""
    return [
        ("a", "b", 2.0), ("a", "c", 0.5), ("a", "sink1", 0.3),
        ("b", "c", 1.0), ("b", "a", 1.0), ("b", "sink2", 2.0),
        ("c", "a", 1.5), ("c", "sink1", 1.0),
        ("src", "a", 1.0), ("src", "x", 0.7),
        ("x", "b", 1.0),
    ]


def graph_random(n=1000, m=5000, seed=20240515):
    """(c) seeded random directed graph: m distinct ordered pairs (u != v) drawn uniformly,
    weights uniform in [0.01, 10] rounded to 3 decimals. Uses only random.Random.random(),
    whose output stream is stable across CPython versions for an int seed."""
    rng = random.Random(seed)
    names = [f"n{i:04d}" for i in range(1, n + 1)]
    seen = set()
    edges = []
    while len(edges) < m:
        u = int(rng.random() * n)
        v = int(rng.random() * n)
        w = round(0.01 + rng.random() * 9.99, 3)
        if u == v or (u, v) in seen:
            continue
        seen.add((u, v))
        edges.append((names[u], names[v], w))
    return edges


def graph_trade(year=2014):
    """(d) COW Dyadic Trade v4.0, one year. Edge A->B weight = imports of A from B (current
    million US$): flow1 gives ccode1->ccode2, flow2 gives ccode2->ccode1. Empty or zero flows
    are skipped. Nodes are COW codes as strings. Rows in source-file order, flow1 edge first."""
    path = DATA / "cow" / "cow_trade_v4_dyad_year.csv"
    edges = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["year"] != str(year):
                continue
            a, b = str(int(r["ccode1"])), str(int(r["ccode2"]))
            for s, t, v in ((a, b, r["flow1"]), (b, a, r["flow2"])):
                if v.strip() == "":
                    continue
                w = float(v)
                if w < 0:
                    raise ValueError(f"negative flow {r}")
                if w == 0.0:
                    continue
                edges.append((s, t, w))
    return edges


GRAPHS = {
    "small5": (graph_small, "hand-made 5-node strongly connected weighted digraph"),
    "dangling": (graph_dangling, "dangling sinks (sink1, sink2), in-degree-0 node (src), node fed only by src (x)"),
    "random1000": (graph_random, "seeded random digraph, 1000 nodes, 5000 distinct edges, seed 20240515"),
    "cow_trade_2014": (graph_trade, "COW dyadic trade v4.0, 2014, edge importer->exporter, weight = imports (million US$)"),
}


# ----------------------------------------------------------------------------- cross-checks

def dense_pagerank(G, nodes, alpha=0.85):
    """Direct solve of x = alpha * x M + (1-alpha)/N, M = row-normalised W with dangling rows uniform."""
    N = len(nodes)
    W = nx.to_numpy_array(G, nodelist=nodes, weight="weight")
    s = W.sum(axis=1)
    M = np.where(s[:, None] > 0, W / np.where(s > 0, s, 1)[:, None], 1.0 / N)
    x = np.linalg.solve((np.eye(N) - alpha * M).T, np.full(N, (1 - alpha) / N))
    return x / x.sum()


def dense_eigen(G, nodes):
    """Dominant left eigenvector of W (eigenvector of W^T), unit 2-norm, positive sum."""
    W = nx.to_numpy_array(G, nodelist=nodes, weight="weight")
    vals, vecs = np.linalg.eig(W.T)
    order = np.argsort(-vals.real)
    i = order[0]
    v = vecs[:, i].real
    v = v / (np.sign(v.sum()) * np.linalg.norm(v))
    # power iteration runs on W + I: its rate is |1 + lambda_2| / (1 + lambda_1)
    lam1 = vals[i].real
    rest = np.delete(vals, i)
    rate = float(np.max(np.abs(1 + rest)) / (1 + lam1)) if len(rest) else 0.0
    gap_multiplicity = int(np.sum(np.isclose(vals.real, lam1, rtol=1e-9, atol=1e-12)))
    return v, float(lam1), rate, gap_multiplicity


# ----------------------------------------------------------------------------- main

def min_iterations(fn, G, kw, hi):
    """Smallest max_iter for which fn(G, **kw) converges (binary search on PowerIterationFailedConvergence).
    The iteration is deterministic, so this is the number of iterations networkx performed."""
    lo = 1
    while lo < hi:
        mid = (lo + hi) // 2
        try:
            fn(G, **{**kw, "max_iter": mid})
            hi = mid
        except nx.PowerIterationFailedConvergence:
            lo = mid + 1
    return lo


def process(name, builder, desc):
    edges = builder()
    ep = OUT / f"{name}.edges.csv"
    write_edges(ep, edges)

    G = nx.DiGraph()
    for s, t, w in read_edges(ep):
        G.add_edge(s, t, weight=w)
    nodes = list(G)  # insertion order, as networkx iterates
    N = G.number_of_nodes()

    pr = nx.pagerank(G, **PR_KW)

    ev, ev_method, ev_note = None, None, None
    try:
        ev = nx.eigenvector_centrality(G, **EV_KW)
        ev_method = "networkx.eigenvector_centrality(G, weight='weight', tol=1e-15, max_iter=100000)"
    except nx.PowerIterationFailedConvergence as e:
        ev_note = f"eigenvector_centrality did not converge: {e}"
        log(f"[{name}] {ev_note}")
        if nx.is_strongly_connected(G):
            ev = nx.eigenvector_centrality_numpy(G, weight="weight")
            ev_method = "networkx.eigenvector_centrality_numpy(G, weight='weight')"
        else:
            ev_method = "none (column empty): power iteration failed and graph is not strongly connected"

    pr_iters = min_iterations(nx.pagerank, G, PR_KW, PR_KW["max_iter"])
    ev_iters = min_iterations(nx.eigenvector_centrality, G, EV_KW, EV_KW["max_iter"]) \
        if ev_method.startswith("networkx.eigenvector_centrality(") else None

    # independent cross-checks (dense linear algebra, not networkx)
    x_pr = dense_pagerank(G, nodes)
    pr_diff = float(np.max(np.abs(x_pr - np.array([pr[n] for n in nodes]))))
    v_ev, lam1, rate, mult = dense_eigen(G, nodes)
    ev_diff = float(np.max(np.abs(v_ev - np.array([ev[n] for n in nodes])))) if ev else None

    rows = sorted(nodes)
    with open(OUT / f"{name}.expected.csv", "w", encoding="utf-8", newline="\n") as f:
        f.write("node,pagerank,eigenvector\n")
        for n in rows:
            f.write(f"{n},{fnum(pr[n])},{fnum(ev[n]) if ev else ''}\n")

    dangling = sorted(n for n in nodes if G.out_degree(n, weight="weight") == 0)
    no_in = sorted(n for n in nodes if G.in_degree(n) == 0)
    sccs = list(nx.strongly_connected_components(G))
    meta = {
        "graph": name,
        "description": desc,
        "nodes": N,
        "edges": G.number_of_edges(),
        "self_loops": nx.number_of_selfloops(G),
        "strongly_connected": nx.is_strongly_connected(G),
        "n_strongly_connected_components": len(sccs),
        "largest_scc_size": max(len(c) for c in sccs),
        "dangling_nodes": dangling,
        "nodes_without_in_edges": no_in,
        "pagerank_method": "networkx.pagerank(G, alpha=0.85, weight='weight', tol=1e-15, max_iter=10000)",
        "pagerank_iterations": pr_iters,
        "pagerank_sum": float(sum(pr.values())),
        "eigenvector_method": ev_method,
        "eigenvector_iterations": ev_iters,
        "eigenvector_note": ev_note,
        "crosscheck": {
            "pagerank_dense_solve_max_abs_diff": pr_diff,
            "eigenvector_dense_eig_max_abs_diff": ev_diff,
            "dominant_eigenvalue": lam1,
            "dominant_eigenvalue_multiplicity": mult,
            "power_iteration_rate_on_W_plus_I": rate,
        },
        "versions": versions(nx, np, scipy),
    }
    write_json(OUT / f"{name}.meta.json", meta)
    log(f"[{name}] N={N} E={G.number_of_edges()} scc={len(sccs)} dangling={len(dangling)} no_in={len(no_in)} "
        f"pr_diff={pr_diff:.2e} ev_diff={ev_diff if ev_diff is None else f'{ev_diff:.2e}'} "
        f"iters pr={pr_iters} ev={ev_iters} lam1={lam1:.6g} rate={rate:.6g} ev={ev_method}")
    assert pr_diff < 1e-12, (name, pr_diff)
    if ev_diff is not None:
        assert ev_diff < 1e-9, (name, ev_diff)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (builder, desc) in GRAPHS.items():
        process(name, builder, desc)


if __name__ == "__main__":
    ensure_hashseed()
    main()
