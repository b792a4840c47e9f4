"""Safe Chinese file and sheet names: nothing a clerk types can place a file outside the
round folder or give a name Windows cannot open."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shuijie.papers.names import MAX_CHARS, numbered, safe_filename, safe_sheet_title

RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?$", re.I)
text = st.text(alphabet=st.characters(codec="utf-8"), max_size=250)
hostile = st.lists(st.sampled_from(["/", "\\", "..", ".", " ", ":", "*", "?", '"', "<", ">", "|",
                                    "\x00", "\x1f", "\x7f", "CON", "nul", "Com1", "lpt9", "甲", "😀",
                                    "=cmd", "'"]), max_size=40).map("".join)


def check_name(name: str) -> None:
    assert name and name not in (".", "..")
    assert not re.search(r'[/\\:*?"<>|\x00-\x1f\x7f]', name)
    assert ".." not in name
    assert name == name.strip(" .")
    assert not RESERVED.match(name)
    assert len(name) <= MAX_CHARS and len(name.encode("utf-8")) <= 180


@settings(max_examples=300, deadline=None)
@given(st.one_of(text, hostile))
def test_safe_filename_properties(raw):
    name = safe_filename(raw)
    check_name(name)
    assert safe_filename(name) == name  # idempotent


@settings(max_examples=50, deadline=None)
@given(st.one_of(text, hostile))
def test_written_file_stays_inside_the_folder(tmp_path_factory, raw):
    dest = tmp_path_factory.mktemp("round")
    path = dest / numbered(7, raw, "docx")
    path.write_bytes(b"x")
    assert path.resolve().parent == dest.resolve()
    assert [p.name for p in dest.iterdir()] == [path.name]


@pytest.mark.parametrize("raw, expected", [
    ("信阳市甲化工有限公司", "信阳市甲化工有限公司"),
    ("../../x", "_._x"),
    ("a/b\\c", "a_b_c"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("com1", "_com1"),
    ("  .隐藏. ", "隐藏"),
    ("甲&乙<公司>", "甲&乙_公司_"),
    ("=cmd|' /C calc'!A0", "=cmd_' _C calc'!A0"),
    ("", "未命名"),
    ("...", "未命名"),
    ("🏭化工", "🏭化工"),
])
def test_safe_filename_examples(raw, expected):
    assert safe_filename(raw) == expected


def test_long_name_is_capped():
    name = safe_filename("很长的名字" * 40)
    assert len(name) == MAX_CHARS and name == ("很长的名字" * 40)[:MAX_CHARS]
    emoji = safe_filename("😀" * 100)
    assert len(emoji.encode("utf-8")) <= 180 and set(emoji) == {"😀"}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(text, hostile), max_size=12))
def test_sheet_titles_valid_and_unique(raws):
    used: set[str] = set()
    titles = [safe_sheet_title(r, used) for r in raws]
    assert len({t.lower() for t in titles}) == len(titles)
    for t in titles:
        assert t and len(t.encode("utf-16-le")) // 2 <= 31
        assert not re.search(r"[\[\]:*?/\\]", t)
        assert not t.startswith("'") and not t.endswith("'")
        assert t.lower() != "history"
