#!/usr/bin/env python3
"""Reference Louvain community detection (networkx) on undirected weighted graphs.

Writes into tests/fixtures/louvain/:
  <name>.edges.csv     source,target,weight  (undirected; each pair once; node set = nodes in it)
  <name>.louvain.json  {"resolution", "seed", "modularity", "communities", "best_modularity", ...}

  communities     = networkx.community.louvain_communities(G, weight='weight', resolution=1.0, seed=42)
                    (threshold = networkx default 1e-7, max_level = None)
                    each community sorted by node name (string order); the list sorted by its first node
  modularity      = networkx.community.modularity(G, communities, weight='weight', resolution=1.0)
  best_modularity = max of the same over seeds 0..19 (best_seed = smallest seed within 1e-12 of it)

Louvain output depends on node visiting order (networkx shuffles nodes with random.Random(seed)),
so a different implementation is not expected to reproduce the partition, only a comparable
modularity. The graph is rebuilt from the written edges.csv in file order, so node insertion
order is: first appearance scanning source then target of each row.

usage: python3 scripts/oracles/louvain.py
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ensure_hashseed, DATA, FIXTURES, log, read_edges, versions, write_edges, write_json  # noqa: E402

OUT = FIXTURES / "louvain"
RESOLUTION = 1.0
SEED = 42
SEEDS = range(20)


def graph_karate():
    """Zachary's karate club as shipped by networkx, every weight set to 1.0 (networkx's own
    'weight' attribute, the interaction counts, is deliberately ignored). Nodes '0'..'33'.
    Edges written with u < v, sorted numerically."""
    K = nx.karate_club_graph()
    pairs = sorted((min(u, v), max(u, v)) for u, v in K.edges())
    return [(str(u), str(v), 1.0) for u, v in pairs], None


def graph_planted(groups=5, size=40, p_in=0.2, p_out=0.01, seed=7):
    """Planted partition: groups*size nodes 'v000'.., node i in group i // size.
    Each unordered pair (i<j) is an edge with prob p_in (same group) or p_out (different);
    weight = round(1 + 4*U, 2). Only random.Random.random() is used (stable across CPython)."""
    rng = random.Random(seed)
    n = groups * size
    names = [f"v{i:03d}" for i in range(n)]
    edges = []
    for i in range(n):
        for j in range(i + 1, n):
            p = p_in if i // size == j // size else p_out
            r = rng.random()
            w = round(1 + 4 * rng.random(), 2)
            if r < p:
                edges.append((names[i], names[j], w))
    planted = [sorted(names[g * size:(g + 1) * size]) for g in range(groups)]
    return edges, planted


def graph_trade(year=2014):
    """COW Dyadic Trade v4.0, undirected: weight = flow1 + flow2 (million US$; an empty flow
    counts as 0), dyads with total 0 are skipped. Nodes are COW codes as strings; rows in
    source-file order with source = ccode1 < target = ccode2."""
    path = DATA / "cow" / "cow_trade_v4_dyad_year.csv"
    edges = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["year"] != str(year):
                continue
            f1 = float(r["flow1"]) if r["flow1"].strip() else 0.0
            f2 = float(r["flow2"]) if r["flow2"].strip() else 0.0
            if f1 < 0 or f2 < 0:
                raise ValueError(f"negative flow {r}")
            w = f1 + f2
            if w == 0.0:
                continue
            edges.append((str(int(r["ccode1"])), str(int(r["ccode2"])), w))
    return edges, None


GRAPHS = {
    "karate": (graph_karate, "Zachary karate club (networkx.karate_club_graph), all weights 1"),
    "planted200": (graph_planted, "seeded planted partition, 200 nodes, 5 groups of 40, p_in=0.2, p_out=0.01, weights U[1,5] 2dp, seed 7"),
    "cow_trade_2014": (graph_trade, "COW dyadic trade v4.0, 2014, undirected, weight = flow1 + flow2 (million US$)"),
}


def canon(parts):
    return sorted((sorted(c) for c in parts), key=lambda c: c[0])


def run(G, seed):
    parts = nx.community.louvain_communities(G, weight="weight", resolution=RESOLUTION, seed=seed)
    return canon(parts), nx.community.modularity(G, parts, weight="weight", resolution=RESOLUTION)


def process(name, builder, desc):
    edges, planted = builder()
    ep = OUT / f"{name}.edges.csv"
    write_edges(ep, edges)
    G = nx.Graph()
    for s, t, w in read_edges(ep):
        assert not G.has_edge(s, t), (s, t)
        G.add_edge(s, t, weight=w)

    comms, q = run(G, SEED)
    # determinism check: same seed twice gives the same answer
    assert run(G, SEED) == (comms, q)
    by_seed = [run(G, s)[1] for s in SEEDS]
    best = max(by_seed)
    # smallest seed whose modularity equals the best up to float noise (same partition can
    # give values differing in the last bit because of summation order)
    best_seed = next(s for s, v in zip(SEEDS, by_seed) if best - v <= 1e-12)
    out = {
        "graph": name,
        "description": desc,
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "total_weight": G.size(weight="weight"),
        "resolution": RESOLUTION,
        "seed": SEED,
        "threshold": 1e-7,
        "method": "networkx.community.louvain_communities(G, weight='weight', resolution=1.0, seed=42); "
                  "modularity = networkx.community.modularity(G, communities, weight='weight', resolution=1.0)",
        "modularity": q,
        "n_communities": len(comms),
        "communities": comms,
        "best_modularity": best,
        "best_seed": best_seed,
        "modularity_by_seed": by_seed,
    }
    if planted is not None:
        out["planted_communities"] = planted
        out["seed42_equals_planted"] = comms == canon(planted)
        out["planted_modularity"] = nx.community.modularity(G, planted, weight="weight", resolution=RESOLUTION)
    out["versions"] = versions(nx)
    write_json(OUT / f"{name}.louvain.json", out)
    log(f"[{name}] N={G.number_of_nodes()} E={G.number_of_edges()} k={len(comms)} Q(seed42)={q:.6f} "
        f"best={best:.6f}@{best_seed} min={min(by_seed):.6f}"
        + (f" planted={out['planted_modularity']:.6f}" if planted else ""))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (builder, desc) in GRAPHS.items():
        process(name, builder, desc)


if __name__ == "__main__":
    ensure_hashseed()
    main()
