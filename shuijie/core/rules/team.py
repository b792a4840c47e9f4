"""第十四条: the team — 2 to 5 members, one leader, at least 2 qualified.

检查组一般由2至5名执法检查人员组成，设组长1名，具有行政执法资格的人员不少于2名.
A size outside 2–5 needs a stated reason (``team.size_reason``).  The draw
(:mod:`shuijie.core.draw`) reads the numbers from the snapshot's
``parameters.json``; :func:`problems` is what ``check`` says about a plan's
``team``; :func:`leader_first` is the order every paper lists a team in.

>>> from types import SimpleNamespace as N
>>> [p[1] for p in problems(N(size=6, size_reason="", min_qualified=1, max_per_day=1, max_per_round=None))]
['team_size_reason', 'team_min_qualified_low']
>>> problems(N(size=3, size_reason="", min_qualified=2, max_per_day=1, max_per_round=None))
[]
>>> leader_first(["J2", "J1", "J3"], "J1")
['J1', 'J2', 'J3']
"""

from __future__ import annotations

from typing import Any

MIN_SIZE = 2
MAX_SIZE = 5
LEADERS = 1
MIN_QUALIFIED = 2


def size_needs_reason(size: int) -> bool:
    """True when ``size`` is outside 2–5 (then ``size_reason`` must say why)."""
    return not MIN_SIZE <= size <= MAX_SIZE


def problems(team: Any) -> list[tuple[str, str, dict[str, Any]]]:
    """``(plan key, message code, params)`` for each rule a plan's ``team`` breaks."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    if size_needs_reason(team.size) and not team.size_reason:
        out.append(("team.size", "team_size_reason", {"size": team.size, "min": MIN_SIZE, "max": MAX_SIZE}))
    if team.size < 1:
        out.append(("team.size", "team_size_positive", {"size": team.size}))
    if team.min_qualified < MIN_QUALIFIED:
        out.append(("team.min_qualified", "team_min_qualified_low",
                    {"value": team.min_qualified, "min": MIN_QUALIFIED}))
    if team.min_qualified > team.size:
        out.append(("team.min_qualified", "team_min_qualified_high", {"value": team.min_qualified, "size": team.size}))
    if team.max_per_day < 1:
        out.append(("team.max_per_day", "positive_required", {"value": team.max_per_day}))
    if team.max_per_round is not None and team.max_per_round < 1:
        out.append(("team.max_per_round", "positive_required", {"value": team.max_per_round}))
    return out


def pool_can_staff(pool: list[Any], team: Any) -> tuple[bool, dict[str, int]]:
    """Whether a pool has enough people, qualified people and leaders for one team, with the counts."""
    qualified = sum(1 for p in pool if p.qualified)
    leaders = sum(1 for p in pool if p.can_lead and p.qualified)
    ok = len(pool) >= team.size and qualified >= team.min_qualified and leaders >= LEADERS
    return ok, {"pool": len(pool), "qualified": qualified, "leaders": leaders}


def may_lead(inspector: Any) -> bool:
    """A 组长 must be qualified: ``can_lead`` counts only with ``qualified``."""
    return bool(inspector.can_lead and inspector.qualified)


def leader_first(members: list[str], leader: str | None) -> list[str]:
    """The team's ids with the leader first, the others in rank order."""
    out = list(members)
    if leader in out:
        out.remove(leader)
        out.insert(0, leader)
    return out
