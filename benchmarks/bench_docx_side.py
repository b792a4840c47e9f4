"""Benchmark: the .docx side of ``write_papers`` on a drawn round (issue 15).

    python benchmarks/bench_docx_side.py ROUND_DIR [OUT_DIR]

Re-writes the letters (and 检查通知书（合订本）), the 附件2 .docx forms and 抽取记录.docx of
ROUND_DIR (its inputs/ and draw.json) into OUT_DIR (default: a temporary folder; a tmpfs such
as /dev/shm keeps the disk out of it), and prints the wall and CPU time of each and the
growth of the peak RSS; then checks every file written against the round's own.  A round of
10,000 drawn objects: a copy of a synthetic workspace (benchmarks/bench_scale.py) with both
strata's ratio set to '1'.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shuijie.papers import annex2, letter, report  # noqa: E402
from shuijie.papers.context import build  # noqa: E402
from shuijie.papers.engine import ANNEX2_TEMPLATE, LETTER_TEMPLATE, load_template  # noqa: E402
from shuijie.store.rounds import load_inputs  # noqa: E402


def peak_mb() -> float:
    try:
        import resource
    except ImportError:  # Windows
        return float("nan")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(rd: Path, out: Path) -> None:
    ws = load_inputs(rd)
    record = json.loads((rd / "draw.json").read_text("utf-8"))
    when = ws.plan.notice_date
    letter_tpl = load_template(ws.plan_path, LETTER_TEMPLATE)
    annex2_tpl = load_template(ws.plan_path, ANNEX2_TEMPLATE)
    visits = build(ws, record)
    base = peak_mb()
    written: list[Path] = []
    total_wall = total_cpu = 0.0
    for name, job in (("letters", lambda: letter.write_letters(out, visits, letter_tpl, when)),
                      ("annex 2 forms", lambda: annex2.write_annex2_docs(out, visits, annex2_tpl, when)),
                      ("draw report", lambda: report.write_report(out, ws, record, visits, when))):
        w, c = time.perf_counter(), time.process_time()
        written += job()
        w, c = time.perf_counter() - w, time.process_time() - c
        total_wall, total_cpu = total_wall + w, total_cpu + c
        print(f"{name:14s} {w:6.2f} s wall {c:6.2f} s CPU  peak RSS +{peak_mb() - base:.0f} MB")
    print(f"{'docx side':14s} {total_wall:6.2f} s wall {total_cpu:6.2f} s CPU  "
          f"{len(written)} files, {len(visits)} drawn objects")
    differ = [p for p in written if p.read_bytes() != (rd / p.relative_to(out)).read_bytes()]
    print("every file the same as the round's" if not differ else f"{len(differ)} files differ, e.g. {differ[0]}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if len(sys.argv) > 2:
        main(Path(sys.argv[1]), Path(sys.argv[2]))
    else:
        with tempfile.TemporaryDirectory(prefix="bench-docx-") as t:
            main(Path(sys.argv[1]), Path(t))
