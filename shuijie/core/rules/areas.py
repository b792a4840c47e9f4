"""第九条: 二级机构 inspectors must be qualified and inspect only within their 执法区域.

局属二级机构人员进入执法检查人员名录库的，须具有行政执法资格，并在明确的执法区域内开展检查.
An inspector of the 局机关 has no areas: anywhere (``*`` in the snapshot's
``inspectors.csv``).  The draw applies :func:`may_inspect` on the snapshot's
sets; ``check`` reports :func:`problems`.

>>> may_inspect(None, "浉河区"), may_inspect({"平桥区"}, "浉河区")
(True, False)
>>> snapshot_text([]), snapshot_text(["平桥区", "浉河区"])
('*', '平桥区;浉河区')
>>> parse_snapshot("*") is None
True
"""

from __future__ import annotations

from typing import Any

SECONDARY = "二级机构"
ANYWHERE = "*"
SEPARATOR = ";"


def may_inspect(areas: set[str] | None, area: str) -> bool:
    """An inspector with ``areas`` (None: anywhere) may inspect an object in ``area``."""
    return areas is None or area in areas


def snapshot_text(areas: list[str]) -> str:
    """The ``areas`` field of ``inspectors.csv``: ``*`` or the sorted areas ``;``-joined (given sorted)."""
    return SEPARATOR.join(areas) if areas else ANYWHERE


def parse_snapshot(text: str) -> set[str] | None:
    return None if text == ANYWHERE else set(text.split(SEPARATOR))


def problems(inspector: Any, known_areas: set[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """``(field, code, params)`` for each rule of 第九条 (and the leader's qualification) an inspector breaks.

    ``known_areas`` are the areas of the objects registry (empty: not checked).
    """
    out: list[tuple[str, str, dict[str, Any]]] = []
    if inspector.unit_type == SECONDARY:
        if not inspector.qualified:
            out.append(("qualified", "secondary_not_qualified", {"name": inspector.name}))
        if not inspector.areas:
            out.append(("areas", "secondary_no_areas", {"name": inspector.name}))
    if inspector.can_lead and not inspector.qualified:
        out.append(("can_lead", "leader_not_qualified", {"name": inspector.name}))
    for a in inspector.areas:
        if known_areas and a not in known_areas:
            out.append(("areas", "area_unknown", {"value": a, "known": "、".join(sorted(known_areas))}))
    return out
