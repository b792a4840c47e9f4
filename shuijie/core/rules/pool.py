"""The plan's inspector pool (第九条 the registry of inspectors, 第十二条 drawn from it).

``inspector_pool`` in the plan narrows the registry: an active inspector is in
the pool when their unit is among ``units`` **or** their id is among ``ids``
(so a plan can take one 科室 and add a named person); both empty: every
active inspector (docs/draw-algorithm.md).  ``check`` and the snapshot call
:func:`pool`, and nothing else decides it.

>>> from types import SimpleNamespace as N
>>> people = [N(id="J001", unit="危化科", active=True), N(id="J002", unit="执法支队", active=True),
...           N(id="J003", unit="执法支队", active=False)]
>>> [p.id for p in pool(people, N(units=["危化科"], ids=["J002"]))]
['J001', 'J002']
>>> [p.id for p in pool(people, N(units=[], ids=[]))]
['J001', 'J002']
"""

from __future__ import annotations

from typing import Any, Iterable


def in_pool(person: Any, units: set[str], ids: set[str]) -> bool:
    """Active, and (no narrowing, or unit listed, or id listed)."""
    return bool(person.active) and ((not units and not ids) or person.unit in units or person.id in ids)


def pool(inspectors: Iterable[Any], spec: Any) -> list[Any]:
    """The pool's inspectors, in registry order; ``spec`` is the plan's ``inspector_pool``."""
    units, ids = set(spec.units), set(spec.ids)
    return [p for p in inspectors if in_pool(p, units, ids)]
