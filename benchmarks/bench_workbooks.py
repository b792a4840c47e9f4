"""Benchmark: the workbooks of a drawn round, written again in this process, each timed.

    python benchmarks/bench_workbooks.py ROUND_DIR [--profile] [--repeat N]

The workbooks are what the papers worker (shuijie/papers/worker.py) writes beside the
.docx papers: 附件2 (a sheet per object), 附件1, 检查组安排, 结果录入表 and 公示表.  The
round's workspace is reloaded from its ``inputs/`` as ``verify`` does; every workbook is
compared byte for byte with the round's own file, and the time of each (best of N, wall
and CPU: on a shared machine the CPU time is the steadier), the total, and the growth of peak RSS over the loaded round are printed.  Target (the
provincial-scale issue): 10,000 drawn objects in ≤ 8 s, peak RSS growth ≤ 100 MB.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shuijie.papers import annex1, annex2, roster  # noqa: E402
from shuijie.papers.context import build  # noqa: E402
from shuijie.papers.entry_sheet import write_entry_sheet  # noqa: E402
from shuijie.papers.publication_sheet import write_publication_sheet  # noqa: E402
from shuijie.store.rounds import load_inputs  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    profile = "--profile" in sys.argv
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    args = [a for a in args if not (a.isdigit() and "--repeat" in sys.argv)]
    rd = Path(args[0])
    ws = load_inputs(rd)
    record = json.loads((rd / "draw.json").read_text("utf-8"))
    visits = build(ws, record)
    when = ws.plan.notice_date
    jobs = [("附件2", lambda d: annex2.write_annex2_xlsx(d, visits, when)),
            ("附件1", lambda d: annex1.write_annex1(d, ws, when)),
            ("检查组安排", lambda d: roster.write_roster(d, visits, when)),
            ("结果录入表", lambda d: write_entry_sheet(d, ws, record)),
            ("公示表", lambda d: write_publication_sheet(d, ws, record, results=None))]
    base = peak_mb()
    print(f"{len(visits)} drawn objects; peak RSS after loading the round: {base:.0f} MB")
    if profile:
        import cProfile
        import pstats

        with tempfile.TemporaryDirectory() as t:
            prof = cProfile.Profile()
            prof.enable()
            for _, job in jobs:
                job(Path(t))
            prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return
    total, total_cpu, differ = 0.0, 0.0, []
    for name, job in jobs:
        best = best_cpu = float("inf")
        for _ in range(repeat):
            with tempfile.TemporaryDirectory() as t:
                t0, c0 = time.perf_counter(), time.process_time()
                paths = job(Path(t))
                best = min(best, time.perf_counter() - t0)
                best_cpu = min(best_cpu, time.process_time() - c0)
                for p in paths:
                    if p.suffix == ".xlsx" and p.read_bytes() != (rd / p.relative_to(t)).read_bytes():
                        differ.append(str(p.relative_to(t)))
        total += best
        total_cpu += best_cpu
        print(f"{name:8s} {best:7.2f} s wall {best_cpu:7.2f} s CPU   peak RSS +{peak_mb() - base:.0f} MB")
    print(f"total    {total:7.2f} s wall {total_cpu:7.2f} s CPU   peak RSS +{peak_mb() - base:.0f} MB "
          f"(target 8 s, +100 MB)")
    print("bytes: " + ("identical to the round's" if not differ else f"DIFFER: {differ[:5]} ({len(differ)})"))
    if differ:
        sys.exit(1)


if __name__ == "__main__":
    main()
