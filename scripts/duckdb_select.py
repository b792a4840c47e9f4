#!/usr/bin/env python3
"""The object selection of a round (DRAW-SPEC §4) recomputed in SQL by DuckDB, and compared.

    python scripts/duckdb_select.py ROUND_DIR [--seed Z] [--json]
    python scripts/duckdb_select.py POPULATION.parquet|.csv --seed Z --parameters parameters.json [--json]

For a round folder (``<rounds>/<plan_id>/``) the seed is recomputed from the snapshot's
commitment and ``draw.json``'s public random values (unless ``--seed`` is given), the
selection is computed by DuckDB from ``snapshot/population.csv`` and ``parameters.json``,
printed, and compared with ``draw.json``: the strata (population, drawn), and per stratum the
drawn ids and their tickets.  Exit 0 when they agree, 1 when they differ, 2 on bad usage.

A population file (columns ``object_id``, ``stratum``) has no ``draw.json``: the selection
is printed only.  Needs the ``scale`` extra (``pip install 'shuijie[scale]'``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def compare(selection, record: dict) -> list[str]:
    """Differences between the SQL selection and a draw.json record (empty: they agree)."""
    problems = []
    if selection.seed != record.get("seed"):
        problems.append(f"seed: SQL {selection.seed}, draw.json {record.get('seed')}")
    if selection.strata != record.get("strata"):
        problems.append(f"strata: SQL {selection.strata}, draw.json {record.get('strata')}")
    recorded: dict[str, list[tuple[str, str]]] = {}
    for sel in record.get("selected", []):
        recorded.setdefault(sel["stratum"], []).append((sel["ticket"], sel["object_id"]))
    for rows in recorded.values():  # draw.json lists them in processing order; rank them
        rows.sort(key=lambda r: (r[0], r[1].encode("utf-8")))
    for name in sorted(set(recorded) | set(selection.drawn)):
        a, b = selection.drawn.get(name, []), recorded.get(name, [])
        if a != b:
            only_sql = sorted({i for _, i in a} - {i for _, i in b})
            only_rec = sorted({i for _, i in b} - {i for _, i in a})
            problems.append(f"stratum {name}: {len(a)} drawn by SQL, {len(b)} in draw.json; "
                            f"only SQL {only_sql[:5]}, only draw.json {only_rec[:5]}"
                            + ("" if only_sql or only_rec else " (same ids, tickets or order differ)"))
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path, help="round folder, snapshot folder, or .parquet/.csv population")
    ap.add_argument("--seed", help="the seed Z (default for a round folder: recomputed from draw.json)")
    ap.add_argument("--parameters", type=Path, help="parameters.json whose strata apply to a population file")
    ap.add_argument("--json", action="store_true", help="print JSON")
    args = ap.parse_args(argv)

    try:
        from shuijie.core.duckdb_select import select
    except ImportError as exc:
        print(f"DuckDB is not installed ({exc}); pip install 'shuijie[scale]'", file=sys.stderr)
        return 2
    strata = None
    if args.parameters:
        strata = json.loads(args.parameters.read_text("utf-8"))["strata"]
    t = time.perf_counter()
    try:
        selection = select(args.source, args.seed, strata=strata)
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - t
    record_path = args.source / "draw.json"
    problems = None
    if args.source.is_dir() and record_path.is_file():
        problems = compare(selection, json.loads(record_path.read_text("utf-8")))

    if args.json:
        print(json.dumps({"seed": selection.seed, "strata": selection.strata,
                          "selected": {n: [{"object_id": i, "ticket": t} for t, i in rows]
                                       for n, rows in selection.drawn.items()},
                          "seconds": round(seconds, 3),
                          "matches_draw_json": None if problems is None else not problems,
                          "differences": problems or []}, ensure_ascii=False, indent=2))
    else:
        print(f"seed {selection.seed}  (DuckDB, {seconds:.2f} s)")
        for st in selection.strata:
            print(f"\n{st['name']}: population {st['population']}, drawn {st['drawn']}")
            for ticket, oid in selection.drawn[st["name"]]:
                print(f"  {oid}  {ticket}")
        if problems is None:
            print("\n(no draw.json to compare with)")
        elif problems:
            print(f"\nDIFFERS from {record_path}:")
            for p in problems:
                print(f"  {p}")
        else:
            n = sum(len(r) for r in selection.drawn.values())
            print(f"\nsame as {record_path}: seed, strata and all {n} drawn objects with their tickets")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
