"""``shuijie status`` over 50 rounds of a 100,000-object workspace (target: under 2 s).

    python benchmarks/bench_status.py [--rounds 50] [--objects 100000] [--compare TREE ...]

Builds once, under ``benchmarks/out/status-<N>/`` (gitignored), the synthetic workspace of
``bench_scale.py`` and one drawn round of it (commitment, snapshot, inputs/ with the
100,000-object registry, draw.json; the papers are left out: status does not read them),
then copies that round ``--rounds`` times as ``rounds/<plan id>-NN`` (the files inside
are not edited: status takes each round's id from its plan and its folder).

Timed, each in a fresh interpreter with ``PYTHONPATH`` set to the source tree measured
(this checkout, and every ``--compare`` tree, e.g. an export of an older commit):

* ``all_status`` in-process (what the command computes), and
* the whole command ``python -m shuijie status <rounds> --json`` (wall time).

Every tree must report the same stages, dates and deadlines for every round.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_scale  # noqa: E402

TARGET_SECONDS = 2.0
TODAY = "2026-03-20"


def make_rounds(n: int, copies: int) -> Path:
    """The rounds folder holding ``copies`` copies of one drawn round of ``n`` objects."""
    from shuijie.core.draw import dumps, run_draw
    from shuijie.core.snapshot import build_snapshot
    from shuijie.registries.check import load_workspace
    from shuijie.stages.draw_round import _commitment_doc, _inputs_files, _snapshot_files
    from shuijie.store.rounds import COMMITMENT, MANIFEST, RECORD, json_bytes, manifest_bytes, write_tree

    plan = bench_scale.make_workspace(n)
    base = bench_scale.OUT / f"status-{n}"
    rounds = base / "rounds"
    one = base / "one-round"
    if not (one / RECORD).is_file():
        shutil.rmtree(one, ignore_errors=True)
        one.mkdir(parents=True)
        ws = load_workspace(plan)
        snap = build_snapshot(ws)
        record = run_draw(snap.files, ["bench"])
        record.update(unmatched=snap.unmatched, cooldown_excluded=snap.cooldown_excluded,
                      committed_separately=False, tool_version="bench")
        write_tree(one, {COMMITMENT: json_bytes(_commitment_doc(ws, snap)), **_snapshot_files(snap),
                         **_inputs_files(ws), RECORD: dumps(record)})
        (one / MANIFEST).write_bytes(manifest_bytes(one))
    have = sorted(p.name for p in rounds.iterdir()) if rounds.is_dir() else []
    want = [f"{plan.stem}-{k:02d}" for k in range(copies)]
    if have != want:
        shutil.rmtree(rounds, ignore_errors=True)
        rounds.mkdir(parents=True)
        for name in want:
            shutil.copytree(one, rounds / name)
    return rounds


IN_PROCESS = """
import datetime as dt, json, sys, time
from pathlib import Path
t = time.perf_counter()
from shuijie.stages.status import all_status
rows = all_status([Path(sys.argv[1])], dt.date.fromisoformat(sys.argv[2]))
s = time.perf_counter() - t
keep = ("stage", "drawn", "first_day", "last_day", "notice_date", "notify_by", "archive_by", "publish_by")
print(json.dumps({"seconds": s, "rows": [{k: getattr(r, k) for k in keep} for r in rows],
                  "problems": sum(len(r.problems) for r in rows)}))
"""


def measure(tree: Path, rounds: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree))
    p = subprocess.run([sys.executable, "-c", IN_PROCESS, str(rounds), TODAY], env=env, cwd=tree,
                       capture_output=True, text=True, check=True)
    inproc = json.loads(p.stdout)
    t = time.perf_counter()
    c = subprocess.run([sys.executable, "-m", "shuijie", "status", str(rounds), "--today", TODAY, "--json"],
                       env=env, cwd=tree, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if c.returncode != 0:
        raise SystemExit(f"status failed in {tree}: {c.stdout[-500:]} {c.stderr[-500:]}")
    return {"tree": str(tree), "in_process_s": round(inproc["seconds"], 3), "cli_wall_s": round(wall, 3),
            "rows": inproc["rows"], "problems": inproc["problems"]}


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--objects", type=int, default=100_000)
    ap.add_argument("--compare", type=Path, nargs="*", default=[],
                    help="other source trees to time the same way (e.g. an export of the previous commit)")
    args = ap.parse_args(argv)
    rounds = make_rounds(args.objects, args.rounds)
    drawn = len(json.loads((next(rounds.iterdir()) / "draw.json").read_text("utf-8"))["selected"])
    print(f"{args.rounds} rounds of a {args.objects:,}-object workspace ({drawn:,} drawn each): {rounds}")
    results = [measure(ROOT, rounds)] + [measure(t.resolve(), rounds) for t in args.compare]
    for r in results:
        print(f"  {r['tree']}: all_status {r['in_process_s']:.3f} s, `shuijie status` {r['cli_wall_s']:.3f} s"
              f" (problems: {r['problems']})")
    ours = results[0]
    for other in results[1:]:
        assert other["rows"] == ours["rows"], f"{other['tree']} reports different rounds"
    assert len(ours["rows"]) == args.rounds and ours["problems"] == 0
    assert all(r["drawn"] == drawn and r["archive_by"] for r in ours["rows"])
    ok = ours["cli_wall_s"] < TARGET_SECONDS
    print(f"target: `shuijie status` under {TARGET_SECONDS} s: {'met' if ok else 'NOT met'}")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
