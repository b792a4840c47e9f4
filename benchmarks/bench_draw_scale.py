"""The draw stage at provincial scale (issue 15): ``run_draw`` alone, from snapshot bytes.

    python benchmarks/bench_draw_scale.py [ROUND_DIR] [--runs N] [--objects N]

ROUND_DIR is a round folder written by ``shuijie draw`` (its ``snapshot/`` and
``draw.json``), e.g. ``/work/baseline/scale/scale-1000000/rounds/scale-1000000``: the draw
is recomputed from its snapshot with its ``public_random`` and checked byte for byte
against its ``draw.json`` (the keys the round writer adds are copied over, as ``shuijie
verify`` does).  Without ROUND_DIR, a snapshot of 1,000,000 objects (or ``--objects``;
1% drawn: 10,000 teams from 2,000 inspectors, one expert each from 300) is built from
``bench_scale.make_workspace`` with ``load_workspace`` + ``build_snapshot`` (slow: minutes),
and nothing is compared.

Prints the best of N (default 3) wall and CPU times of ``run_draw`` (CPU time is the
steadier one on a shared machine) and the peak RSS of this
process over the first run (``ru_maxrss``; the snapshot bytes are already loaded, so
the difference is what the draw itself holds at its peak).  Target (issue 15): ≤ 8 s,
the whole ``shuijie draw`` within 512 MB.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shuijie.core import draw  # noqa: E402

TARGET_SECONDS = 8
RANDOM = ["2026-02-26 test 1 2 3"]
ADDED_KEYS = ("unmatched", "cooldown_excluded", "status_excluded", "inspectors_left_out",
              "committed_separately", "tool_version")


def peak_rss_mb() -> float:
    try:
        import resource  # POSIX only
    except ImportError:  # pragma: no cover - Windows: no peak to report
        return float("nan")
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 / (1024 if sys.platform == "darwin" else 1)


def from_round(rd: Path) -> tuple[dict[str, bytes], list[str], bytes]:
    files = {name: (rd / "snapshot" / name).read_bytes() for name in draw.SNAPSHOT_FILES}
    raw = (rd / "draw.json").read_bytes()
    # only the public random values: parsing the whole record now would raise the peak RSS
    at = raw.index(b"[", raw.index(b'"public_random"'))
    randoms, _ = json.JSONDecoder().raw_decode(raw[at:raw.index(b"]", at) + 1].decode("utf-8"))
    return files, randoms, raw


def built(n: int = 1_000_000) -> dict[str, bytes]:
    from bench_scale import make_workspace  # noqa: E402  (benchmarks/ is on sys.path when run as a script)

    from shuijie.core.snapshot import build_snapshot
    from shuijie.registries.check import load_workspace

    return build_snapshot(load_workspace(make_workspace(n))).files


def same_as_round(record: draw.DrawRecord, raw: bytes) -> bool:
    again = dict(record)
    stored = json.loads(raw)
    for key in ADDED_KEYS:
        if key in stored:
            again[key] = stored[key]
    return draw.dumps(again) == raw


def main(argv: list[str]) -> None:
    opts = {"--runs": 3, "--objects": 1_000_000}
    for opt in opts:
        if opt in argv:
            i = argv.index(opt)
            opts[opt] = int(argv[i + 1])
            del argv[i:i + 2]
    runs = opts["--runs"]
    raw = None
    if argv:
        files, randoms, raw = from_round(Path(argv[0]))
    else:
        files, randoms = built(opts["--objects"]), RANDOM
    n_obj = files["population.csv"].count(b"\n") - 1
    n_insp = files["inspectors.csv"].count(b"\n") - 1
    before = peak_rss_mb()
    times, cpu = [], []
    record = None
    peak = before
    for run in range(runs):
        t, c = time.perf_counter(), time.process_time()
        record = draw.run_draw(files, randoms)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        if run == 0:
            peak = peak_rss_mb()
    assert record is not None
    print(f"run_draw: {n_obj:,} objects, {len(record['teams']):,} teams from {n_insp:,} inspectors: "
          f"best of {runs} {min(times):.2f} s wall, {min(cpu):.2f} s CPU "
          f"(wall: {', '.join(f'{x:.2f}' for x in times)}; target ≤ {TARGET_SECONDS} s)")
    print(f"  peak RSS: {peak:.0f} MB (before the draw: {before:.0f} MB; the draw adds {peak - before:.0f} MB)")
    if raw is not None:
        ok = same_as_round(record, raw)
        print(f"  draw.json byte-identical to the round's: {'yes' if ok else 'NO'}")
        if not ok:
            sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
