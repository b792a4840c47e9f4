"""检查组安排 (第十二至十四条): who goes where on which day, as .xlsx.

One row per inspector or expert per object visited: 日期, 星期, 顺序号, 姓名,
角色 (组长/组员/专家), 执法证号, 单位, 检查对象, 地址, 负责人, 联系方式.  The
first sheet holds every row in processing order; then one sheet per day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl.utils import get_column_letter

from shuijie.papers import print_setup as P
from shuijie.papers import xlsx as X
from shuijie.papers.context import WEEKDAYS, Visit
from shuijie.papers.names import safe_sheet_title
from shuijie.papers.xlsx import Sheet, write_table

ROSTER_XLSX = "检查组安排.xlsx"
HEADERS = ("日期", "星期", "顺序号", "姓名", "角色", "执法证号", "所在单位/工作单位",
           "检查对象", "地址", "负责人", "联系方式")
TITLE = "检查组安排"
KEEP = (1, 2, 3, 6, 11)  # 日期, 星期, 顺序号, 执法证号, 联系方式: never split


def roster_rows(visits: list[Visit]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for v in sorted(visits, key=lambda v: (v.date, v.seq)):
        for m in v.people:
            rows.append((v.date.isoformat(), WEEKDAYS[v.date.weekday()], f"{v.seq:03d}", m["name"],
                         m["role"], m["cert_no"], m["unit"], v.object["name"], v.object["address"],
                         v.object["principal"], v.object["phone"]))
    return rows


def _sheet(sheet: Sheet, title: str, sub: str, rows: list[tuple[str, ...]]) -> None:
    lines = [(title, X.TITLE_FONT)] + ([(sub, X.BODY_FONT)] if sub else [])
    head = P.title_rows(sheet, lines, len(HEADERS))
    last = write_table(sheet, HEADERS, rows, start_row=head)
    sheet.ws.auto_filter.ref = f"A{head}:{get_column_letter(len(HEADERS))}{max(last, head)}"
    P.finish(sheet, header_row=head, ncols=len(HEADERS), keep=KEEP, max_width=24)


def write_roster(dest: Path, visits: list[Visit], when: dt.date | None) -> list[Path]:
    rows = roster_rows(visits)
    plan = visits[0].context["plan"] if visits else {"title": "", "doc_no": ""}
    sub = f"抽查任务：{plan['title']}" + (f"（{plan['doc_no']}）" if plan["doc_no"] else "") if plan["title"] else ""
    wb = X.new_workbook()
    used: set[str] = set()
    main = wb.active
    main.title = safe_sheet_title(TITLE, used)
    _sheet(main, TITLE, sub, rows)
    by_day: dict[str, list[tuple[str, ...]]] = {}
    for r in rows:
        by_day.setdefault(r[0], []).append(r)
    for day in sorted(by_day):
        d = dt.date.fromisoformat(day)
        _sheet(wb.create_sheet(safe_sheet_title(day, used)),
               f"{TITLE}（{d.year}年{d.month}月{d.day}日 {WEEKDAYS[d.weekday()]}）", sub, by_day[day])
    path = dest / ROSTER_XLSX
    X.save(wb, path, when)
    return [path]
