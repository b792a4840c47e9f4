"""The object selection (DRAW-SPEC §4) in SQL with DuckDB, at 1M and 10M ids (docs/scale.md).

    python benchmarks/bench_duckdb.py [SIZES ...]        # default: 1000000 10000000

Needs the ``scale`` extra (DuckDB).  Per size, a synthetic population is written once to
``benchmarks/out/duckdb-pop-<N>.parquet`` (gitignored): 18-character ids shaped like
统一社会信用代码 (``91411500`` + serial), three strata by serial, each drawn at ratio 0.01.
Timed: ``shuijie.core.duckdb_select.select`` end to end (read the Parquet, compute every
ticket ``H("object", Z, id)`` in SQL, stratum sizes, per-stratum ``row_number()`` top-k),
best of 3 (best of 2 from 10M on).

For the first size (1M by default) the same selection is also made by shuijie in Python
(``draw.tickets`` + ``draw.smallest`` per stratum, from the ids already in memory, best of
3), both results are checked equal, and the ratio DuckDB / Python is printed.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from shuijie.core import duckdb_select as D  # noqa: E402

draw = D.draw
STRATA = [{"name": "高风险", "ratio": "0.01"}, {"name": "较高风险", "ratio": "0.01"}, {"name": "一般", "ratio": "0.01"}]
Z = draw.H("seed", "0" * 64, "bench_duckdb")


def population(n: int) -> Path:
    path = OUT / f"duckdb-pop-{n}.parquet"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        names = ", ".join(f"'{s['name']}'" for s in STRATA)
        duckdb.sql(f"""COPY (SELECT '91411500' || lpad(i::VARCHAR, 10, '0') AS object_id,
                                   [{names}][i % 3 + 1] AS stratum
                            FROM range({n}) t(i))
                       TO '{tmp}' (FORMAT parquet)""")
        os.replace(tmp, path)
    return path


def best(fn, runs: int) -> tuple[float, object]:
    times, v = [], None
    for _ in range(runs):
        t = time.perf_counter()
        v = fn()
        times.append(time.perf_counter() - t)
    return min(times), v


def python_selection(ids_by_stratum: dict[str, list[str]]) -> dict[str, list[tuple[str, str]]]:
    out = {}
    for st in STRATA:
        ids = ids_by_stratum[st["name"]]
        out[st["name"]] = draw.smallest(draw.stratum_size(len(ids), st), draw.tickets(("object", Z), ids))
    return out


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv if a.isdigit()] or [1_000_000, 10_000_000]
    con = D.connect()
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    print(f"machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), Python {platform.python_version()}, "
          f"duckdb {duckdb.__version__} ({threads} threads), {platform.machine()}")
    for i, n in enumerate(sizes):
        path = population(n)
        secs, sel = best(lambda: D.select(path, Z, strata=STRATA, con=con), 3 if n < 10_000_000 else 2)
        drawn = sum(s["drawn"] for s in sel.strata)
        print(f"{n:>12,} ids: DuckDB tickets + per-stratum top-k (from Parquet) {secs:7.2f} s, {drawn:,} drawn")
        if i == 0:
            rows = con.execute(f"SELECT object_id, stratum FROM read_parquet('{path}')").fetchall()
            by: dict[str, list[str]] = {s["name"]: [] for s in STRATA}
            for oid, st in rows:
                by[st].append(oid)
            del rows
            t_tickets, _ = best(lambda: [draw.tickets(("object", Z), ids) for ids in by.values()], 3)
            t_py, py = best(lambda: python_selection(by), 3)
            assert py == sel.drawn, "DuckDB and shuijie select differently"
            print(f"{n:>12,} ids: shuijie Python tickets only {t_tickets:7.2f} s; tickets + smallest k {t_py:7.2f} s "
                  f"(same selection as DuckDB)")
            print(f"{'':>12}      ratio DuckDB / Python (tickets + top-k): {secs / t_py:.2f}; "
                  f"DuckDB / Python tickets only: {secs / t_tickets:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
