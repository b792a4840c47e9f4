"""Memory work of issues 6 and 15 (provincial scale): the streamed objects CSV, the objects
registry as columns with records on demand, and the papers written piecewise must change no
behaviour and no byte.

Each test compares the streamed / piecewise way with the careful way on small inputs
(the 1M-object measurements are in benchmarks/RESULTS.md)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from reference_impl import combine, flush

import shuijie.registries.load as R
from shuijie.core.errors import InputError, ProblemList
from shuijie.core.ids import uscc_for_serial
from shuijie.core.models import Object, SourceRef
from shuijie.papers import engine, layout, repro

HEADER = "统一社会信用代码,名称,地址,负责人,联系方式,区域,行业,风险等级"


def _row(i: int, name: str | None = None, area: str = "浉河区") -> str:
    return f"{uscc_for_serial(i)},{name or f'公司{i}'},地址{i},张三,138{i:08d},{area},危化,高"


CASES = {
    "plain": [HEADER] + [_row(i) for i in range(1200)],
    "trailing_blank": [HEADER] + [_row(i) for i in range(1100)] + ["", ",,,", "  , "],
    "leading_blank": ["", ",,", HEADER] + [_row(i) for i in range(5)],
    "blank_between_late": [HEADER] + [_row(i) for i in range(1100)] + [""] + [_row(i) for i in range(1100, 1150)],
    "blank_between_early": [HEADER, _row(1), "", _row(2)],
    "whitespace_row": [HEADER] + [_row(i) for i in range(1050)] + [" , , "] + [_row(1050)],
    "multiline_cells": [HEADER] + [_row(i, f'"多\n行{i}"') for i in range(1100)],
    "header_only": [HEADER],
    "header_then_blank": [HEADER, "", ""],
    "all_blank": ["", ""],
    "title_row": ["检查对象名录库,,,,,,,", HEADER] + [_row(i) for i in range(3)],
    "missing_column": ["名称,地址", "a,b"],
    "bad_rows": [HEADER] + [_row(i, area="" if i % 97 == 0 else "浉河区") for i in range(1500)] + ["x,y"],
    "not_nfc": [HEADER] + [_row(i, name="Cafe\u0301" if i % 5 == 0 else None,
                                area="A\u030a区" if i % 7 == 0 else "浉河区") for i in range(1100)],
    "not_nfc_unused_column_only": [HEADER] + [_row(i, name="Cafe\u0301" if i == 1050 else None) for i in range(1100)],
    "many_bad_ids": [HEADER] + [_row(i).replace("9141", "0000", 1) for i in range(60)],
}


def _load(path: Path):
    probs = ProblemList()
    table = R.load_registry("objects", path, path.name, probs)
    return ([p.to_dict() for p in probs.items],
            [(r.model_dump(), r.src) for r in table.every_record()])


def _no_stream(self, col, stream, extra):  # ObjectFile._streamed giving up at once
    return False
    yield


@pytest.mark.parametrize("case", sorted(CASES))
def test_streamed_csv_same_records_and_problems(case: str, tmp_path: Path, monkeypatch) -> None:
    """Streamed or read whole, an objects CSV gives the same records (with their row) and the
    same problems in the same order; irregular files fall back to the whole read."""
    path = tmp_path / f"{case}.csv"
    path.write_text("\ufeff" + "\r\n".join(CASES[case]) + "\r\n", encoding="utf-8")
    streamed = _load(path)
    monkeypatch.setattr(R.ObjectFile, "_streamed", _no_stream)
    whole = _load(path)
    assert streamed == whole
    if case == "plain":
        assert len(streamed[1]) == 1200 and streamed[1][0][1].row == 2


@pytest.mark.parametrize("case", sorted(CASES))
def test_columns_of_clean_chunks_are_the_row_by_row_ones(case: str, tmp_path: Path, monkeypatch) -> None:
    """Pass one checks a chunk of plain rows column by column: the same ids, rows, columns and
    problems (in the same order) as the row-by-row way."""
    path = tmp_path / f"{case}.csv"
    path.write_text("\ufeff" + "\r\n".join(CASES[case]) + "\r\n", encoding="utf-8")

    def table():
        probs = ProblemList()
        t = R.load_registry("objects", path, path.name, probs)
        return ([p.to_dict() for p in probs.items], t.ids, list(t.rows),
                {f: t.column(f) for f in ("area", "industry", "risk", "kind", "status")}, list(t.filled("license_no")))

    chunked = table()
    monkeypatch.setattr(R, "_clean_chunk", lambda chunk, fields, wanted: None)
    assert table() == chunked


def test_streamed_csv_not_utf8_late(tmp_path: Path, monkeypatch) -> None:
    """A bad byte after the first 1,000 rows: the stream gives up, the whole read reports it."""
    path = tmp_path / "objects.csv"
    body = "\r\n".join(_row(i) for i in range(1500)) + "\r\n"
    path.write_bytes(("\ufeff" + HEADER + "\r\n" + body).encode() + b"\xff\xfe,x\r\n")
    probs, recs = _load(path)
    assert [p["code"] for p in probs] == ["csv_not_utf8"] and recs == []
    monkeypatch.setattr(R.ObjectFile, "_streamed", _no_stream)
    assert _load(path) == (probs, recs)


def test_more_than_fifty_of_a_kind_is_summed_up(tmp_path: Path) -> None:
    """60 bad ids: 50 listed and one line for the other 10 (this used to be a TypeError)."""
    path = tmp_path / "objects.csv"
    path.write_text("\ufeff" + "\r\n".join(CASES["many_bad_ids"]) + "\r\n", encoding="utf-8")
    probs, _ = _load(path)
    assert len(probs) == 51
    assert probs[-1]["code"] == "more_of_same" and "10" in probs[-1]["message"]


def _table(path: Path, shown: str = "registries/objects.csv"):
    probs = ProblemList()
    table = R.load_registry("objects", path, shown, probs)
    assert not probs.errors
    return table


def test_columns_and_records_on_demand_agree(tmp_path: Path) -> None:
    """The kept columns hold what the records say; a record built on demand is exactly the
    validated record of its row (same values, same fields set, its place)."""
    path = tmp_path / "objects.csv"
    path.write_text("\ufeff" + "\r\n".join(CASES["plain"][:40]) + "\r\n", encoding="utf-8")
    table = _table(path)
    assert len(table) == 39 and table.rows[0] == 2
    recs = table.records([5, 0, 17])
    assert [r.id for r in recs] == [table.ids[5], table.ids[0], table.ids[17]]
    o = recs[0]
    assert o.src == SourceRef("registries/objects.csv", 7, o.src.columns) and o.src.column("area") == "区域"
    twin = Object.model_validate({k: v for k, v in o.model_dump().items() if k in o.model_fields_set})
    twin._src = o.src
    assert twin == o and o.model_fields_set == twin.model_fields_set
    for field in ("area", "industry", "risk", "kind", "status"):
        assert table.column(field) == [getattr(r, field) for r in table.every_record()]
    assert list(table.filled("license_no")) == [0] * 39  # no 许可文号 column
    assert table.records_by_id([table.ids[3], "nope"]) == {table.ids[3]: table.records([3])[0]}
    assert o.model_copy(update={"name": "改名"}).name == "改名" and o.name == "公司5"


@pytest.mark.parametrize("case", ["plain", "multiline_cells", "trailing_blank", "blank_between_late"])
def test_records_read_at_their_offsets_are_the_streamed_ones(case: str, tmp_path: Path) -> None:
    """Pass two of a streamed CSV seeks to each wanted record's first line (quoted cells over
    several lines included); an irregular file is read again whole.  Same records either way."""
    path = tmp_path / "objects.csv"
    path.write_text("\ufeff" + "\r\n".join(CASES[case]) + "\r\n", encoding="utf-8")
    probs = ProblemList()
    table = R.load_registry("objects", path, "o.csv", probs)
    streamed = table.source.offsets is not None
    assert streamed == (case != "blank_between_late")
    every = list(table.every_record())
    picked = [0, 1, len(table) // 2, len(table) - 1]
    assert table.records(picked) == [every[i] for i in picked]
    assert [r.src.row for r in table.records(picked)] == [table.rows[i] for i in picked]


def test_records_come_from_the_bytes_that_were_checked(tmp_path: Path) -> None:
    """Pass two reads the file again: a changed file is refused (registry_changed); a byte copy
    (a round's inputs/) gives the same records, still placed in the clerk's file."""
    path = tmp_path / "objects.csv"
    path.write_text("\ufeff" + "\r\n".join(CASES["plain"][:10]) + "\r\n", encoding="utf-8")
    table = _table(path)
    copy = tmp_path / "copy.csv"
    shutil.copyfile(path, copy)
    moved = table.moved(copy)
    path.write_text("\ufeff" + "\r\n".join(CASES["plain"][:9]) + "\r\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        table.records([2])
    assert [p.code for p in exc.value.problems] == ["registry_changed"]
    assert exc.value.problems[0].file == "registries/objects.csv"
    rec = moved.records([2])[0]
    assert rec.id == table.ids[2] and rec.src.file == "registries/objects.csv" and rec.src.row == 4


def test_a_workbook_registry_is_the_same_table(tmp_path: Path) -> None:
    """The same rows as .xlsx: the same ids, columns and records (read again on demand)."""
    from openpyxl import Workbook

    rows = [line.split(",") for line in CASES["plain"][:30]]
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    xlsx = tmp_path / "objects.xlsx"
    wb.save(xlsx)
    csv_path = tmp_path / "objects.csv"
    csv_path.write_text("\ufeff" + "\r\n".join(CASES["plain"][:30]) + "\r\n", encoding="utf-8")
    a, b = _table(xlsx, "o"), _table(csv_path, "o")
    assert a.ids == b.ids and list(a.rows) == list(b.rows)
    assert [r.model_dump() for r in a.records(range(29))] == [r.model_dump() for r in b.records(range(29))]


NASTY = ["", " ", "  x  ", "\t", "a\rb", "a\r\nb\nc", "&<>\"'", "]]>", "😀𠀀", "\x01\x0b\x1f",
         "\u3000全角\u3000", "a\n", "x&amp;y", "<w:t>"]


def _report_like(chunk: int, monkeypatch) -> bytes:
    monkeypatch.setattr(layout, "_CHUNK", chunk)
    doc = layout.new_document("T&<>")
    layout.add_title(doc, "标题 & <x>")
    for i, t in enumerate(NASTY):
        layout.add_body(doc, t)
        layout.add_hash(doc, t)
        layout.add_heading(doc, t, level=1 + i % 2)
        layout.add_blank(doc)
        layout.add_table(doc, ("a", t, "c"), [(t, str(i), None), (t + "1", "", t)] * (i + 1), (40, 40, 40))
    layout.add_body(doc, "end")
    return layout.document_bytes(doc, None)


def test_document_bytes_do_not_depend_on_chunks(monkeypatch) -> None:
    """Blocks settled 2, 3 or 500 at a time give the bytes of one whole parse (flush + save)."""
    many = _report_like(10_000, monkeypatch)
    assert _report_like(2, monkeypatch) == many
    assert _report_like(3, monkeypatch) == many
    # the whole way: every block into python-docx's tree, then saved
    monkeypatch.setattr(layout, "_CHUNK", 10_000)
    doc = layout.new_document("T&<>")
    layout.add_body(doc, "甲 & <乙>")
    layout.add_table(doc, ("a", "b"), [("", " "), ("x\ny", "😀")], (40, 40))
    piecewise = layout.document_bytes(doc, None)
    doc = layout.new_document("T&<>")
    layout.add_body(doc, "甲 & <乙>")
    layout.add_table(doc, ("a", "b"), [("", " "), ("x\ny", "😀")], (40, 40))
    flush(doc)
    buf = io.BytesIO()
    doc.doc.save(buf)
    whole = repro.normalize_zip(layout._strip_parts(buf.getvalue()), None)
    assert piecewise == whole
    xml = zipfile.ZipFile(io.BytesIO(piecewise)).read("word/document.xml").decode()
    assert "甲 &amp; &lt;乙&gt;" in xml and xml.index("甲") < xml.rindex("<w:sectPr")


def test_document_bytes_deflated_as_they_come(monkeypatch) -> None:
    """Saved blocks deflated into document.xml as they come (past _HOLD bytes) give the bytes
    of blocks held to the end, also when the page changes after the first were deflated."""
    held = _report_like(3, monkeypatch)
    monkeypatch.setattr(layout, "_HOLD", 0)
    assert _report_like(3, monkeypatch) == held

    def page(change_late: bool) -> bytes:
        doc = layout.new_document("T")
        if not change_late:
            doc.doc.add_paragraph("python-docx")
        layout.add_table(doc, ("a", "b"), [("甲", "<&>")] * 7, (40, 40))
        if change_late:
            assert doc.sink is not None  # the table's blocks are deflated already
            doc.doc.add_paragraph("python-docx")
        layout.add_body(doc, "end")
        return layout.document_bytes(doc, None)

    assert page(True) == page(False)


def test_combined_letters_streamed_same_bytes(workspace: Path) -> None:
    from shuijie.core.draw import run_draw
    from shuijie.core.snapshot import build_snapshot
    from shuijie.papers.context import build
    from shuijie.registries.check import load_workspace

    ws = load_workspace(next((workspace / "plans").glob("*.yaml")))
    snap = build_snapshot(ws)
    record = run_draw(snap.files, ["a"])
    record.update(unmatched=snap.unmatched, cooldown_excluded=snap.cooldown_excluded)
    tpl = engine.load_template(ws.plan_path, engine.LETTER_TEMPLATE)
    bodies = [tpl.render_xml(v.context)["word/document.xml"] for v in build(ws, record)]
    assert len(bodies) >= 2
    for docs in (bodies, bodies[:1]):
        whole = combine(docs)
        a = repro.Entry("word/document.xml", whole.encode("utf-8"))
        b = repro.Entry.streamed("word/document.xml", engine.combine_pieces(iter(docs)))
        assert (a.data, a.crc, a.csize, a.usize) == (b.data, b.crc, b.csize, b.usize)
        assert whole.count("<w:sectPr") == len(docs)
