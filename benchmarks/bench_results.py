"""Timings of the results steps on a large round (prints seconds and per-row cost).

    python benchmarks/bench_results.py [N_OBJECTS]

Builds a workspace of N drawn objects in memory (no draw needed), then times:
writing 结果录入表.xlsx, reading + validating the filled sheet, and writing the
公示表 with results plus the summary workbooks.  Target: a 2,000-object round
imports in well under 10 s on a laptop.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from shuijie.core.calendar import WorkCalendar
from shuijie.core.ids import uscc_check_char
from shuijie.core.models import Inspector, Item, Object, Plan
from shuijie.core.workspace import Workspace
from shuijie.papers.entry_sheet import write_entry_sheet
from shuijie.papers.xlsx import to_bytes
from shuijie.registries.outcomes import load_outcomes
from shuijie.stages.publish import build_publication_workbook
from shuijie.stages.results import parse_results_sheet
from shuijie.stages.summary import build_summary, summary_files


def uscc(n: int) -> str:
    body = f"91411502MA{n:07d}"
    return body + uscc_check_char(body)


def main(n: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="shuijie-bench-"))
    plan = Plan.model_validate({
        "id": "bench", "title": "bench", "doc_no": "信应急〔2026〕1号", "unit": "信阳市应急管理局",
        "registries": {"items": "i", "objects": "o", "inspectors": "p"}, "items": ["I1", "I2", "I3"],
        "strata": [{"name": "全部", "ratio": "1"}], "window": {"start": "2026-03-02", "end": "2026-06-30"},
        "notice_date": "2026-02-20", "public_random_source": "x"})
    items = [Item(id=f"I{k}", name=f"事项{k}", basis="依据", content="内容") for k in (1, 2, 3)]
    objects = [Object(id=uscc(i), name=f"企业{i}", address="地址", principal="负责人", phone="13800000000",
                      area=f"区{i % 8}", industry="危险化学品经营", risk=("低", "一般", "较高", "高")[i % 4])
               for i in range(n)]
    inspectors = [Inspector(id=f"J{k:03d}", name=f"检查员{k}", gender="男", title="科员", cert_no=f"豫{k:06d}",
                            unit="局机关", can_lead=True) for k in range(30)]
    ws = Workspace(plan=plan, plan_path=tmp / "plan.yaml", items=items, objects=objects, inspectors=inspectors,
                   experts=[], calendar=WorkCalendar(), files={})
    days = WorkCalendar().workdays_between(plan.window.start, plan.window.end)
    record = {"selected": [{"object_id": o.id, "stratum": "全部", "ticket": "0", "date": days[i * len(days) // n]
                            .isoformat()} for i, o in enumerate(objects)],
              "teams": [{"object_id": o.id, "date": "", "inspectors": [f"J{(i + k) % 30:03d}" for k in range(3)],
                         "leader": f"J{i % 30:03d}", "experts": []} for i, o in enumerate(objects)]}

    t0 = time.perf_counter()
    path = write_entry_sheet(tmp, ws, record)[0]
    t1 = time.perf_counter()
    wb = openpyxl.load_workbook(path)
    s = wb["检查结果"]
    col = {c.value: c.column for c in s[1]}  # the importer finds columns by header, so does the filler
    for r in range(2, s.max_row + 1):
        s.cell(row=r, column=col["检查日期"]).value = dt.datetime.fromisoformat(
            s.cell(row=r, column=col["计划检查日期"]).value)
        s.cell(row=r, column=col["检查结果"]).value = "未发现问题" if r % 10 else "发现问题已责令改正"
        if r % 10 == 0:
            s.cell(row=r, column=col["发现问题情况"]).value = "问题"
    filled = tmp / "filled.xlsx"
    wb.save(filled)
    t2 = time.perf_counter()
    results = parse_results_sheet(filled, ws, record)
    t3 = time.perf_counter()
    to_bytes(build_publication_workbook(ws, record, results, dt.date(2026, 7, 1), True))
    summary_files(ws, build_summary(ws, record, results, load_outcomes(ws)))
    t4 = time.perf_counter()
    assert len(results) == n
    print(f"objects: {n}")
    print(f"write 结果录入表:        {t1 - t0:7.2f} s  ({(t1 - t0) / n * 1000:.2f} ms/object)")
    print(f"validate filled sheet:   {t3 - t2:7.2f} s  ({(t3 - t2) / n * 1000:.2f} ms/object)")
    print(f"publication + summary:   {t4 - t3:7.2f} s  ({(t4 - t3) / n * 1000:.2f} ms/object)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
