"""The plan's population filter (第八条 objects registry, 第二十五条 strata).

A filter maps an object field (area, industry, risk, credit, kind …) to the
accepted values; an object passes when every listed field holds one of them.
Values are compared NFC-normalised and stripped, so a registry typed on one
machine and a plan on another agree.  ``check``, the snapshot and the strata all
use :func:`mask` on the objects registry's columns (shuijie.core.objects): the
filter is applied column by column, each distinct value compared once.

>>> from shuijie.core.models import Object
>>> from shuijie.core.objects import ObjectTable
>>> o = dict(name="n", address="a", principal="p", phone="1")
>>> t = ObjectTable.from_records([Object(id="1", industry="危险化学品经营", area="浉河区", risk="高", **o),
...                               Object(id="2", industry="工贸", area="平桥区", risk="高", **o)])
>>> mask(t, {"industry": ["危险化学品经营"], "risk": ["高", "较高"]})
b'\\x01\\x00'
>>> select_rows(t, {"area": ["平桥区"]}), select_rows(t, {})
([1], [0, 1])
>>> unknown_values(t, {"area": ["罗山县", "浉河区"]})
[('area', '罗山县')]
"""

from __future__ import annotations

import unicodedata
from itertools import compress
from operator import and_
from typing import Any

Accepts = list[tuple[str, frozenset[str]]]


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s.strip())


def accepts(where: dict[str, list[str]]) -> Accepts:
    """A filter prepared once: field → the accepted values, NFC-normalised."""
    return [(f, frozenset(nfc(v) for v in vals)) for f, vals in where.items()]


def passing(column: list[str], accepted: frozenset[str]) -> set[str]:
    """The distinct values of ``column`` a filter accepting ``accepted`` lets through."""
    return {v for v in set(column) if nfc(v) in accepted}


def mask(table: Any, where: dict[str, list[str]], base: bytes | None = None) -> bytes:
    """One byte per object of the table: 1 where it passes ``where`` (and ``base``, if given).
    Built by C loops (``map`` over a column): no Python step and no int object per object."""
    out = base if base is not None else b"\x01" * len(table)
    for f, vals in accepts(where):
        column = table.column(f)
        ok = passing(column, vals)
        out = bytes(map(and_, out, map(ok.__contains__, column)))
    return out


def select_rows(table: Any, where: dict[str, list[str]]) -> list[int]:
    """Positions of the table's objects passing ``where``, in order."""
    return list(compress(range(len(table)), mask(table, where)))


def unknown_values(table: Any, where: dict[str, list[str]]) -> list[tuple[str, str]]:
    """``(field, value)`` of a filter that no object of the table holds (a typo in the plan)."""
    out: list[tuple[str, str]] = []
    for f, vals in where.items():
        have = {nfc(v) for v in set(table.column(f))}
        out.extend((f, v) for v in vals if nfc(v) not in have)
    return out
