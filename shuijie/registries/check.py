"""The ``check`` command's core: every rule that spans the plan and the registries.

:func:`check_plan` never raises for a clerk's mistake: it returns the workspace
(or None) and the list of problems.  :func:`validate_workspace` holds the
cross-registry and plan rules of the regulation:

* 第八条 license items need 许可文件名称 and 许可文号 on the objects they apply to
  (objects of the plan's population in the item's industries, or all of them);
* 第九条 二级机构 inspectors must be qualified and name their 执法区域;
  a 组长 (can_lead) must be qualified;
* 第十条 the plan names its 文号 (with 〔〕), approver and approval date;
* 第十一条 the notice date is at least 5 working days before the window;
* 第十四条 team size 2–5 unless a reason is stated; at least 2 qualified;
* 第十五条 recusals name known people and objects;
* 第二十五条 strata: exactly one of ratio / count, ratio a decimal 0 < r ≤ 1.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from shuijie.core.calendar import notify_by
from shuijie.core.errors import InputError, Problem, ProblemList
from shuijie.core.models import Object, Workspace
from shuijie.core.progress import Progress, stage
from shuijie.registries.feasibility import feasibility_problems
from shuijie.registries.load import read_workspace, shown_path

OBJECT_FIELDS = tuple(n for n in Object.model_fields)
_BRACKETS = [("[", "]"), ("【", "】"), ("(", ")"), ("（", "）"), ("〔", "〕"), ("［", "］"), ("﹝", "﹞")]
_DOC_NO = re.compile(r"^(?P<org>.+?)(?P<open>[\[【(（〔［﹝])(?P<year>\d{4})(?P<close>[\]】)）〕］﹞])(?P<num>\d+)号$")


def doc_no_problem(doc_no: str) -> tuple[str, str] | None:
    """None when ``doc_no`` looks like 信应急〔2026〕5号; else (code, suggestion)."""
    m = _DOC_NO.match(doc_no)
    if m is None:
        return ("doc_no_format", "")
    if m.group("open") == "〔" and m.group("close") == "〕":
        return None
    return ("doc_no_brackets", f"{m.group('org')}〔{m.group('year')}〕{m.group('num')}号")


def load_workspace(plan_path: Path, overrides: dict[str, Path] | None = None,
                   progress: Progress | None = None) -> Workspace:
    """Load the plan and every registry it names and check every rule; InputError with ALL problems.

    Paths in the plan are relative to the plan file.  ``overrides`` maps a role
    (items, objects, inspectors, experts, calendar) to a file read instead
    (``verify`` reloads ``rounds/<id>/inputs/`` this way).
    """
    with stage(progress, "progress_load"):
        ws, loading = read_workspace(Path(plan_path), overrides)
    probs = ProblemList()
    probs.extend(loading)
    # plan rules always; cross-registry rules only on registries that loaded cleanly
    # (a row refused above would otherwise show up again as, e.g., an unknown recusal object)
    with stage(progress, "progress_validate"):
        probs.extend(validate_workspace(ws, shown_path(ws.plan._path), registries_ok=not loading))
    probs.raise_if_any()
    return ws


def check_plan(plan_path: Path, progress: Progress | None = None) -> tuple[Workspace | None, list[Problem]]:
    """Load and validate; never raises for user mistakes."""
    try:
        ws = load_workspace(Path(plan_path), progress=progress)
    except InputError as exc:
        return None, list(exc.problems)
    return ws, feasibility_problems(ws, progress=progress)  # 第九、十一、十四、十五条: can it be drawn?


def validate_workspace(ws: Workspace, plan_file: str, *, registries_ok: bool = True) -> list[Problem]:
    probs = ProblemList()
    plan = ws.plan
    L = plan._lines

    def at(key: str, code: str, **params: Any) -> None:
        probs.add(code, file=plan_file, row=L.get(key) or _parent_line(L, key), column=key, **params)

    # 第十条: approved plan with its 文号
    if not plan.doc_no:
        at("doc_no", "plan_doc_no_missing")
    else:
        bad = doc_no_problem(plan.doc_no)
        if bad is not None:
            at("doc_no", bad[0], value=plan.doc_no, suggestion=bad[1])
    if not plan.approved_by:
        at("approved_by", "plan_approver_missing")
    if plan.approved_on is None:
        at("approved_on", "plan_approved_on_missing")
    elif plan.approved_on > plan.notice_date:
        at("approved_on", "plan_approved_after_notice", approved=plan.approved_on.isoformat(),
           notice=plan.notice_date.isoformat())

    # 第十四条: the team
    t = plan.team
    if not 2 <= t.size <= 5 and not t.size_reason:
        at("team.size", "team_size_reason", size=t.size)
    if t.size < 1:
        at("team.size", "team_size_positive", size=t.size)
    if t.min_qualified < 2:
        at("team.min_qualified", "team_min_qualified_low", value=t.min_qualified)
    if t.min_qualified > t.size:
        at("team.min_qualified", "team_min_qualified_high", value=t.min_qualified, size=t.size)
    if t.max_per_day < 1:
        at("team.max_per_day", "positive_required", value=t.max_per_day)
    if t.max_per_round is not None and t.max_per_round < 1:
        at("team.max_per_round", "positive_required", value=t.max_per_round)
    if plan.experts.per_team < 0:
        at("experts.per_team", "nonnegative_required", value=plan.experts.per_team)
    if plan.experts.max_per_day < 1:
        at("experts.max_per_day", "positive_required", value=plan.experts.max_per_day)
    if plan.experts.per_team > 0 and plan.registries.experts is None:
        at("experts.per_team", "experts_registry_missing", n=plan.experts.per_team)
    if plan.cooldown < 0:
        at("cooldown", "nonnegative_required", value=plan.cooldown)
    if not plan.public_random_source.strip():
        at("public_random_source", "public_random_missing")

    # strata (第二十五条)
    if not plan.strata:
        at("strata", "strata_empty")
    names: set[str] = set()
    for i, s in enumerate(plan.strata):
        key = f"strata.{i}"
        if s.name in names:
            at(f"{key}.name", "stratum_duplicate", name=s.name)
        names.add(s.name)
        if (s.ratio is None) == (s.count is None):
            at(key, "stratum_ratio_or_count", name=s.name)
        if s.ratio is not None:
            try:
                r = Decimal(s.ratio)
                if not r.is_finite() or not (0 < r <= 1):
                    raise InvalidOperation
            except InvalidOperation:
                at(f"{key}.ratio", "stratum_ratio_invalid", name=s.name, value=s.ratio)
        if s.count is not None and s.count < 0:
            at(f"{key}.count", "stratum_count_invalid", name=s.name, value=s.count)
        for f in s.where:
            if f not in OBJECT_FIELDS or f == "id":
                at(f"{key}.where.{f}", "filter_field_unknown", field=f, fields=_filter_fields())
    for f in plan.population:
        if f not in OBJECT_FIELDS:
            at(f"population.{f}", "filter_field_unknown", field=f, fields=_filter_fields())

    # window and notice (第十一条)
    w = plan.window
    cal = ws.calendar
    window_ok = True
    if w.end < w.start:
        at("window.end", "window_reversed", start=w.start.isoformat(), end=w.end.isoformat())
        window_ok = False
    for key, d in (("window.start", w.start), ("window.end", w.end), ("notice_date", plan.notice_date)):
        if not cal.knows(d):
            at(key, "date_unknown", date=d.isoformat(), year=d.year,
               calendar=cal.source or "registries/calendar.yaml")
            window_ok = False
    if window_ok:
        try:
            days = cal.workdays_between(w.start, w.end)
            if not days:
                at("window", "window_no_workdays", start=w.start.isoformat(), end=w.end.isoformat())
            latest = notify_by(cal, w.start)
            if plan.notice_date > latest:
                at("notice_date", "notice_too_late", notice=plan.notice_date.isoformat(),
                   start=w.start.isoformat(), latest=latest.isoformat())
        except InputError as exc:  # a date before the window outside the calendar
            for p in exc.problems:
                at("notice_date", p.code, **p.params)

    if not registries_ok:
        return probs.items
    _registry_rules(ws, plan_file, probs, at)
    return probs.items


def _parent_line(lines: dict[str, int], key: str) -> int | None:
    parts = key.split(".")
    while parts:
        parts.pop()
        k = ".".join(parts)
        if k in lines:
            return lines[k]
    return None


def _filter_fields() -> str:
    return "、".join(f for f in OBJECT_FIELDS if f != "id")


def _where(obj: Object, where: dict[str, list[str]]) -> bool:
    d = obj.__dict__
    for f, vals in where.items():
        if d.get(f, "") not in vals:
            return False
    return True


def _registry_rules(ws: Workspace, plan_file: str, probs: ProblemList, at: Any) -> None:
    plan = ws.plan

    def dup(records: list[Any], code: str) -> None:
        first: dict[str, Any] = {}
        for r in records:
            o = first.get(r.id)
            if o is None:
                first[r.id] = r
                continue
            src, osrc = r.src, o.src
            probs.add(code, file=src.file if src else None, row=src.row if src else None,
                      column=src.column("id") if src else "id", value=r.id,
                      other_row=osrc.row if osrc else "?")

    for role in ("items", "objects", "inspectors"):
        if not getattr(ws, role) and role in ws.files:
            probs.add("registry_empty", file=_rel(ws, role), role=role)

    dup(ws.items, "duplicate_id")
    dup(ws.objects, "duplicate_id")
    dup(ws.inspectors, "duplicate_id")
    dup(ws.experts, "duplicate_id")
    insp_ids = {p.id for p in ws.inspectors}
    for e in ws.experts:
        if e.id in insp_ids:
            probs.add("person_id_shared", file=e.src.file if e.src else None,
                      row=e.src.row if e.src else None, column=e.src.column("id") if e.src else "id",
                      value=e.id)

    # plan items (第七条)
    items = ws.item_map()
    seen_items = set()
    for i, iid in enumerate(plan.items):
        if iid not in items:
            probs.add("plan_item_unknown", file=plan_file, row=plan._lines.get(f"items.{i}") or plan._lines.get("items"),
                      column="items", value=iid, known="、".join(sorted(items)) or "-")
        if iid in seen_items:
            probs.add("plan_item_duplicate", file=plan_file, row=plan._lines.get("items"), column="items", value=iid)
        seen_items.add(iid)
    if not plan.items:
        probs.add("plan_items_empty", file=plan_file, row=plan._lines.get("items"), column="items")

    # population
    population = [o for o in ws.objects if _where(o, plan.population)]
    if ws.objects and not population:
        probs.add("population_empty", file=plan_file, row=plan._lines.get("population"), column="population")
    elif plan.population:
        for f, vals in plan.population.items():
            have = {o.__dict__.get(f, "") for o in ws.objects}
            for v in vals:
                if v not in have:
                    probs.add("filter_value_unknown", file=plan_file, row=plan._lines.get(f"population.{f}"),
                              column=f"population.{f}", field=f, value=v)
    for i, s in enumerate(plan.strata):
        for f, vals in s.where.items():
            if f not in OBJECT_FIELDS:
                continue
            have = {o.__dict__.get(f, "") for o in ws.objects}
            for v in vals:
                if v not in have:
                    probs.add("filter_value_unknown", file=plan_file,
                              row=plan._lines.get(f"strata.{i}.where.{f}") or plan._lines.get(f"strata.{i}"),
                              column=f"strata.{i}.where.{f}", field=f, value=v)

    # 第八条: license items
    for iid in plan.items:
        item = items.get(iid)
        if item is None or not item.license:
            continue
        inds = set(item.industries)
        for o in population:
            if inds and o.industry not in inds:
                continue
            for fname in ("license_name", "license_no"):
                if not o.__dict__.get(fname):
                    src = o.src
                    probs.add("license_field_missing", file=src.file if src else None,
                              row=src.row if src else None,
                              column=src.column(fname) if src and fname in src.columns else Object.HEADERS[fname][0],
                              item=item.name, field=Object.HEADERS[fname][0], name=o.name)

    # 第九条: inspectors
    areas = {o.area for o in ws.objects}
    for p in ws.inspectors:
        src = p.src
        f = src.file if src else None
        r = src.row if src else None
        if p.unit_type == "二级机构":
            if not p.qualified:
                probs.add("secondary_not_qualified", file=f, row=r,
                          column=src.column("qualified") if src else None, name=p.name)
            if not p.areas:
                probs.add("secondary_no_areas", file=f, row=r, column=src.column("areas") if src else None,
                          name=p.name)
        if p.can_lead and not p.qualified:
            probs.add("leader_not_qualified", file=f, row=r, column=src.column("can_lead") if src else None,
                      name=p.name)
        for a in p.areas:
            if ws.objects and a not in areas:
                probs.add("area_unknown", file=f, row=r, column=src.column("areas") if src else None,
                          value=a, known="、".join(sorted(areas)))

    # 第十五条: recusals
    objects = {o.id for o in ws.objects}
    for person in list(ws.inspectors) + list(ws.experts):
        for rc in person.recusals:
            if rc.object_id not in objects:
                src = rc.src
                probs.add("recusal_unknown_object", file=src.file if src else None, row=src.row if src else None,
                          column=src.column("object_id") if src else "object_id",
                          value=rc.object_id, person=person.id)

    # inspector pool
    units = {p.unit for p in ws.inspectors}
    for i, u in enumerate(plan.inspector_pool.units):
        if u not in units:
            probs.add("pool_unit_unknown", file=plan_file, row=plan._lines.get("inspector_pool.units"),
                      column="inspector_pool.units", value=u)
    for pid in plan.inspector_pool.ids:
        if pid not in insp_ids:
            probs.add("pool_id_unknown", file=plan_file, row=plan._lines.get("inspector_pool.ids"),
                      column="inspector_pool.ids", value=pid)
    pool = pool_of(ws)
    qualified = sum(1 for p in pool if p.qualified)
    leaders = sum(1 for p in pool if p.can_lead and p.qualified)
    if ws.inspectors and (len(pool) < plan.team.size or qualified < plan.team.min_qualified or leaders < 1):
        probs.add("pool_too_small", file=plan_file, row=plan._lines.get("team.size") or plan._lines.get("team"),
                  column="team", pool=len(pool), qualified=qualified, leaders=leaders, size=plan.team.size,
                  min_qualified=plan.team.min_qualified)
    if plan.experts.per_team > 0 and plan.registries.experts is not None:
        specs = set(plan.experts.specialties)
        usable = [e for e in ws.experts if e.active and (not specs or specs & set(e.specialties))]
        if len(usable) < plan.experts.per_team:
            probs.add("experts_too_few", file=plan_file, row=plan._lines.get("experts.per_team"),
                      column="experts.per_team", have=len(usable), need=plan.experts.per_team)


def _rel(ws: Workspace, role: str) -> str:
    try:
        return str(ws.files[role].relative_to(ws.plan_path.parent.parent))
    except ValueError:
        return str(ws.files[role])


def pool_of(ws: Workspace) -> list[Any]:
    """The plan's inspector pool: active inspectors, narrowed by inspector_pool units / ids."""
    pool = ws.plan.inspector_pool
    out = []
    for p in ws.inspectors:
        if not p.active:
            continue
        if pool.units and p.unit not in pool.units:
            continue
        if pool.ids and p.id not in pool.ids:
            continue
        out.append(p)
    return out
