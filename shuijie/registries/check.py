"""The ``check`` command's core: every rule that spans the plan and the registries.

:func:`check_plan` never raises for a clerk's mistake: it returns the workspace
(or None) and the list of problems (on success: the warnings).
:func:`validate_workspace` applies the rules of the regulation, each from its
module in :mod:`shuijie.core.rules`, and names the place of each problem:

* 第七条 the plan's items exist; a plan item that applies to no object of the
  population is a warning (:mod:`~shuijie.core.rules.items`);
* 第八条 license items need 许可文件名称 and 许可文号 on the objects they apply to;
* 第九条 二级机构 inspectors must be qualified and name their 执法区域;
  a 组长 (can_lead) must be qualified (:mod:`~shuijie.core.rules.areas`);
* 第十条 the plan names its 文号 (with 〔〕), approver and approval date
  (:mod:`~shuijie.core.rules.plan_doc`);
* 第十一条 the notice date is at least 5 working days before the window
  (:mod:`~shuijie.core.rules.deadlines`);
* 第十四条 team size 2–5 unless a reason is stated; at least 2 qualified; the
  pool can staff a team (:mod:`~shuijie.core.rules.team`, :mod:`~shuijie.core.rules.pool`);
* 第十五条 recusals name known objects;
* 第二十五条 strata: exactly one of ratio / count, ratio a decimal 0 < r ≤ 1
  (:mod:`~shuijie.core.rules.strata`); filters name known fields and values
  (:mod:`~shuijie.core.rules.population`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Iterable

from shuijie.core.errors import InputError, Problem, ProblemList
from shuijie.core.models import Object
from shuijie.core.objects import ObjectTable
from shuijie.core.progress import Progress, stage
from shuijie.core.rules import (
    areas,
    deadlines,
    items,
    plan_doc,
    pool,
    population,
    qualification,
    status,
    strata,
    team,
)
from shuijie.core.text import closest
from shuijie.core.workspace import Workspace
from shuijie.registries.calendar_file import year_disagreements
from shuijie.registries.feasibility import feasibility_problems
from shuijie.registries.load import (
    load_registry,
    read_workspace,
    shown_path,
    sort_problems,
)
from shuijie.registries.plan_tools import plan_key_label
from shuijie.registries.workspace_files import list_label

OBJECT_FIELDS = tuple(n for n in Object.model_fields)
At = Callable[..., None]


def doc_no_problem(doc_no: str) -> tuple[str, str] | None:
    """None when ``doc_no`` looks like 信应急〔2026〕5号; else (code, suggestion) (第十条)."""
    return plan_doc.problem(doc_no)


def load_workspace(plan_path: Path, overrides: dict[str, Path] | None = None,
                   progress: Progress | None = None) -> Workspace:
    """Load the plan and every registry it names and check every rule; InputError with ALL problems.

    Paths in the plan are relative to the plan file.  ``overrides`` maps a role
    (items, objects, inspectors, experts, calendar) to a file read instead
    (``verify`` reloads ``rounds/<id>/inputs/`` this way).  Warnings (nothing
    that stops the round) are kept in ``ws.warnings``.
    """
    try:
        with stage(progress, "progress_load"):
            ws, loading = read_workspace(Path(plan_path), overrides)
    except InputError as exc:
        raise InputError(sort_problems(list(exc.problems), shown_path(Path(plan_path)))) from None
    probs = ProblemList()
    probs.extend(loading)
    # plan rules always; cross-registry rules only on registries that loaded cleanly
    # (a row refused above would otherwise show up again as, e.g., an unknown recusal object)
    with stage(progress, "progress_validate"):
        probs.extend(validate_workspace(ws, shown_path(ws.plan._path or ws.plan_path),
                                        registries_ok=not [p for p in loading if not p.warning]))
    probs.extend(year_disagreements(ws.calendar))  # warnings: the library now knows a declared year
    if overrides is None:  # a round's inputs/ are copies: nothing beside them to mix up
        probs.extend(sibling_warnings(ws))
    probs.items = sort_problems(probs.items, shown_path(ws.plan._path or ws.plan_path))
    probs.raise_if_any()
    ws.warnings = probs.warnings
    return ws


def check_plan(plan_path: Path, progress: Progress | None = None) -> tuple[Workspace | None, list[Problem]]:
    """Load and validate; never raises for user mistakes.  The list holds what stops a draw
    (a plan no random value could draw, 第九、十一、十四、十五条) and the warnings."""
    try:
        ws = load_workspace(Path(plan_path), progress=progress)
    except InputError as exc:
        return None, list(exc.problems)
    return ws, feasibility_problems(ws, progress=progress) + list(ws.warnings)


REGISTRY_SUFFIXES = (".xlsx", ".xls", ".yaml", ".yml", ".csv")


def _record_key(r: Any) -> str:
    d = r.model_dump(exclude={"recusals"})
    recs = sorted((x.object_id, str(x.reason), x.note) for x in getattr(r, "recusals", []))
    return repr((sorted(d.items()), recs))


def _fingerprint(records: Iterable[Any]) -> int:
    """The same for the same records in any order (sum of their keys' SHA-256, mod 2**256)."""
    total = 0
    for r in records:
        total += int.from_bytes(hashlib.sha256(_record_key(r).encode("utf-8")).digest(), "big")
    return total % (1 << 256)


def sibling_warnings(ws: Workspace) -> list[Problem]:
    """One workspace, one truth: a registry file beside the one the plan reads, with the same
    stem and other content (inspectors.xlsx beside inspectors.yaml), is a warning — editing it
    changes nothing."""
    probs = ProblemList()
    base = ws.plan_path.parent.parent
    for role in ("items", "objects", "inspectors", "experts"):
        used = ws.files.get(role)
        if used is None:
            continue
        for suffix in REGISTRY_SUFFIXES:
            other = used.with_suffix(suffix)
            if suffix == used.suffix.lower() or not other.is_file():
                continue
            quiet = ProblemList()
            loaded = load_registry(role, other, str(other), quiet)
            if isinstance(loaded, ObjectTable):  # a province's rows: compared as multisets, streamed
                same = (not quiet.errors and len(loaded) == len(ws.objects)
                        and _fingerprint(loaded.every_record()) == _fingerprint(ws.objects.every_record()))
            else:
                same = not quiet.errors and sorted(map(_record_key, loaded)) == sorted(map(_record_key, getattr(ws, role)))
            if not same:
                probs.warn("registry_sibling_differs", file=_shown_in(other, base),
                           used=_shown_in(used, base), other=_shown_in(other, base))
    return probs.items


def _shown_in(p: Path, base: Path) -> str:
    try:
        return str(p.relative_to(base))
    except ValueError:
        return str(p)


def validate_workspace(ws: Workspace, plan_file: str, *, registries_ok: bool = True) -> list[Problem]:
    """Every problem of the plan (and, when they loaded cleanly, of the registries against it)."""
    probs = ProblemList()
    L = ws.plan._lines

    def at(key: str, code: str, **params: Any) -> None:
        probs.add(code, file=plan_file, row=L.get(key) or _parent_line(L, key), column=plan_key_label(ws.plan, key),
                  **params)

    _plan_document(ws, at)
    _team_and_experts(ws, at)
    _public_random(ws, at)
    _strata_and_filters(ws, at)
    _window_and_notice(ws, at)
    if registries_ok:
        _registry_rules(ws, plan_file, probs)
    return probs.items


# ---------------------------------------------------------------- plan rules


def _plan_document(ws: Workspace, at: At) -> None:
    """第十条: an approved plan with its 文号."""
    plan = ws.plan
    if not plan.doc_no:
        at("doc_no", "plan_doc_no_missing")
    else:
        bad = plan_doc.problem(plan.doc_no)
        if bad is not None:
            at("doc_no", bad[0], value=plan.doc_no, suggestion=bad[1])
    if not plan.approved_by:
        at("approved_by", "plan_approver_missing")
    if plan.approved_on is None:
        at("approved_on", "plan_approved_on_missing")
    elif plan.approved_on > plan.notice_date:
        at("approved_on", "plan_approved_after_notice", approved=plan.approved_on.isoformat(),
           notice=plan.notice_date.isoformat())


def _public_random(ws: Workspace, at: At) -> None:
    """第十二条: the draw's public random source is named before the draw."""
    plan = ws.plan
    if not plan.public_random_source.strip():
        at("public_random_source", "public_random_missing")
    # 第十一、十二条: the letters name the drawn objects, so they go out after the draw
    if plan.random_date is not None and plan.notice_date < plan.random_date:
        at("notice_date", "notice_before_random", notice=plan.notice_date.isoformat(),
           random_date=plan.random_date.isoformat())


def _team_and_experts(ws: Workspace, at: At) -> None:
    """第十四条 the team; 第十二条 the experts; the cool-down."""
    plan = ws.plan
    for key, code, params in team.problems(plan.team):
        at(key, code, **params)
    if plan.experts.per_team < 0:
        at("experts.per_team", "nonnegative_required", value=plan.experts.per_team)
    if plan.experts.max_per_day < 1:
        at("experts.max_per_day", "positive_required", value=plan.experts.max_per_day)
    if plan.experts.per_team > 0 and plan.registries.experts is None:
        at("experts.per_team", "experts_registry_missing", n=plan.experts.per_team)
    if plan.cooldown < 0:
        at("cooldown", "nonnegative_required", value=plan.cooldown)


def _strata_and_filters(ws: Workspace, at: At) -> None:
    """第二十五条 strata; the population and strata filters name object fields."""
    plan = ws.plan
    for key, code, params in strata.problems(plan.strata):
        at(key, code, **params)
    for i, s in enumerate(plan.strata):
        for f in s.where:
            if f not in OBJECT_FIELDS or f == "id":
                at(f"strata.{i}.where.{f}", "filter_field_unknown", field=f, fields=_filter_fields())
    for f in plan.population:
        if f not in OBJECT_FIELDS:
            at(f"population.{f}", "filter_field_unknown", field=f, fields=_filter_fields())


def _window_and_notice(ws: Workspace, at: At) -> None:
    """第十一条: the window has working days; the notice is early enough."""
    plan, cal = ws.plan, ws.calendar
    w = plan.window
    window_ok = True
    if w.end < w.start:
        at("window.end", "window_reversed", start=w.start.isoformat(), end=w.end.isoformat())
        window_ok = False
    for key, d in (("window.start", w.start), ("window.end", w.end), ("notice_date", plan.notice_date)):
        if not cal.knows(d):
            at(key, "date_unknown", date=d.isoformat(), year=d.year,
               calendar=cal.source or "registries/calendar.yaml")
            window_ok = False
    if not window_ok:
        return
    try:
        if not cal.workdays_between(w.start, w.end):
            at("window", "window_no_workdays", start=w.start.isoformat(), end=w.end.isoformat())
        latest = deadlines.notify_by(cal, w.start)
        if plan.notice_date > latest:
            at("notice_date", "notice_too_late", notice=plan.notice_date.isoformat(),
               start=w.start.isoformat(), latest=latest.isoformat(), days=deadlines.NOTICE_WORKDAYS)
    except InputError as exc:  # a date before the window outside the calendar
        for p in exc.problems:
            at("notice_date", p.code, **p.params)


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


# ---------------------------------------------------------------- registries against the plan


def _registry_rules(ws: Workspace, plan_file: str, probs: ProblemList) -> None:
    """The rules that read the registries: ids, items, population, licenses, inspectors, recusals, pool."""
    _ids(ws, probs)
    _plan_items(ws, plan_file, probs)
    selected = _population(ws, plan_file, probs)
    _unused_items(ws, plan_file, probs, selected)
    _licenses(ws, probs, selected)
    _inspectors(ws, probs)
    _recusals(ws, probs)
    _pool(ws, plan_file, probs)
    _listed_values(ws, plan_file, probs)
    _drawable(ws, plan_file, probs, selected)


def _place(record: Any, field: str) -> dict[str, Any]:
    src = record.src
    return {"file": src.file if src else None, "row": src.row if src else None,
            "column": src.column(field) if src else field}


def _ids(ws: Workspace, probs: ProblemList) -> None:
    """Registries not empty; ids unique in each; no person both inspector and expert."""
    for role in ("items", "objects", "inspectors"):
        if not getattr(ws, role) and role in ws.files:
            probs.add("registry_empty", file=_rel(ws, role), role=role)
    for records in (ws.items, ws.inspectors, ws.experts):
        first: dict[str, Any] = {}
        for r in records:
            o = first.setdefault(r.id, r)
            if o is not r:
                probs.add("duplicate_id", **_place(r, "id"), value=r.id,
                          other_row=o.src.row if o.src else "?")
    table, ids = ws.objects, ws.objects.ids
    if len(set(ids)) != len(ids):  # the common case costs one set; the rest only with duplicates
        first_at: dict[str, int] = {}
        for i, oid in enumerate(ids):
            j = first_at.setdefault(oid, i)
            if j != i:
                src = table.src(i)
                probs.add("duplicate_id", file=src.file, row=src.row, column=src.column("id"), value=oid,
                          other_row=table.rows[j])
    insp_ids = {p.id for p in ws.inspectors}
    for e in ws.experts:
        if e.id in insp_ids:
            probs.add("person_id_shared", **_place(e, "id"), value=e.id)


def _plan_items(ws: Workspace, plan_file: str, probs: ProblemList) -> None:
    """第七条: the plan's items are in the items registry, once each."""
    plan = ws.plan
    known = ws.item_map()
    seen = set()
    for i, iid in enumerate(plan.items):
        if iid not in known:
            probs.add("plan_item_unknown", file=plan_file, row=plan._lines.get(f"items.{i}") or plan._lines.get("items"),
                      column="items", value=iid, known="、".join(sorted(known)) or "-")
        if iid in seen:
            probs.add("plan_item_duplicate", file=plan_file, row=plan._lines.get("items"), column="items", value=iid)
        seen.add(iid)
    if not plan.items:
        probs.add("plan_items_empty", file=plan_file, row=plan._lines.get("items"), column="items")


def _population(ws: Workspace, plan_file: str, probs: ProblemList) -> list[int]:
    """The population filter leaves objects, and every filter value is held by some object
    (the positions of the objects it leaves)."""
    plan = ws.plan
    selected = population.select_rows(ws.objects, plan.population)
    if ws.objects and not selected:
        probs.add("population_empty", file=plan_file, row=plan._lines.get("population"), column="population")
    elif plan.population:
        for f, v in population.unknown_values(ws.objects, plan.population):
            probs.add("filter_value_unknown", file=plan_file, row=plan._lines.get(f"population.{f}"),
                      column=f"population.{f}", field=f, value=v)
    for i, s in enumerate(plan.strata):
        where = {f: vals for f, vals in s.where.items() if f in OBJECT_FIELDS}
        for f, v in population.unknown_values(ws.objects, where):
            probs.add("filter_value_unknown", file=plan_file,
                      row=plan._lines.get(f"strata.{i}.where.{f}") or plan._lines.get(f"strata.{i}"),
                      column=plan_key_label(plan, f"strata.{i}.where.{f}"), field=f, value=v)
    return selected


def _unused_items(ws: Workspace, plan_file: str, probs: ProblemList, selected: list[int]) -> None:
    """A warning for a plan item that applies to no object of the population (no letter would list it)."""
    if not selected:
        return
    plan = ws.plan
    industry = ws.objects.column("industry")
    for item in items.unused(items.plan_items(ws), {industry[i] for i in selected}):
        i = plan.items.index(item.id)
        probs.warn("plan_item_unused", file=plan_file, row=plan._lines.get(f"items.{i}") or plan._lines.get("items"),
                   column="items", value=item.id, name=item.name, industries="、".join(item.industries))


def _licenses(ws: Workspace, probs: ProblemList, selected: list[int]) -> None:
    """第八条: a license item needs 许可文件名称 and 许可文号 on each object it applies to."""
    table = ws.objects
    industry = table.column("industry")
    filled = {f: table.filled(f) for f in ("license_name", "license_no")}
    for item in items.plan_items(ws):
        if not item.license:
            continue
        wanted = set(item.industries)
        lacking = [i for i in selected if (not wanted or industry[i] in wanted)
                   and not (filled["license_name"][i] and filled["license_no"][i])]
        for i, o in zip(lacking, table.records(lacking)):  # records only for the problems' names
            for fname in ("license_name", "license_no"):
                if not filled[fname][i]:
                    src = table.src(i)
                    probs.add("license_field_missing", file=src.file, row=src.row,
                              column=src.column(fname) if fname in src.columns else Object.HEADERS[fname][0],
                              item=item.name, field=Object.HEADERS[fname][0], name=o.name)


def _inspectors(ws: Workspace, probs: ProblemList) -> None:
    """第九条: 二级机构 inspectors qualified and bound to known areas; leaders qualified."""
    known = set(ws.objects.column("area"))
    for p in ws.inspectors:
        src = p.src
        for field, code, params in areas.problems(p, known):
            probs.add(code, file=src.file if src else None, row=src.row if src else None,
                      column=src.column(field) if src else None, **params)


def _recusals(ws: Workspace, probs: ProblemList) -> None:
    """第十五条: every recusal names a known object."""
    people: list[Any] = [*ws.inspectors, *ws.experts]
    named = {rc.object_id for person in people for rc in person.recusals}
    objects = {oid for oid in ws.objects.ids if oid in named} if named else set()
    for person in people:
        for rc in person.recusals:
            if rc.object_id not in objects:
                probs.add("recusal_unknown_object", **_place(rc, "object_id"), value=rc.object_id, person=person.id)


def _pool(ws: Workspace, plan_file: str, probs: ProblemList) -> None:
    """The plan's inspector pool names known units and ids and can staff a team (第十四条); enough experts."""
    plan = ws.plan
    units = {p.unit for p in ws.inspectors}
    insp_ids = {p.id for p in ws.inspectors}
    for u in plan.inspector_pool.units:
        if u not in units:
            probs.add("pool_unit_unknown", file=plan_file, row=plan._lines.get("inspector_pool.units"),
                      column="inspector_pool.units", value=u)
    for pid in plan.inspector_pool.ids:
        if pid not in insp_ids:
            probs.add("pool_id_unknown", file=plan_file, row=plan._lines.get("inspector_pool.ids"),
                      column="inspector_pool.ids", value=pid)
    kept, _ = round_pool_of(ws)
    ok, counts = team.pool_can_staff([SimpleNamespace(qualified=q, can_lead=lead) for _, q, lead in kept], plan.team)
    if ws.inspectors and not ok:
        probs.add("pool_too_small", file=plan_file, row=plan._lines.get("team.size") or plan._lines.get("team"),
                  column="team", size=plan.team.size, min_qualified=plan.team.min_qualified, **counts)
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


def round_pool_of(ws: Workspace) -> tuple[list[tuple[Any, bool, bool]], list[tuple[Any, str]]]:
    """The pool as this round's snapshot takes it (:func:`shuijie.core.rules.qualification.round_pool`)."""
    return qualification.round_pool(pool_of(ws), items.plan_items(ws), ws.plan.window.end,
                                    ws.settings.get("leaders"))


def _listed_values(ws: Workspace, plan_file: str, probs: ProblemList) -> None:
    """Registry and plan values against the workspace's lists (registries/lists.yaml)."""
    lists = ws.lists
    if not lists:
        return
    lists_file = _rel(ws, "lists") if "lists" in ws.files else "registries/lists.yaml"

    def bad(value: str, field: str, **where: Any) -> None:
        allowed = lists[field]
        near = closest(value, allowed)
        probs.add("value_not_in_list" if near else "value_not_listed", **where, field=list_label(field),
                  value=value, values="、".join(f"「{v}」" for v in (near or allowed[:12])) or "-", lists=lists_file)

    table = ws.objects
    for field in ("area", "industry", "kind", "risk", "credit", "status"):
        if field not in lists:
            continue
        allowed = set(lists[field])
        column = table.column(field)
        wrong = {v for v in set(column) if v and v not in allowed}
        if not wrong:
            continue
        for i, v in enumerate(column):
            if v in wrong:
                src = table.src(i)
                bad(v, field, file=src.file, row=src.row, column=src.column(field))
    if "scope" in lists:
        for p in ws.inspectors:
            for v in p.scope:
                if v not in lists["scope"]:
                    bad(v, "scope", **_place(p, "scope"))
    if "area" in lists:
        for p in ws.inspectors:
            for v in p.areas:
                if v not in lists["area"]:
                    bad(v, "area", **_place(p, "areas"))
    if "industry" in lists:
        for it in ws.items:
            for v in it.industries:
                if v not in lists["industry"]:
                    bad(v, "industry", **_place(it, "industries"))
    plan = ws.plan
    L = plan._lines
    for f, vals in plan.population.items():
        for v in vals:
            if f in lists and v not in lists[f]:
                bad(v, f, file=plan_file, row=L.get(f"population.{f}"), column=f"population.{f}")
    for i, st in enumerate(plan.strata):
        for f, vals in st.where.items():
            for v in vals:
                if f in lists and v not in lists[f]:
                    bad(v, f, file=plan_file, row=L.get(f"strata.{i}.where.{f}") or L.get(f"strata.{i}"),
                        column=plan_key_label(plan, f"strata.{i}.where.{f}"))


def _drawable(ws: Workspace, plan_file: str, probs: ProblemList, selected: list[int]) -> None:
    """Who may be drawn: 登记状态 (第八条), 执法证 and 执法门类 (第九条), who leads (第十四条)."""
    table = ws.objects
    column = table.column("status")
    gone = {v: status.state_of(v) for v in set(column)}
    out = [i for i in selected if gone[column[i]]]
    if out:
        states = sorted({gone[column[i]] or "" for i in out}, key=status.OUT_STATES.index)
        first = table.records(out[:1])[0]
        probs.warn("status_excluded", file=_rel(ws, "objects"), count=len(out), states="、".join(states),
                   first=f"{first.name}（第 {table.rows[out[0]]} 行）")
    for p in ws.inspectors:
        if p.cert_expiry and qualification.parse_expiry(p.cert_expiry) is None \
                and not p.cert_expiry.startswith(qualification.NO_EXPIRY):
            probs.add("cert_expiry_invalid", **_place(p, "cert_expiry"), value=p.cert_expiry)
    _, left = round_pool_of(ws)
    cert = [p for p, why in left if why != "scope"]
    if cert:
        reasons = "、".join(sorted({"执法证有效期早于检查结束日" if why == "cert_expired" else "执法人员状态无效"
                                   for _, why in left if why != "scope"}))
        probs.warn("inspectors_not_qualified", file=_rel(ws, "inspectors"), count=len(cert), reasons=reasons,
                   names="、".join(f"{p.name}（{p.id}）" for p in cert))
    scoped = [p for p, why in left if why == "scope"]
    if scoped:
        cats = sorted({k for it in items.plan_items(ws) for k in qualification.item_keys(it)})
        probs.warn("inspectors_out_of_scope", file=_rel(ws, "inspectors"), count=len(scoped),
                   categories="、".join(cats), names="、".join(f"{p.name}（{p.id}）" for p in scoped))
    leaders = ws.settings.get("leaders")
    if isinstance(leaders, list):
        known = {p.id for p in ws.inspectors} | {p.title for p in ws.inspectors}
        for v in leaders:
            if v not in known:
                probs.add("leaders_unknown", file=_rel(ws, "settings"), column="leaders", value=v,
                          path=_rel(ws, "settings"))


def pool_of(ws: Workspace) -> list[Any]:
    """The plan's inspector pool (:func:`shuijie.core.rules.pool.pool`: unit OR id, both empty: all active)."""
    return pool.pool(ws.inspectors, ws.plan.inspector_pool)
