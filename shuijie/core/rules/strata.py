"""第二十五条: strata by risk and credit, each drawn by a ratio or a count.

根据检查对象的风险等级、信用等级分类确定抽查比例和频次.  A plan's stratum names
exactly one of ``ratio`` (a decimal, 0 < r ≤ 1) or ``count``; objects go to the
first stratum whose ``where`` matches (an empty ``where`` is the default).
:func:`size` is the number drawn from a stratum of ``n`` objects, exactly (no floats).

>>> size(7, ratio="0.3"), size(7, count=10), size(0, ratio="1")
(3, 7, 0)
>>> ratio_ok("0.5"), ratio_ok("0"), ratio_ok("1.5"), ratio_ok("abc")
(True, False, False, False)
>>> ratio_text(".5"), ratio_text("0.50")
('0.5', '0.50')
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

PLAIN_DECIMAL = re.compile(r"^[0-9]+(\.[0-9]+)?$")


def ratio_ok(ratio: str) -> bool:
    """A finite decimal with 0 < r ≤ 1."""
    try:
        r = Decimal(ratio)
    except InvalidOperation:
        return False
    return r.is_finite() and 0 < r <= 1


def ratio_text(ratio: str | None) -> str | None:
    """The ratio as a plain decimal string (``.5`` / ``5e-1`` → ``0.5``); ``0.50`` stays as written."""
    if ratio is None or PLAIN_DECIMAL.match(ratio):
        return ratio
    try:
        return format(Decimal(ratio), "f")
    except InvalidOperation:
        return ratio


def size(n: int, *, count: int | None = None, ratio: str | None = None) -> int:
    """k = min(count, n), or min(n, ⌈n × ratio⌉) computed exactly; ``ratio`` a plain decimal string."""
    if count is not None:
        return min(count, n)
    prod = n * Fraction(ratio)  # type: ignore[arg-type]
    return min(n, -((-prod.numerator) // prod.denominator))


def problems(strata: list[Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """``(plan key, code, params)`` for each rule the plan's strata break (names, ratio or count)."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    if not strata:
        out.append(("strata", "strata_empty", {}))
    names: set[str] = set()
    for i, s in enumerate(strata):
        key = f"strata.{i}"
        if s.name in names:
            out.append((f"{key}.name", "stratum_duplicate", {"name": s.name}))
        names.add(s.name)
        if (s.ratio is None) == (s.count is None):
            out.append((key, "stratum_ratio_or_count", {"name": s.name}))
        if s.ratio is not None and not ratio_ok(s.ratio):
            out.append((f"{key}.ratio", "stratum_ratio_invalid", {"name": s.name, "value": s.ratio}))
        if s.count is not None and s.count < 0:
            out.append((f"{key}.count", "stratum_count_invalid", {"name": s.name, "value": s.count}))
    return out
