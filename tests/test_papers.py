"""The papers of a round (issue 4): every .docx/.xlsx opened and checked.

Letters (第十一条), Annex 1 (第六、七条), Annex 2 (第十六条), the roster (第十二至十四条)
and the draw report (第十七条), written by ``write_papers`` from a small workspace and
a record in the documented draw.json shape; then the same with hostile object names.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from test_papers_support import HOSTILE_NAMES, LONG_NAME, docx_xml, make_record, make_ws

from shuijie.core.rules.recusal import LABELS_ZH as RECUSAL_LABELS_ZH
from shuijie.core.rules.recusal import RecusalReason
from shuijie.core.text import date_cn, group8
from shuijie.papers import write_papers
from shuijie.papers.layout import LETTER_LINES, LINE_PITCH, pitch_for

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for t in document.tables:
        for row in t.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def _flat(text: str) -> str:
    return text.replace("\n", "")


def check_layout(path: Path) -> None:
    """GB/T 9704: A4, margins, 3号 仿宋 with eastAsia on every run, zh-CN, 22-line grid."""
    d = docx.Document(path)
    for s in d.sections:
        assert abs(s.page_width - Mm(210)) < Mm(0.1) and abs(s.page_height - Mm(297)) < Mm(0.1)
        assert abs(s.top_margin - Mm(37)) < Mm(0.1)
        assert abs(s.bottom_margin - Mm(35)) < Mm(0.1)
        assert abs(s.left_margin - Mm(28)) < Mm(0.1)
        assert abs(s.right_margin - Mm(26)) < Mm(0.1)
        text_w = s.page_width - s.left_margin - s.right_margin
        text_h = s.page_height - s.top_margin - s.bottom_margin
        assert abs(text_w - Mm(156)) < Mm(0.2) and abs(text_h - Mm(225)) < Mm(0.2)
        grid = s._sectPr.find(qn("w:docGrid"))
        assert grid.get(qn("w:linePitch")) in (str(LINE_PITCH), str(pitch_for(LETTER_LINES)))
        for footer, jc in ((s.footer, "right"), (s.even_page_footer, "left")):  # 单页居右、双页居左
            xml = footer._element.xml
            assert "PAGE" in xml and "— " in xml and " —" in xml and f'w:val="{jc}"' in xml
        assert d.settings.odd_and_even_pages_header_footer
    normal = d.styles["Normal"].element
    assert normal.find(f".//{W}rFonts").get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.find(f".//{W}lang").get(qn("w:eastAsia")) == "zh-CN"
    assert normal.find(f".//{W}sz").get(qn("w:val")) == "32"
    body = d.element.body
    runs = [r for r in body.iter(f"{W}r") if r.find(f"{W}t") is not None and "".join(
        t.text or "" for t in r.iter(f"{W}t")).strip()]
    assert runs
    for r in runs:
        fonts = r.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None and fonts.get(qn("w:eastAsia")), r.xml[:200]
        assert r.find(f"{W}rPr/{W}lang").get(qn("w:eastAsia")) == "zh-CN"


def check_xlsx(path: Path) -> openpyxl.Workbook:
    """No formula anywhere: every string cell is text, and no <f> element in any sheet."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), (path, name)
    wb = openpyxl.load_workbook(path)
    for sheet in wb.worksheets:
        assert len(sheet.title) <= 31 and not re.search(r"[\[\]:*?/\\]", sheet.title)
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (path, sheet.title, cell.coordinate)
    return wb


def write(tmp_path: Path, names=None, dest_name="out"):
    ws = make_ws(tmp_path, names)
    record = make_record(ws)
    dest = tmp_path / dest_name
    paths = write_papers(dest, ws, record)
    return ws, record, dest, paths


def check_round(ws, record, dest: Path, paths: list[Path]) -> None:
    """Everything the issue asks of the papers, for any object names."""
    dest_r = dest.resolve()
    for p in paths:
        assert p.is_file()
        assert p.resolve().is_relative_to(dest_r), p
        assert len(p.name.encode("utf-8")) < 255
    rel = {p.relative_to(dest).as_posix() for p in paths}
    n = len(record["selected"])
    objects = ws.objects.records_by_id(ws.objects.ids)
    inspectors, experts = ws.inspector_map(), ws.expert_map()
    items = [ws.item_map()[i] for i in ws.plan.items]

    # --- letters: one per object, numbered in processing order, plus the combined file
    letters = sorted(p for p in paths if p.parent.name == "检查通知书")
    assert len(letters) == n
    assert [p.name[:4] for p in letters] == [f"{i:03d}-" for i in range(1, n + 1)]
    for path, sel, team in zip(letters, record["selected"], record["teams"]):
        check_layout(path)
        d = docx.Document(path)
        text = _text(d)
        flat = _flat(text)
        obj = objects[sel["object_id"]]
        assert obj.name in flat and obj.principal in flat
        assert ws.plan.doc_no in text and "〔" in ws.plan.doc_no and "〕" in ws.plan.doc_no
        assert date_cn(sel["date"]) in text
        assert date_cn(ws.plan.notice_date) in text  # 成文日期 = notice date, Arabic numerals
        assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", text)
        for it in items:
            assert it.name in flat
        for m in ws.plan.materials:
            assert m in flat
        leader = inspectors[team["leader"]]
        assert f"组长{leader.name}（执法证号{leader.cert_no}）" in flat
        for pid in team["inspectors"]:
            assert inspectors[pid].name in flat and inspectors[pid].cert_no in flat
        for eid in team["experts"]:
            assert experts[eid].name in flat and experts[eid].employer in flat
        assert ws.plan.contact.name in flat and ws.plan.contact.phone in flat
        assert "陈述" in flat and "申辩" in flat and "申诉" in flat
        assert ws.plan.unit in text
        # title 2号 方正小标宋简体, body 3号
        title_run = d.paragraphs[0].runs[0]._r
        assert title_run.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia")) == "方正小标宋简体"
        assert title_run.find(f"{W}rPr/{W}sz").get(qn("w:val")) == "44"
        body_run = d.paragraphs[3].runs[0]._r
        assert body_run.find(f"{W}rPr/{W}sz").get(qn("w:val")) == "32"
        spacing = d.paragraphs[3]._p.find(f"{W}pPr/{W}spacing")
        assert spacing.get(qn("w:lineRule")) == "exact" and spacing.get(qn("w:line")) == str(pitch_for(LETTER_LINES))
        # item 一 names the items and refers to 附件1 for their 依据 (not repeated here)
        assert "见附件1" in flat and not any(it.basis in flat for it in items)
        # 附件说明 (GB/T 9704 7.3.4): both annexes, the second aligned under the first name
        assert "附件：1.“双随机、一公开”抽查事项检查表" in flat and "2.“双随机、一公开”抽查记录表" in flat
        assert "（执法证号）" not in flat and "执法证号（" not in flat  # never empty brackets
    combined = dest / "检查通知书（合订本）.docx"
    assert "检查通知书（合订本）.docx" in rel
    check_layout(combined)
    ctext = _flat(_text(docx.Document(combined)))
    for sel in record["selected"]:
        assert objects[sel["object_id"]].name in ctext
    cdoc = docx.Document(combined)
    assert len(cdoc.sections) == n  # one section per letter: new page, page numbers from 1
    cxml = docx_xml(combined)
    assert cxml.count('<w:pgNumType w:start="1"/>') == n and cxml.count('<w:type w:val="nextPage"/>') == n
    assert len(docx.Document(combined).paragraphs) == sum(len(docx.Document(p).paragraphs) for p in letters)

    # --- Annex 1: .xlsx and .docx with the six columns of the annex
    heads1 = ["序号", "检查事项", "检查依据", "检查内容", "检查方式", "备注"]
    wb = check_xlsx(dest / "附件1-抽查事项检查表.xlsx")
    rows = [[c.value for c in r] for r in wb.active.iter_rows()]
    hi = next(i for i, r in enumerate(rows) if r[0] == "序号")
    assert rows[hi] == heads1
    body_rows = rows[hi + 1:]
    assert [r[1] for r in body_rows] == [it.name for it in items]
    assert [r[2] for r in body_rows] == [it.basis for it in items]
    assert [r[3] for r in body_rows] == [it.content for it in items]
    a1 = docx.Document(dest / "附件1-抽查事项检查表.docx")
    check_layout(dest / "附件1-抽查事项检查表.docx")
    assert [c.text for c in a1.tables[0].rows[0].cells] == heads1
    assert [r.cells[1].text for r in a1.tables[0].rows[1:]] == [it.name for it in items]
    assert "附件1" in a1.paragraphs[0].text

    # --- Annex 2: a .docx per object and one .xlsx with a sheet per object
    forms = sorted(p for p in paths if p.parent.name == "附件2-抽查记录表")
    assert len(forms) == n
    heads2 = ["序号", "检查事项", "检查内容", "发现问题情况", "是否立案"]
    for path, sel in zip(forms, record["selected"]):
        check_layout(path)
        d = docx.Document(path)
        obj = objects[sel["object_id"]]
        assert f"检查对象：{obj.name}" in _flat(_text(d))
        assert f"时间：{date_cn(sel['date'])}" in _text(d)
        t = d.tables[0]
        assert [c.text for c in t.rows[0].cells] == heads2
        assert [t.rows[i + 1].cells[1].text for i in range(len(items))] == [it.name for it in items]
        assert t.rows[1].cells[2].text == items[0].content  # newline kept (as a line break)
        assert t.rows[-2].cells[0].text == "执法检查人员签字"
        assert t.rows[-1].cells[0].text == "检查对象签字（盖章）"
        assert len(t.rows) == 1 + len(items) + 2
        if "\n" in items[0].content:
            assert "<w:br/>" in docx_xml(path)
    wb = check_xlsx(dest / "附件2-抽查记录表.xlsx")
    assert len(wb.worksheets) == n
    assert len({s.title.lower() for s in wb.worksheets}) == n
    for sheet, sel in zip(wb.worksheets, record["selected"]):
        values = [[c.value for c in r] for r in sheet.iter_rows()]
        flat_vals = [v for r in values for v in r if v is not None]
        assert f"检查对象：{objects[sel['object_id']].name}" in flat_vals
        assert heads2 in values
        assert "执法检查人员签字" in flat_vals and "检查对象签字（盖章）" in flat_vals

    # --- roster: one row per person per object, a sheet per day
    wb = check_xlsx(dest / "检查组安排.xlsx")
    main = [[c.value for c in r] for r in wb.worksheets[0].iter_rows()]
    main = main[next(i for i, r in enumerate(main) if r[0] == "日期"):]  # below the title rows
    head = main[0]
    assert {"日期", "姓名", "执法证号", "角色", "检查对象", "地址"} <= set(head)
    people = sum(len(t["inspectors"]) + len(t["experts"]) for t in record["teams"])
    assert len(main) - 1 == people
    col = {h: i for i, h in enumerate(head)}
    for t in record["teams"]:
        obj = objects[t["object_id"]]
        mine = [r for r in main[1:] if r[col["检查对象"]] == obj.name and r[col["日期"]] == t["date"]]
        roles = {r[col["姓名"]]: r[col["角色"]] for r in mine}
        assert roles[inspectors[t["leader"]].name] == "组长"
        assert sorted(roles.values()) == sorted(
            ["组长"] + ["组员"] * (len(t["inspectors"]) - 1) + ["专家"] * len(t["experts"]))
        assert all(r[col["地址"]] == obj.address for r in mine)
    days = sorted({t["date"] for t in record["teams"]})
    assert [s.title for s in wb.worksheets[1:]] == days
    assert sum(s.max_row - int(s.print_title_rows.split(":")[0].lstrip("$")) for s in wb.worksheets[1:]) == people

    # --- draw report
    rep = dest / "抽取记录.docx"
    check_layout(rep)
    rtext = _flat(_text(docx.Document(rep)))
    bare = rtext.replace(" ", "")  # hashes and 签号 stand in groups of eight
    for needle in (ws.plan.title, ws.plan.doc_no, ws.plan.approved_by, date_cn(ws.plan.approved_on),
                   record["commitment"], record["seed"], ws.plan.public_random_source,
                   f"shuijie verify rounds/{ws.plan.id}", "抽取算法说明"):
        assert needle in rtext or needle in bare, needle
    assert group8(record["commitment"]) in rtext and group8(record["seed"]) in rtext
    for r in record["public_random"]:
        assert r in rtext
    for s in record["strata"]:
        assert s["name"] in rtext
    for sel in record["selected"]:
        assert sel["ticket"] in bare and objects[sel["object_id"]].name in rtext
    assert f"排除的对象：{len(record.get('cooldown_excluded') or [])} 个" in rtext
    for t in record["teams"]:
        for r in t.get("recused") or []:
            who = (inspectors.get(r["person_id"]) or experts.get(r["person_id"])).name
            assert f"{who}（{RECUSAL_LABELS_ZH[RecusalReason(r['reason'])]}）" in rtext
        removed = t.get("removed") or {}
        assert (f"回避 {removed.get('recusal', 0)} 人，执法区域 {removed.get('area', 0)} 人，"
                f"当日已满 {removed.get('day_load', 0)} 人，本轮已满 {removed.get('round_load', 0)} 人") in rtext
    assert any(t.get("recused") for t in record["teams"]) or "回避：无" in rtext

    # --- every workbook anywhere in the round (incl. the results sheets) has no formula
    for p in paths:
        if p.suffix == ".xlsx":
            check_xlsx(p)


def test_papers_of_a_round(tmp_path):
    ws, record, dest, paths = write(tmp_path)
    check_round(ws, record, dest, paths)


def test_hostile_names_stay_intact_and_safe(tmp_path):
    ws, record, dest, paths = write(tmp_path, HOSTILE_NAMES)
    check_round(ws, record, dest, paths)
    # every name reaches the letters, Annex 2 and the roster exactly as typed
    letters = sorted(p for p in paths if p.parent.name == "检查通知书")
    for path, name in zip(letters, HOSTILE_NAMES):
        assert name in _flat(_text(docx.Document(path)))
    roster = openpyxl.load_workbook(dest / "检查组安排.xlsx").worksheets[0]
    cells = [c for r in roster.iter_rows() for c in r if c.value in HOSTILE_NAMES]
    assert {c.value for c in cells} == set(HOSTILE_NAMES)
    assert all(c.data_type == "s" for c in cells)
    # file names: bounded, no separators, nothing outside the round
    long_file = next(p for p in letters if p.name.startswith("004-"))
    assert len(long_file.stem) <= 4 + 60 and LONG_NAME.startswith(long_file.stem[4:])
    assert not any(".." in p.name or "/" in p.name or "\\" in p.name for p in paths)
    assert {p.parent.resolve() for p in letters} == {(dest / "检查通知书").resolve()}
    assert sorted(x.name for x in (dest / "检查通知书").iterdir()) == sorted(p.name for p in letters)
    con = next(p for p in letters if p.name.startswith("007-"))
    assert con.name == "007-_CON.docx"  # a device name never stands alone, even without the prefix


def test_reproducible_bytes(tmp_path):
    ws = make_ws(tmp_path, HOSTILE_NAMES[:3])
    record = make_record(ws)
    a = write_papers(tmp_path / "a", ws, record)
    heard: list[tuple[str, int, int]] = []
    b = write_papers(tmp_path / "b", ws, record, progress=lambda *a: heard.append(a))
    assert heard[0][:2] == ("progress_papers", 0) and heard[-1][1] == heard[-1][2]  # opened and closed
    rel_a = {p.relative_to(tmp_path / "a").as_posix(): p.read_bytes() for p in a}
    rel_b = {p.relative_to(tmp_path / "b").as_posix(): p.read_bytes() for p in b}
    assert rel_a.keys() == rel_b.keys()
    for k in rel_a:
        assert rel_a[k] == rel_b[k], k
    # fixed zip timestamps and the notice date in core.xml
    letter = next(p for p in a if p.suffix == ".docx")
    with zipfile.ZipFile(letter) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.testzip() is None
        assert b"2026-02-20T00:00:00Z" in z.read("docProps/core.xml")
    # a different notice date changes the documents (the date is not a constant)
    ws.plan.notice_date = ws.plan.notice_date.replace(day=19)
    c = write_papers(tmp_path / "c", ws, record)
    assert c[0].read_bytes() != a[0].read_bytes()


def test_empty_round_writes_consistent_papers(tmp_path):
    ws = make_ws(tmp_path)
    record = make_record(ws)
    record["selected"], record["teams"] = [], []
    paths = write_papers(tmp_path / "out", ws, record)
    assert not any(p.parent.name == "检查通知书" for p in paths)
    for p in paths:
        if p.suffix == ".xlsx":
            check_xlsx(p)
        else:
            docx.Document(p)


def test_unknown_id_in_record_is_an_input_error(tmp_path):
    from shuijie.core.errors import InputError

    ws = make_ws(tmp_path)
    record = make_record(ws)
    record["teams"][0]["inspectors"][0] = "NOBODY"
    with pytest.raises(InputError) as exc:
        write_papers(tmp_path / "out", ws, record)
    assert exc.value.problems[0].code == "paper_unknown_id"
    assert "NOBODY" in exc.value.problems[0].message("zh")
