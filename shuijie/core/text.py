"""Small shared encodings: JSON bytes, dates in Chinese, yes / no words.

One definition each, used by every writer and reader:

* :func:`json_bytes` — every JSON file the tool writes (snapshot
  ``parameters.json``, ``draw.json``, commitment, manifest, results,
  publication): UTF-8, no ASCII escapes, 2-space indent, final newline; keys
  sorted or in the order built, as each file's format says;
* :func:`date_cn` — 成文日期 and every date a paper prints (2026年2月20日);
  :func:`as_date` — a date or its ISO text;
* :func:`yes_no` — 是 / 否 and their equivalents in a registry or a results sheet.

>>> json_bytes({"b": 1, "a": "是"}, sort_keys=True)
b'{\\n  "a": "\\xe6\\x98\\xaf",\\n  "b": 1\\n}\\n'
>>> date_cn("2026-02-20"), date_cn(None)
('2026年2月20日', '')
>>> yes_no(" yes "), yes_no("否"), yes_no(""), yes_no("maybe")
(True, False, False, None)
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from typing import Any

YES_WORDS = frozenset({"是", "TRUE", "1", "Y", "YES", "√", "有"})
NO_WORDS = frozenset({"否", "FALSE", "0", "N", "NO", "×", "无", ""})


def json_bytes(doc: Any, sort_keys: bool = False) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n").encode("utf-8")


def as_date(d: dt.date | str) -> dt.date:
    """``d`` itself, or the date of its ISO text (``2026-02-20``)."""
    return d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d))


def date_cn(d: dt.date | str | None) -> str:
    """成文日期 in Arabic numerals: 2026年2月20日 (empty for no date)."""
    if d is None or d == "":
        return ""
    d = as_date(d)
    return f"{d.year}年{d.month}月{d.day}日"


def yes_no(text: Any) -> bool | None:
    """True for 是 / yes / Y / 1 / √ / 有, False for 否 / no / N / 0 / × / 无 / blank (any case), else None."""
    s = str(text).strip().upper() if text is not None else ""
    if s in YES_WORDS:
        return True
    if s in NO_WORDS:
        return False
    return None


def group8(digest: str) -> str:
    """A hash in groups of eight characters (``473294c8 df7e5b66 …``): read aloud, and
    wrapped only between groups."""
    return " ".join(digest[i:i + 8] for i in range(0, len(digest), 8))


_HEADER_MARKS = str.maketrans({"、": "/", "|": "/", "\\": "/", "[": "(", "]": ")", "【": "(", "】": ")",
                               "〔": "(", "〕": ")", "*": None, "※": None, ":": None})
_HEADER_SUFFIXES = ("(必填)", "(选填)", "(必填项)", "(选填项)", "(可选)")


def fold_header(h: str) -> str:
    """A column header as compared: NFKC (full-width → half-width), no spaces or line breaks,
    one bracket and one slash form, no required-field marks.

    >>> fold_header(" 企业（单位） 名称 "), fold_header("*统一社会信用代码／注册号"), fold_header("姓名（必填）")
    ('企业(单位)名称', '统一社会信用代码/注册号', '姓名')
    >>> fold_header("法定代表人、负责人") == fold_header("法定代表人/负责人")
    True
    """
    h = unicodedata.normalize("NFKC", str(h))
    h = "".join(h.split()).translate(_HEADER_MARKS)
    for suffix in _HEADER_SUFFIXES:
        if h.endswith(suffix) and len(h) > len(suffix):
            h = h[: -len(suffix)]
    return h


def closest(value: str, allowed: list[str], n: int = 3) -> list[str]:
    """The allowed values a mistyped ``value`` most likely means: containment and a shared
    prefix first (浉河 → 浉河区, 很高 → 高), then difflib's closest (危化品经营 → 危险化学品经营).

    >>> closest("浉河", ["平桥区", "浉河区", "羊山新区"]), closest("很高", ["高", "较高", "一般", "低"])
    (['浉河区'], ['高', '较高'])
    >>> closest("危化品经营", ["危险化学品经营", "危险化学品生产", "烟花爆竹经营"])
    ['危险化学品经营', '危险化学品生产']
    >>> closest("XYZ", ["高", "低"])
    []
    """
    import difflib

    v = unicodedata.normalize("NFKC", value).strip()
    out: list[str] = []
    scored = []
    for a in allowed:
        na = unicodedata.normalize("NFKC", a).strip()
        if not na:
            continue
        if na in v or v in na:
            scored.append((0, abs(len(na) - len(v)), a))
        elif len(v) >= 2 and na[:2] == v[:2]:
            scored.append((1, abs(len(na) - len(v)), a))
    for _, _, a in sorted(scored, key=lambda t: (t[0], t[1])):
        if a not in out:
            out.append(a)
    for a in difflib.get_close_matches(v, allowed, n=n, cutoff=0.5):
        if a not in out:
            out.append(a)
    return out[:n]


def u8(s: str) -> bytes:
    """The UTF-8 bytes of ``s``: the sort key the spec orders ids, names and paths by."""
    return s.encode("utf-8")
