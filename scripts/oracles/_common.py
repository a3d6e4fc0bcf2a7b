"""Shared helpers for the oracle scripts (edge-list I/O, paths, version stamp).

Edge lists are CSV with header ``source,target,weight``; node names are plain
strings (no commas, quotes or newlines) and weights are written with
``repr(float)`` so that they round-trip exactly to the same IEEE-754 double in
Python and in Rust (``str::parse::<f64>``).
"""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
DATA = Path(os.environ.get("ENTENTE_SHARED_DATA", Path(__file__).resolve().parents[2].parent / "shared" / "data"))


def ensure_hashseed() -> None:
    """Re-exec the running script with PYTHONHASHSEED=0 unless it is already set so.

    networkx.community.modularity iterates over Python sets of node names; with string
    nodes the set order (and so the floating-point summation order, i.e. the last bits of
    the result) depends on the per-process hash seed. Fixing it makes every output
    byte-identical across runs."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0")
        os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], env)  # keeps interpreter flags


def fnum(x: float) -> str:
    """Shortest repr that round-trips to the same double."""
    x = float(x)
    if x != x or x in (float("inf"), float("-inf")):
        raise ValueError(f"non-finite value {x!r}")
    return repr(x)


def write_edges(path: Path, edges) -> None:
    """edges: iterable of (source:str, target:str, weight:float), written in the given order."""
    seen = set()
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("source,target,weight\n")
        for s, t, w in edges:
            s, t = str(s), str(t)
            for n in (s, t):
                if any(c in n for c in ',"\r\n') or n == "":
                    raise ValueError(f"bad node name {n!r}")
            if (s, t) in seen:
                raise ValueError(f"duplicate edge {s}->{t}")
            seen.add((s, t))
            f.write(f"{s},{t},{fnum(w)}\n")


def read_edges(path: Path):
    """Yield (source, target, weight) in file order, parsing exactly what was written."""
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n")
        assert header == "source,target,weight", header
        for line in f:
            s, t, w = line.rstrip("\n").split(",")
            yield s, t, float(w)


def write_json(path: Path, obj) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, indent=1, ensure_ascii=False)
        f.write("\n")


def versions(*mods) -> dict:
    d = {"python": platform.python_version(), "PYTHONHASHSEED": os.environ.get("PYTHONHASHSEED")}
    for m in mods:
        d[m.__name__] = m.__version__
    return d


def log(*a):
    print(*a, file=sys.stderr, flush=True)
