"""The draw `shuijie-draw/1` (shared/DRAW-SPEC.md, normative), computed from snapshot bytes alone.

Nothing here reads the workspace, the clock or the file system: :func:`run_draw`
takes the five snapshot files as bytes and the public random values, and
returns the record (``draw.json``).  ``shuijie verify`` calls the very same
function, so a round is checked by recomputing it, not by trusting it.

Articles (信阳市应急管理局“双随机、一公开”抽查工作实施细则), each stated in
:mod:`shuijie.core.rules` and applied here with the numbers of the snapshot's
``parameters.json``: 第二十五条 strata (:func:`_draw_objects`), 第十二条
inspectors drawn after objects and experts from the expert pool
(:func:`_experts_for`), 第十四条 team of 2–5 with one leader and ≥ 2 qualified
(:func:`_inspectors_for`), 第十五条 recusals, 第九条 二级机构 members only in
their areas.

No floats (ratios are exact fractions), no language RNG, no dependence on
row order (every ranking ends with the id's UTF-8 bytes).
"""

from __future__ import annotations

import hashlib
import heapq
import json
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Iterable, Mapping, TypedDict

from shuijie.core.errors import InfeasibleError, InputError, Problem
from shuijie.core.rules import areas, strata
from shuijie.core.text import json_bytes, u8

ALGORITHM = "shuijie-draw/1"
_first = itemgetter(0)

SNAPSHOT_FILES = ("parameters.json", "population.csv", "inspectors.csv", "experts.csv", "conflicts.csv")
CSV_HEADERS = {
    "population.csv": ("object_id", "stratum", "area"),
    "inspectors.csv": ("inspector_id", "qualified", "can_lead", "areas"),
    "experts.csv": ("expert_id", "specialties"),
    "conflicts.csv": ("person_id", "object_id", "reason"),
}
# Characters a snapshot field may not hold (the CSVs are plain, unquoted; see docs/draw-algorithm.md).
FORBIDDEN_CHARS = (",", '"', ";", "\n", "\r")



# ---------------------------------------------------------------- §1 encoding and hash


def _field(f: Any) -> bytes:
    if isinstance(f, bool):
        raise TypeError("booleans are not draw fields")
    if isinstance(f, int):
        f = str(f)
    b: bytes = f.encode("utf-8")
    return len(b).to_bytes(4, "big") + b


def enc(*fields: Any) -> bytes:
    """Each field: 4-byte big-endian length of its UTF-8 bytes, then the bytes (ints as decimal)."""
    return b"".join(_field(f) for f in fields)


def H(*fields: Any) -> str:
    """Lowercase hex SHA-256 of ``enc("shuijie-draw/1", *fields)``."""
    return hashlib.sha256(enc(ALGORITHM, *fields)).hexdigest()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- §3 commitment and seed


def commitment(files: dict[str, bytes]) -> str:
    """S = H("commit", plan_id, sha256 of parameters, population, inspectors, experts, conflicts)."""
    params = _parameters(files)
    return H("commit", params["plan_id"], *(sha256_hex(files[name]) for name in SNAPSHOT_FILES))


def seed(S: str, randoms: Iterable[str]) -> str:
    """Z = H("seed", S, R1, …, Rm), the public random values as typed, in order."""
    return H("seed", S, *randoms)


def tickets(prefix_fields: tuple[str, ...], ids: Iterable[str]) -> list[tuple[str, str]]:
    """``[(H(*prefix_fields, id), id)]`` for every id, hashing the common prefix once.

    The hash state after ``enc(ALGORITHM, *prefix_fields, <4-byte length>)`` is
    kept per id length (ids mostly share one length), so each id costs one
    ``copy`` + ``update`` + ``hexdigest``.
    """
    base = hashlib.sha256(enc(ALGORITHM, *prefix_fields))
    by_len: dict[int, Any] = {}
    out: list[tuple[str, str]] = []
    append = out.append
    for i in ids:
        b = i.encode("utf-8")
        n = len(b)
        p = by_len.get(n)
        if p is None:
            p = by_len[n] = base.copy()
            p.update(n.to_bytes(4, "big"))
        h = p.copy()
        h.update(b)
        append((h.hexdigest(), i))
    return out


def smallest(k: int, ranked: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The k smallest ``(ticket, id)`` pairs in ascending order.

    Tickets are hex strings of equal length, so string order is the order of the
    256-bit integers; ties fall to the id, and Python's ``str`` order (code
    points) is exactly UTF-8 byte order, as the spec requires.
    """
    if k <= 0:
        return []
    if 100 * k < len(ranked):
        return heapq.nsmallest(k, ranked)
    out = sorted(ranked, key=_first)  # string keys only: much faster than comparing tuples
    if any(a[0] == b[0] for a, b in zip(out, out[1:])):  # equal tickets (a SHA-256 collision)
        out.sort()
    return out[:k]


# ---------------------------------------------------------------- parsing the snapshot


def _bad(file: str, row: int | None, what: str) -> InputError:
    return InputError(Problem("snapshot_malformed", {"file": file, "what": what}, f"snapshot/{file}", row))


def _parameters(files: dict[str, bytes]) -> dict[str, Any]:
    for name in SNAPSHOT_FILES:
        if name not in files:
            raise InputError(Problem("snapshot_file_missing", {"file": name}, f"snapshot/{name}"))
    try:
        params = json.loads(files["parameters.json"].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _bad("parameters.json", None, str(exc)) from None
    if not isinstance(params, dict) or not isinstance(params.get("plan_id"), str):
        raise _bad("parameters.json", None, "plan_id")
    return params


def read_csv(name: str, data: bytes) -> list[tuple[str, ...]]:
    """Rows (without header) of a snapshot CSV: ``\\n`` line ends, ``,`` separators, no quoting."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad(name, None, str(exc)) from None
    header = CSV_HEADERS[name]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or tuple(lines[0].split(",")) != header:
        raise _bad(name, 1, "header " + ",".join(header))
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        cells = tuple(line.split(","))
        if len(cells) != len(header):
            raise _bad(name, n, f"{len(header)} columns")
        rows.append(cells)
    return rows


def _int_or_none(params: dict[str, Any], *path: str, nullable: bool = False) -> int | None:
    v: Any = params
    for p in path:
        if not isinstance(v, dict) or p not in v:
            raise _bad("parameters.json", None, ".".join(path))
        v = v[p]
    if v is None and nullable:
        return None
    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
        raise _bad("parameters.json", None, ".".join(path))
    return v


def _int(params: dict[str, Any], *path: str) -> int:
    """A whole number ≥ 0 that must be there (None refused like any other bad value)."""
    v = _int_or_none(params, *path)
    if v is None:  # pragma: no cover - _int_or_none refuses None unless nullable
        raise _bad("parameters.json", None, ".".join(path))
    return v


def stratum_size(n: int, stratum: dict[str, Any]) -> int:
    """k = min(count, n) or min(n, ceil(n × ratio)), exactly (第二十五条, :func:`shuijie.core.rules.strata.size`)."""
    if "count" in stratum:
        count = stratum["count"]
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise _bad("parameters.json", None, f"strata {stratum.get('name')} count")
        return strata.size(n, count=count)
    ratio = stratum.get("ratio")
    if not isinstance(ratio, str) or not strata.PLAIN_DECIMAL.match(ratio):
        raise _bad("parameters.json", None, f"strata {stratum.get('name')} ratio")
    return strata.size(n, ratio=ratio)



class StratumResult(TypedDict):
    """One stratum of the record: its population and how many were drawn (第二十五条)."""

    name: str
    population: int
    drawn: int


class Selected(TypedDict):
    """One drawn object in processing order, with its inspection day (§5)."""

    object_id: str
    stratum: str
    ticket: str
    date: str


class Recused(TypedDict):
    """A (person, object) pair that the draw excluded (第十五条)."""

    person_id: str
    object_id: str
    reason: str


class Team(TypedDict):
    """The team of one drawn object (第十四条), leader first in ``inspectors``."""

    object_id: str
    date: str
    inspectors: list[str]
    leader: str | None
    experts: list[str]
    recused: list[Recused]
    removed: dict[str, int]
    experts_removed: dict[str, int]


class DrawRecord(TypedDict):
    """draw.json as :func:`run_draw` builds it (DRAW-SPEC §7); the round writer adds the
    keys of :class:`RoundRecord`."""

    algorithm: str
    plan_id: str
    public_random: list[str]
    commitment: str
    seed: str
    strata: list[StratumResult]
    selected: list[Selected]
    teams: list[Team]
    snapshot_sha256: dict[str, str]


class RoundRecord(DrawRecord, total=False):
    """draw.json of a round: the record plus what the snapshot left out and who drew it."""

    unmatched: int
    cooldown_excluded: list[dict[str, str]]
    status_excluded: list[str]
    inspectors_left_out: list[dict[str, str]]
    committed_separately: bool
    tool_version: str


# ---------------------------------------------------------------- §4–§6 the draw


# an inspector of the snapshot: id, qualified, may lead, areas (None: anywhere, 第九条)
Candidate = tuple[str, bool, bool, "set[str] | None"]


@dataclass(frozen=True)
class _Rules:
    """The draw's parameters (parameters.json), checked once."""

    plan_id: str
    strata: list[Any]
    working_days: list[str]
    group_by: Any
    size: int
    min_q: int
    max_day: int
    max_round: int | None
    x_per_team: int
    x_max_day: int
    x_specs: set[str]


def _rules(params: dict[str, Any]) -> _Rules:
    strata_params = params.get("strata")
    if not isinstance(strata_params, list):
        raise _bad("parameters.json", None, "strata")
    working_days = params.get("working_days")
    if not isinstance(working_days, list) or not all(isinstance(d, str) for d in working_days):
        raise _bad("parameters.json", None, "working_days")
    return _Rules(
        plan_id=params["plan_id"], strata=strata_params, working_days=working_days,
        group_by=(params.get("schedule") or {}).get("group_by"),
        size=_int(params, "team", "size"), min_q=_int(params, "team", "min_qualified"),
        max_day=_int(params, "team", "max_per_day"),
        max_round=_int_or_none(params, "team", "max_per_round", nullable=True),
        x_per_team=_int(params, "experts", "per_team"), x_max_day=_int(params, "experts", "max_per_day"),
        x_specs=set(params["experts"].get("specialties") or []),
    )


def run_draw(files: dict[str, bytes], public_random: list[str]) -> DrawRecord:
    """The record of DRAW-SPEC §7 (plus the recusals applied and what each rule removed).

    ``files`` maps the five snapshot file names to their bytes.  Raises
    :class:`InfeasibleError` (exit 3) when a team or the experts cannot be made,
    or when there are drawn objects but no working day.
    """
    params = _parameters(files)
    population = read_csv("population.csv", files["population.csv"])
    inspectors = read_csv("inspectors.csv", files["inspectors.csv"])
    experts = read_csv("experts.csv", files["experts.csv"])
    conflicts = read_csv("conflicts.csv", files["conflicts.csv"])
    S = commitment(files)
    Z = seed(S, public_random)
    rules = _rules(params)

    area_of = {oid: area for oid, _, area in population}
    strata_out, drawn = _draw_objects(rules, population, Z)
    selected = _schedule(rules, drawn, area_of)
    teams = _make_teams(rules, selected, area_of, inspectors, experts, conflicts, Z)
    return {
        "algorithm": ALGORITHM,
        "plan_id": rules.plan_id,
        "public_random": list(public_random),
        "commitment": S,
        "seed": Z,
        "strata": strata_out,
        "selected": selected,
        "teams": teams,
        "snapshot_sha256": {name: sha256_hex(files[name]) for name in sorted(SNAPSHOT_FILES)},
    }


def _draw_objects(rules: _Rules, population: list[tuple[str, ...]], Z: str
                  ) -> tuple[list[StratumResult], list[tuple[str, str, str]]]:
    """§4: the k smallest tickets of each stratum (第二十五条); (ticket, object_id, stratum) drawn."""
    by_stratum: dict[str, list[str]] = {}
    for oid, stratum, _ in population:
        by_stratum.setdefault(stratum, []).append(oid)
    strata_out: list[StratumResult] = []
    drawn: list[tuple[str, str, str]] = []
    for st in rules.strata:
        name = st.get("name") if isinstance(st, dict) else None
        if not isinstance(name, str):
            raise _bad("parameters.json", None, "strata name")
        ids = by_stratum.get(name, [])
        n = len(ids)
        k = stratum_size(n, st)
        ranked = smallest(k, tickets(("object", Z), ids))
        drawn.extend((t, oid, name) for t, oid in ranked)
        strata_out.append({"name": name, "population": n, "drawn": k})
    return strata_out, drawn


def _schedule(rules: _Rules, drawn: list[tuple[str, str, str]], area_of: dict[str, str]) -> list[Selected]:
    """§5: processing order (by area when grouped, then ticket) spread over the working days."""
    by_area = rules.group_by == "area"

    def group_key(oid: str) -> bytes:
        return u8(area_of[oid]) if by_area else b""

    order = sorted(drawn, key=lambda x: (group_key(x[1]), x[0], u8(x[1])))
    working_days = rules.working_days
    k_all, d = len(order), len(working_days)
    if k_all and not d:
        raise InfeasibleError(Problem("draw_no_working_days", {"plan_id": rules.plan_id, "objects": k_all}))
    return [
        {"object_id": oid, "stratum": st, "ticket": t, "date": working_days[i * d // k_all]}
        for i, (t, oid, st) in enumerate(order)
    ]


def _make_teams(rules: _Rules, selected: list[Selected], area_of: dict[str, str],
                inspectors: list[tuple[str, ...]], experts: list[tuple[str, ...]],
                conflicts: list[tuple[str, ...]], Z: str) -> list[Team]:
    """§6: for each object in order, its inspectors (第十四条, 第九条, 第十五条) and experts (第十二条)."""
    insp = [(pid, q == "1", lead == "1", areas.parse_snapshot(held)) for pid, q, lead, held in inspectors]
    insp_ids = {p[0] for p in insp}
    xp = [(eid, set(specs.split(";")) if specs else set()) for eid, specs in experts]
    xp_ids = {e[0] for e in xp}
    conflict_pairs: set[tuple[str, str]] = set()
    conflicts_by_object: dict[str, list[tuple[str, str]]] = {}
    for pid, oid, reason in conflicts:
        conflict_pairs.add((pid, oid))
        conflicts_by_object.setdefault(oid, []).append((pid, reason))

    day_load: dict[tuple[str, str], int] = {}
    round_load: dict[str, int] = {}
    x_day_load: dict[tuple[str, str], int] = {}
    teams: list[Team] = []
    for sel in selected:
        o, t = sel["object_id"], sel["date"]
        team, leader, removed = _inspectors_for(rules, o, t, area_of[o], insp, conflict_pairs,
                                                day_load, round_load, Z)
        chosen, x_removed = _experts_for(rules, o, t, xp, conflict_pairs, x_day_load, Z)
        recused = sorted(
            (Recused(person_id=pid, object_id=o, reason=reason)
             for pid, reason in conflicts_by_object.get(o, [])
             if pid in insp_ids or (rules.x_per_team > 0 and pid in xp_ids)),
            key=lambda r: (u8(r["person_id"]), u8(r["reason"])))
        teams.append({
            "object_id": o, "date": t, "inspectors": team, "leader": leader, "experts": chosen,
            "recused": recused, "removed": removed, "experts_removed": x_removed,
        })
    return teams


def _inspectors_for(rules: _Rules, o: str, t: str, a: str, insp: list[Candidate],
                    conflict_pairs: set[tuple[str, str]], day_load: dict[tuple[str, str], int],
                    round_load: dict[str, int], Z: str) -> tuple[list[str], str, dict[str, int]]:
    """The team of object ``o`` on day ``t``: candidates after recusal, area and loads, then by ticket,
    keeping room for the qualified members and the leader still needed (第十四条)."""
    size, min_q, max_day, max_round = rules.size, rules.min_q, rules.max_day, rules.max_round
    removed = {"recusal": 0, "area": 0, "day_load": 0, "round_load": 0}
    cands = []
    for p in insp:
        pid = p[0]
        if (pid, o) in conflict_pairs:
            removed["recusal"] += 1
        elif p[3] is not None and a not in p[3]:
            removed["area"] += 1
        elif day_load.get((pid, t), 0) >= max_day:
            removed["day_load"] += 1
        elif max_round is not None and round_load.get(pid, 0) >= max_round:
            removed["round_load"] += 1
        else:
            cands.append(p)
    flags = {p[0]: p for p in cands}
    ranked = sorted(tickets(("inspector", Z, o), [p[0] for p in cands]))
    team: list[str] = []
    need_q, need_lead = min_q, 1
    for _, pid in ranked:
        if len(team) >= size:
            break
        _, q, lead, _ = flags[pid]
        after = size - len(team) - 1
        if after >= need_q - q and after >= need_lead - lead:
            team.append(pid)
            need_q = max(0, need_q - q)
            need_lead = max(0, need_lead - lead)
    if len(team) < size or need_q or need_lead:
        raise InfeasibleError(Problem("draw_infeasible_team", {
            "object_id": o, "date": t, "size": size, "min_qualified": min_q,
            "candidates": len(cands), "pool": len(insp), **removed}))
    leader = next(pid for pid in team if flags[pid][2])
    for pid in team:
        day_load[(pid, t)] = day_load.get((pid, t), 0) + 1
        round_load[pid] = round_load.get(pid, 0) + 1
    return team, leader, removed


def _experts_for(rules: _Rules, o: str, t: str, xp: list[tuple[str, set[str]]], conflict_pairs: set[tuple[str, str]],
                 x_day_load: dict[tuple[str, str], int], Z: str) -> tuple[list[str], dict[str, int]]:
    """The experts of object ``o`` on day ``t`` (第十二条): after recusal, specialty and day load, by ticket."""
    x_removed = {"recusal": 0, "specialty": 0, "day_load": 0}
    per_team = rules.x_per_team
    if per_team <= 0:
        return [], x_removed
    want_specs, x_max_day = rules.x_specs, rules.x_max_day
    xc = []
    for eid, specs in xp:
        if (eid, o) in conflict_pairs:
            x_removed["recusal"] += 1
        elif want_specs and not (specs & want_specs):
            x_removed["specialty"] += 1
        elif x_day_load.get((eid, t), 0) >= x_max_day:
            x_removed["day_load"] += 1
        else:
            xc.append(eid)
    xr = sorted(tickets(("expert", Z, o), xc))
    chosen = [eid for _, eid in xr[:per_team]]
    if len(chosen) < per_team:
        raise InfeasibleError(Problem("draw_infeasible_experts", {
            "object_id": o, "date": t, "per_team": per_team,
            "candidates": len(xc), "pool": len(xp), **x_removed}))
    for eid in chosen:
        x_day_load[(eid, t)] = x_day_load.get((eid, t), 0) + 1
    return chosen, x_removed


def dumps(record: Mapping[str, Any]) -> bytes:
    """draw.json bytes: keys in the order the record was built, UTF-8, 2-space indent, final newline."""
    return json_bytes(record)
