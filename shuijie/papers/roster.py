"""检查组安排 (第十二至十四条): who goes where on which day, as .xlsx.

One row per inspector or expert per object visited: 日期, 星期, 顺序号, 姓名,
角色 (组长/组员/专家), 执法证号, 单位, 检查对象, 地址, 负责人, 联系方式.  The
first sheet holds every row in processing order; then one sheet per day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from shuijie.papers import xlsx as X
from shuijie.papers.context import WEEKDAYS, Visit
from shuijie.papers.names import safe_sheet_title
from shuijie.papers.xlsx import Stamper

ROSTER_XLSX = "检查组安排.xlsx"
HEADERS = ("日期", "星期", "顺序号", "姓名", "角色", "执法证号", "所在单位/工作单位",
           "检查对象", "地址", "负责人", "联系方式")
WIDTHS = (12, 8, 8, 10, 8, 16, 22, 30, 36, 10, 16)


def roster_rows(visits: list[Visit]) -> list[tuple[str, ...]]:
    rows = []
    for v in sorted(visits, key=lambda v: (v.date, v.seq)):
        for m in v.people:
            rows.append((v.date.isoformat(), WEEKDAYS[v.date.weekday()], f"{v.seq:03d}", m["name"],
                         m["role"], m["cert_no"], m["unit"], v.object["name"], v.object["address"],
                         v.object["principal"], v.object["phone"]))
    return rows


def write_roster(dest: Path, visits: list[Visit], when: dt.date | None) -> list[Path]:
    rows = roster_rows(visits)
    wb = X.new_workbook()
    used: set[str] = set()
    main = wb.active
    main.title = safe_sheet_title("检查组安排", used)
    st = Stamper()
    st.table(main, HEADERS, rows, widths=WIDTHS)
    main.auto_filter.ref = main.dimensions
    for day in sorted({r[0] for r in rows}):
        sheet = wb.create_sheet(safe_sheet_title(day, used))
        st.table(sheet, HEADERS, [r for r in rows if r[0] == day], widths=WIDTHS)
    path = dest / ROSTER_XLSX
    X.save(wb, path, when)
    return [path]
