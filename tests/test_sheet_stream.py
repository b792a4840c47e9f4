"""An objects workbook read row by row (issue 15: Excel's 1,048,575 rows) must change nothing.

Each case is loaded twice: streamed (:class:`shuijie.registries.tables.SheetStream`, with a
small ``HEAD`` and ``CHUNK`` so that a hundred rows cross many chunks) and read whole
(``read_workbook``, as before the stream).  Both must give the same problems in the same
order, the same columns and the same records with their rows; pass two (records of a few
rows, which stops once the highest wanted row is passed) the same records too.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import shuijie.registries.load as R
from shuijie.core.errors import ProblemList
from shuijie.core.ids import uscc_for_serial
from shuijie.core.models import Object
from shuijie.registries.tables import SheetStream

HEADER = ["统一社会信用代码", "名称", "地址", "负责人", "联系方式", "区域", "行业", "风险等级", "许可文号"]
WIDTH = len(HEADER)


def _row(i: int, area: str = "浉河区") -> list:
    return [uscc_for_serial(i), f"公司{i}", f"地址{i}", "张三", f"138{i:08d}", area, "危化", "高",
            f"许{i}" if i % 3 else None]


def _rows(a: int, b: int) -> list[list]:
    return [_row(i) for i in range(a, b)]


BLANK = [None] * WIDTH
SPACES = ["  "] + [None] * (WIDTH - 1)  # a cell of spaces: inside calamine's used range

CASES: dict[str, list[list]] = {
    "plain": [HEADER, *_rows(0, 120)],
    "exactly_head": [HEADER, *_rows(0, 29)],
    "head_plus_one": [HEADER, *_rows(0, 30)],
    "small": [HEADER, *_rows(0, 5)],
    "trailing_blank": [HEADER, *_rows(0, 100), BLANK, SPACES, BLANK, SPACES],
    "trailing_blank_over_chunks": [HEADER, *_rows(0, 100), *[SPACES] * 21],
    "trailing_footer": [HEADER, *_rows(0, 100), ["合计", "100家", *[None] * (WIDTH - 2)], SPACES,
                        ["填表人：张三", *[None] * (WIDTH - 1)]],
    "footer_like_inside": [HEADER, *_rows(0, 60), ["注：以下为新增", *[None] * (WIDTH - 1)], *_rows(60, 100)],
    "blank_between_late": [HEADER, *_rows(0, 90), BLANK, *_rows(90, 110)],
    "blank_between_early": [HEADER, *_rows(0, 3), BLANK, *_rows(3, 80)],
    "whitespace_inside": [HEADER, *_rows(0, 70), SPACES, *_rows(70, 100)],
    # (CHUNK 8: the body's rows 8k..8k+7 are a chunk; a row held at a chunk's end is released by the next)
    "whitespace_at_chunk_end": [HEADER, *_rows(0, 71), SPACES, *_rows(71, 100)],
    "footer_like_at_chunk_end": [HEADER, *_rows(0, 63), ["合计", *[None] * (WIDTH - 1)], *_rows(63, 100)],
    "whitespace_run_inside": [HEADER, *_rows(0, 40), *[SPACES] * 12, *_rows(40, 80)],
    "whitespace_and_blank_inside": [HEADER, *_rows(0, 50), SPACES, *_rows(50, 70), BLANK, *_rows(70, 90)],
    "example_row": [HEADER, ["案例（请删除）", *_row(0)[1:]], *_rows(1, 90)],
    "title_and_hint": [["检查对象名录库"], ["填报单位：某局"], HEADER,
                       ["必填", "必填", "必填", "必填", "必填", "必填", "必填", "高/较高/一般/低", "选填"],
                       *_rows(0, 90)],
    "only_header_then_spaces": [HEADER, *[SPACES] * 50],
    "blank_top_rows": [*[SPACES] * 40, HEADER, *_rows(0, 60)],
    "numbers_and_bad_rows": [HEADER, *_rows(0, 40), [123456789012345678, *_row(40)[1:]],
                             *[_row(i, area="" if i % 7 == 0 else "平桥区") for i in range(41, 100)],
                             [_row(100)[0], "公司100"]],
}


def _write(path: Path, rows: list[list], *, at: str = "A1", formula_at: int | None = None,
           merge_at: int | None = None) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "检查对象"
    r0 = int(at[1:])
    c0 = ord(at[0]) - 64
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None:
                ws.cell(r0 + i, c0 + j, v)
    if formula_at is not None:
        ws.cell(formula_at, c0 + 1, '="公司"&"x"')
    if merge_at is not None:
        ws.merge_cells(start_row=merge_at, start_column=c0 + 2, end_row=merge_at + 1, end_column=c0 + 2)
    wb.save(path)


def _load(path: Path):
    probs = ProblemList()
    table = R.load_registry("objects", path, path.name, probs)
    records = [(r.model_dump(), r.src) for r in table.every_record()]
    picked = sorted({0, len(table) // 2, len(table) - 1}) if len(table) else []
    again = R.ObjectFile(path, path.name, {})  # pass two of a fresh source
    return ([p.to_dict() for p in probs.items], table.ids, list(table.rows),
            {f: table.column(f) for f in ("area", "industry", "risk", "kind")}, list(table.filled("license_no")),
            records, [(r.model_dump(), r.src) for r in table.records(picked)],
            {n: (r.model_dump(), r.src) for n, r in again.read({table.rows[i] for i in picked}).items()})


class _Whole:
    """Instead of SheetStream: the workbook read whole, as before streaming."""

    ok = False
    table = None
    problems: list = []

    def __init__(self, path, shown, spec, **_):
        self.args = (path, shown, spec)

    def whole(self):
        path, shown, spec = self.args
        return R._read_book(Object, path, shown, spec, {})

    def close(self):
        pass


@pytest.fixture()
def small_chunks(monkeypatch):
    monkeypatch.setattr(SheetStream, "HEAD", 30)
    monkeypatch.setattr(SheetStream, "CHUNK", 8)


def _both(path: Path, monkeypatch):
    streamed = _load(path)
    with monkeypatch.context() as m:
        m.setattr(R, "SheetStream", _Whole)
        whole = _load(path)
    return streamed, whole


@pytest.mark.parametrize("case", sorted(CASES))
def test_streamed_sheet_same_as_whole(case: str, tmp_path: Path, monkeypatch, small_chunks) -> None:
    path = tmp_path / f"{case}.xlsx"
    _write(path, CASES[case])
    streamed, whole = _both(path, monkeypatch)
    assert streamed == whole
    if case == "plain":
        assert len(streamed[1]) == 120 and streamed[2][:2] == [2, 3] and not streamed[0]


@pytest.mark.parametrize("case", ["plain", "title_and_hint", "trailing_blank"])
def test_streamed_sheet_placed_off_a1_with_formula_and_merged_late(case: str, tmp_path: Path, monkeypatch,
                                                                    small_chunks) -> None:
    """A sheet starting at C4 (calamine's iter_rows starts at row 1: the rows above are skipped),
    a formula at row 80 and a merged range at row 95: the same problems at the same cells."""
    path = tmp_path / f"{case}.xlsx"
    _write(path, CASES[case], at="C4", formula_at=80, merge_at=95)
    streamed, whole = _both(path, monkeypatch)
    assert streamed == whole
    assert {"cell_formula", "cell_merged"} <= {p["code"] for p in streamed[0]}


def test_streamed_sheet_at_the_real_head(tmp_path: Path, monkeypatch) -> None:
    """With the real HEAD and CHUNK: 5,000 rows, a bad row late and trailing blank rows."""
    rows = [HEADER, *_rows(0, 4000), _row(4000, area=""), *_rows(4001, 5000), SPACES, BLANK, SPACES]
    path = tmp_path / "objects.xlsx"
    _write(path, rows)
    streamed, whole = _both(path, monkeypatch)
    assert streamed == whole
    assert [(p["code"], p["row"]) for p in streamed[0]] == [("field_required", 4002)]


def test_pass_two_stops_after_the_highest_wanted_row(tmp_path: Path, small_chunks) -> None:
    """A re-read for rows up to 50 stops within a chunk of row 50 (it does not convert the rest)."""
    path = tmp_path / "objects.xlsx"
    _write(path, CASES["plain"])
    spec = R.header_spec(Object)
    full = SheetStream(path, path.name, spec)
    assert full.ok and full.table is not None
    n_all = len(full.table.rows) + sum(1 for _ in full.rest())
    assert full.ok and n_all == 120
    part = SheetStream(path, path.name, spec, with_cells=False, until=50)
    assert part.ok and part.table is not None
    got = [n for n, _ in [*part.table.rows, *part.rest()]]
    assert part.ok and 50 in got and max(got) < 50 + SheetStream.CHUNK
    assert part.problems == []


def test_ids_checked_a_chunk_at_a_time_as_one_by_one() -> None:
    """_all_uscc (a chunk of ids by C loops) says yes exactly when every id is _plain_id's
    common case: GB 32100 characters, digits in positions 3–8, the right check character."""
    import random

    from shuijie.core.ids import USCC_ALPHABET, uscc_check_char

    rnd = random.Random(15)
    heads = ["91411502MA", "A1110000MB", "N2330101XY", "12345678AB"]
    ids = [uscc_for_serial(i, head=rnd.choice(heads)) for i in range(300)]
    assert R._all_uscc(ids) and not R._all_uscc([])

    def common(x: str) -> bool:
        return (len(x) == 18 and set(x) <= set(USCC_ALPHABET) and x[2:8].isdigit() and not x.isdigit()
                and x[17] == uscc_check_char(x))

    seen = set()
    for _ in range(5000):
        x = list(rnd.choice(ids))
        for _ in range(rnd.randint(1, 2)):
            x[rnd.randrange(18)] = rnd.choice(USCC_ALPHABET + "IOZSVa１ ")
        one = "".join(x)
        if rnd.random() < 0.1:  # 18 digits: a 身份证号码's shape, never the common case
            one = "".join(rnd.choice("0123456789") for _ in range(17))
            one += uscc_check_char(one)
        if rnd.random() < 0.05:
            one = one[:17]
        want = common(one)
        seen.add(want)
        assert R._all_uscc([one]) == want and R._all_uscc([*ids[:100], one, *ids[100:]]) == want, one
    assert seen == {True, False}
