"""The plan's population filter (第八条 objects registry, 第二十五条 strata).

A filter maps an object field (area, industry, risk, credit, kind …) to the
accepted values; an object passes when every listed field holds one of them.
Values are compared NFC-normalised and stripped, so a registry typed on one
machine and a plan on another agree.  ``check``, the snapshot and the strata
all use :func:`accepts` + :func:`matches`.

>>> from types import SimpleNamespace as N
>>> o = N(industry="危险化学品经营", area="浉河区", risk="高")
>>> matches(o, accepts({"industry": ["危险化学品经营"], "risk": ["高", "较高"]}))
True
>>> matches(o, accepts({"area": ["平桥区"]}))
False
>>> matches(o, accepts({}))
True
"""

from __future__ import annotations

import unicodedata
from itertools import compress
from operator import and_
from typing import Any, Iterable

Accepts = list[tuple[str, frozenset[str]]]


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s.strip())


def field_value(obj: Any, name: str) -> str:
    """An object's field as compared by a filter (booleans as 1/0, missing as empty)."""
    v = getattr(obj, name, None)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    return nfc(str(v))


def accepts(where: dict[str, list[str]]) -> Accepts:
    """A filter prepared once for :func:`matches`."""
    return [(f, frozenset(nfc(v) for v in vals)) for f, vals in where.items()]


def matches(obj: Any, prepared: Accepts) -> bool:
    return all(field_value(obj, f) in vals for f, vals in prepared)


def select(objects: Iterable[Any], where: dict[str, list[str]]) -> list[Any]:
    """The objects passing the filter ``where``, in their order."""
    prepared = accepts(where)
    return [o for o in objects if matches(o, prepared)]


def unknown_values(objects: list[Any], where: dict[str, list[str]]) -> list[tuple[str, str]]:
    """``(field, value)`` of a filter that no object holds (a typo in the plan)."""
    out: list[tuple[str, str]] = []
    for f, vals in where.items():
        have = {field_value(o, f) for o in objects}
        out.extend((f, v) for v in vals if nfc(v) not in have)
    return out


# ---------------------------------------------------------------- the same, on columns
#
# The objects registry is an ObjectTable (shuijie.core.objects): the filter is applied
# column by column, each distinct value compared once, with the same NFC comparison.


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


def unknown_table_values(table: Any, where: dict[str, list[str]]) -> list[tuple[str, str]]:
    """:func:`unknown_values` of an ObjectTable."""
    out: list[tuple[str, str]] = []
    for f, vals in where.items():
        have = {nfc(v) for v in set(table.column(f))}
        out.extend((f, v) for v in vals if nfc(v) not in have)
    return out
