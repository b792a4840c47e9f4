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
import os
from array import array
from dataclasses import dataclass
from itertools import compress, islice, repeat
from operator import itemgetter, le, lt
from typing import AbstractSet, Any, Iterable, Iterator, Mapping, TypedDict, TypeVar

from shuijie.core.errors import InfeasibleError, InputError, Problem
from shuijie.core.forking import Forked, can_fork, switch
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
    kept per id length, so each id costs one ``copy`` + ``update`` + ``hexdigest``;
    when every id is ASCII of one length (USCC codes), without looking the length up.
    """
    ids = ids if isinstance(ids, list) else list(ids)
    base = hashlib.sha256(enc(ALGORITHM, *prefix_fields))
    out: list[tuple[str, str]] = []
    append = out.append
    lengths = set(map(len, ids))
    if len(lengths) == 1 and all(map(str.isascii, ids)):
        base.update(lengths.pop().to_bytes(4, "big"))
        copy = base.copy
        for i in ids:
            h = copy()
            h.update(i.encode())
            append((h.hexdigest(), i))
        return out
    by_len: dict[int, Any] = {}
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


_Ranked = TypeVar("_Ranked", bound=tuple[Any, ...])


def smallest(k: int, ranked: list[_Ranked]) -> list[_Ranked]:
    """The k smallest ``(ticket, id, …)`` tuples in ascending order.

    Tickets are hex strings of equal length, so string order is the order of the
    256-bit integers (as it is for the digests as bytes); ties fall to the id, and
    Python's ``str`` order (code points) is exactly UTF-8 byte order, as the spec requires.
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
    population = files["population.csv"]
    body = _population_body(population)
    inspectors = read_csv("inspectors.csv", files["inspectors.csv"])
    experts = read_csv("experts.csv", files["experts.csv"])
    conflicts = read_csv("conflicts.csv", files["conflicts.csv"])
    S = commitment(files)
    Z = seed(S, public_random)
    rules = _rules(params)

    strata_out, drawn, area_of = _draw_objects(rules, population, body, Z)
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


# population.csv is read in pieces of whole lines, as bytes: a million rows never become a
# million tuples of strings (hundreds of MB), only the drawn ones are decoded.
_CHUNK = 1 << 20
_NOT_SEPARATOR = bytes(b for b in range(256) if b not in b",\n")


def _chunks(data: bytes, start: int) -> Iterator[bytes]:
    """``data[start:]`` in pieces of about ``_CHUNK`` bytes, each ending with a line end (the last maybe not)."""
    n = len(data)
    while start < n:
        end = data.find(b"\n", start + _CHUNK)
        end = n if end < 0 else end + 1
        yield data[start:end]
        start = end


def _population_body(data: bytes) -> int:
    """Where the rows of population.csv start; refuses, with :func:`read_csv`'s own error, just
    what it refuses (not UTF-8, another header, a line without exactly three columns)."""
    header = ",".join(CSV_HEADERS["population.csv"]).encode()
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    separators = data.translate(None, _NOT_SEPARATOR) + (b"" if data.endswith(b"\n") else b"\n")
    ok = (data == header or data.startswith(header + b"\n")) and separators == b",,\n" * lines
    try:
        for piece in _chunks(data, 0) if ok else ():
            piece.decode("utf-8")  # a line end never falls inside a UTF-8 sequence
    except UnicodeDecodeError:
        ok = False
    if not ok:
        read_csv("population.csv", data)  # raises
        raise AssertionError("read_csv accepted a population.csv the fast checks refused")
    return min(len(header) + 1, len(data))


def _fields(piece: bytes) -> tuple[list[bytes], list[bytes], list[bytes]]:
    """Object ids, strata and areas of a piece of population.csv (every line has three columns)."""
    cells = piece.replace(b"\n", b",").split(b",")
    if piece.endswith(b"\n"):
        cells.pop()
    return cells[0::3], cells[1::3], cells[2::3]


def _digests(state: Any, items: Iterable[bytes]) -> list[bytes]:
    """SHA-256 digests of ``state``'s input followed by each item (one ``copy`` + ``update`` each)."""
    copy = state.copy
    out: list[bytes] = []
    append = out.append
    for b in items:
        h = copy()
        h.update(b)
        append(h.digest())
    return out


def _object_digests(prefix: bytes, ids: list[bytes]) -> list[bytes]:
    """The digests of ``H("object", Z, id)`` for ids given as UTF-8 bytes (``prefix`` is their ``enc``)."""
    lengths = set(map(len, ids))
    if len(lengths) == 1:  # the usual case: ids of one length share the length field too
        return _digests(hashlib.sha256(prefix + lengths.pop().to_bytes(4, "big")), ids)
    return _digests(hashlib.sha256(prefix), (len(b).to_bytes(4, "big") + b for b in ids))


def _draw_objects(rules: _Rules, data: bytes, body: int, Z: str
                  ) -> tuple[list[StratumResult], list[tuple[str, str, str]], dict[str, str]]:
    """§4: the k smallest tickets of each stratum (第二十五条); (ticket, object_id, stratum) drawn,
    and the area of each drawn object.

    One pass over population.csv keeps, per stratum, only the rows whose ticket may still
    be among its k smallest: rows are ranked by ``(ticket digest, id bytes)``, the order of
    ``(hex ticket, id)``."""
    strata_out: list[StratumResult] = []
    wanted: list[tuple[str, bytes, int]] = []
    for st in rules.strata:
        name = st.get("name") if isinstance(st, dict) else None
        if not isinstance(name, str):
            raise _bad("parameters.json", None, "strata name")
        nb = name.encode("utf-8", "surrogatepass")  # a lone surrogate matches no (UTF-8) row
        # every line has exactly two commas, so ",name," can only be a whole stratum column
        n = 0 if b"," in nb or b"\n" in nb else data.count(b"," + nb + b",", body)
        k = stratum_size(n, st)
        strata_out.append({"name": name, "population": n, "drawn": k})
        wanted.append((name, nb, k))
    keep = {nb: k for _, nb, k in sorted(wanted, key=itemgetter(2)) if k > 0}  # the largest k of a name
    kept: dict[bytes, list[tuple[bytes, bytes, bytes]]] = {nb: [] for nb in keep}
    bound: dict[bytes, bytes | None] = dict.fromkeys(keep)
    prefix = enc(ALGORITHM, "object", Z)
    increasing, last = True, None  # ids strictly increasing: no id twice (the snapshot writer sorts them)
    for piece in _chunks(data, body) if keep else ():
        ids, names, places = _fields(piece)
        if increasing:
            increasing = (last is None or last < ids[0]) and all(map(lt, ids, islice(ids, 1, None)))
            last = ids[-1]
        if not keep.keys() >= set(names):  # rows of strata not drawn from: left out before hashing
            mask = list(map(keep.__contains__, names))
            ids, names, places = list(compress(ids, mask)), list(compress(names, mask)), list(compress(places, mask))
        digests = _object_digests(prefix, ids)
        # the rows whose ticket may still count: below the highest bound (all while a stratum has none)
        top = None if None in bound.values() else max(b for b in bound.values() if b is not None)
        for i in range(len(ids)) if top is None else compress(range(len(ids)), map(le, digests, repeat(top))):
            d, b = digests[i], bound[names[i]]
            if b is None or d <= b:
                kept[names[i]].append((d, ids[i], places[i]))
        for nb, rows in kept.items():
            if len(rows) > 2 * keep[nb]:
                rows[:] = heapq.nsmallest(keep[nb], rows)
                bound[nb] = rows[-1][0]
    drawn: list[tuple[str, str, str]] = []
    area_of: dict[str, str] = {}
    for name, nb, k in wanted:
        for d, oid, place in smallest(k, kept[nb]) if k > 0 else ():
            drawn.append((d.hex(), oid.decode("utf-8"), name))
            area_of[oid.decode("utf-8")] = place.decode("utf-8")
    if not increasing and drawn:  # an id may stand twice: its area is that of its last row
        wanted_ids = {oid.encode("utf-8") for oid in area_of}
        for piece in _chunks(data, body):
            ids, _, places = _fields(piece)
            for oid_b, place in zip(ids, places):
                if oid_b in wanted_ids:
                    area_of[oid_b.decode("utf-8")] = place.decode("utf-8")
    return strata_out, drawn, area_of


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


class _Pool:
    """The rows of inspectors.csv or experts.csv as the team draw needs them: ids, their encoded
    ticket fields, and the rows each id stands on (a row is a candidate or not; loads are per id)."""

    def __init__(self, kind: str, ids: list[str], conflicts_by_object: dict[str, list[tuple[str, str]]]):
        self.kind = kind
        self.ids = ids
        self.encoded = [_field(i) for i in ids]
        self.rows = frozenset(range(len(ids)))
        self.rows_of: dict[str, list[int]] = {}
        for r, i in enumerate(ids):
            self.rows_of.setdefault(i, []).append(r)
        self._conflicts = conflicts_by_object
        self.busy_days: dict[str, set[int]] = {}  # rows whose id reached the day's load
        self.ahead: dict[str, list[int]] = {}  # object id -> the first rows of the whole pool by rank (_Ahead)

    def recused(self, o: str) -> set[int]:
        """Rows of the people with a conflicts.csv row for object ``o`` (第十五条)."""
        return {r for pid, _ in self._conflicts.get(o, ()) for r in self.rows_of.get(pid, ())}

    def ranked(self, Z: str, o: str, rows: AbstractSet[int]) -> Iterator[tuple[str, int]]:
        """The candidate ``rows`` by ``(H(kind, Z, o, id), id bytes)``, lazily: (id, row of its flags).

        Digests rank as their hex tickets do; a heap yields only as many as the walk takes.
        When the helper process ranked the whole pool for ``o`` already, its first rows that
        are candidates come first, and only a walk going past them ranks here."""
        firsts = self.ahead.get(o)
        if firsts is not None:
            given = 0
            for r in firsts:
                if r in rows:
                    given += 1
                    yield self.ids[r], r
            if len(firsts) < len(self.ids):
                yield from islice(self._ranked_here(Z, o, rows), given, None)
            return
        yield from self._ranked_here(Z, o, rows)

    def digests(self, Z: str, o: str, order: Iterable[int]) -> list[bytes]:
        """The digests of ``H(kind, Z, o, id)`` for the rows in ``order``."""
        copy, encoded = hashlib.sha256(enc(ALGORITHM, self.kind, Z, o)).copy, self.encoded
        digests: list[bytes] = []
        append = digests.append
        for r in order:  # _digests' loop, with the row's bytes looked up in place (faster than a map)
            h = copy()
            h.update(encoded[r])
            append(h.digest())
        return digests

    def first_rows(self, Z: str, o: str, n: int) -> list[int]:
        """The first ``n`` rows of the whole pool by rank (ids on one row each)."""
        digests = self.digests(Z, o, range(len(self.ids)))
        near: Iterable[int] = range(len(digests))
        if n < len(digests):  # the rows at or below the n-th smallest digest
            heap = digests.copy()
            heapq.heapify(heap)
            for _ in range(n - 1):
                heapq.heappop(heap)
            near = compress(near, map(le, digests, repeat(heap[0])))
        return sorted(near, key=lambda r: (digests[r], self.ids[r]))[:n]

    def _ranked_here(self, Z: str, o: str, rows: Iterable[int]) -> Iterator[tuple[str, int]]:
        order = list(rows)
        digests = self.digests(Z, o, order)
        heap = digests.copy()
        heapq.heapify(heap)
        ids = self.ids
        while heap:
            d = heapq.heappop(heap)
            if not heap or heap[0] != d:
                r = order[digests.index(d)]
                yield ids[r], r
                continue
            # equal tickets: an id on several rows (or a SHA-256 collision): ties fall to the id,
            # and an id's flags are those of its last candidate row
            while heap and heap[0] == d:
                heapq.heappop(heap)
            tied = sorted(order[i] for i, x in enumerate(digests) if x == d)
            flags_row = {ids[r]: r for r in tied}
            for r in sorted(tied, key=ids.__getitem__):
                yield ids[r], flags_row[ids[r]]

    def add_load(self, loads: dict[Any, int], key: Any, pid: str, limit: int, full: set[int]) -> None:
        """One more for ``pid`` under ``key``; at ``limit`` its rows join ``full``."""
        loads[key] = loads.get(key, 0) + 1
        if loads[key] >= limit:
            full.update(self.rows_of[pid])


# A big round's teams in two halves at once: a forked helper process ranks the whole pools for
# the later objects (tickets depend on the object and the person only, never on the loads)
# while this process makes the earlier teams; the later walks then start from the helper's
# first rows.  Every team is the same either way (tests/test_draw_reference.py).  Off below
# HELPER_FROM teams, on one core or a busy machine (1-minute load average at the number of cores or
# more: this process counts about one, so another job keeps a core busy), where
# there is no fork (Windows), while another thread runs, for pools with an id on two rows, and with
# SHUIJIE_DRAW_HELPER=0 (1 forces it on at any size and load).
HELPER_FROM = 500
HELPER_ENV = "SHUIJIE_DRAW_HELPER"
_AHEAD = 32  # rows of each ranking sent back; a walk going further ranks the candidates here
_SPLIT = (5, 9)  # the share of the objects whose teams this process makes before the helper's


def _use_helper(teams: int, pools: list[_Pool]) -> bool:
    if not can_fork() or any(len(p.rows_of) < len(p.ids) for p in pools):
        return False
    # on its own from HELPER_FROM teams, and only with a core to spare: on a busy machine the
    # helper's extra hashing (it ranks whole pools) costs more than the parallelism wins
    return switch(HELPER_ENV, teams >= HELPER_FROM and os.getloadavg()[0] < (os.cpu_count() or 1))


def _rank_ahead(Z: str, objects: list[str], pools: list[_Pool]) -> bytes:
    """For each object, for each pool, its first ``_AHEAD`` rows by rank (unsigned ints)."""
    out = array("I")
    for o in objects:
        for pool in pools:
            out.extend(pool.first_rows(Z, o, _AHEAD))
    return out.tobytes()


class _Ahead:
    """The helper process for ``objects`` (:class:`~shuijie.core.forking.Forked`); :meth:`collect`
    puts its rankings into the pools' ``ahead`` (or nothing, if it failed: then every ranking
    is made here)."""

    def __init__(self, Z: str, objects: list[str], pools: list[_Pool]):
        self.objects, self.pools = objects, pools
        self.child: Forked | None = None
        try:
            self.child = Forked(lambda: _rank_ahead(Z, objects, pools), "draw helper")
        except OSError:
            pass

    def collect(self) -> None:
        if self.child is None:
            return
        try:
            got = array("I", self.child.result())
        except Exception:  # the helper failed or died: the rankings are made here
            return
        widths = [min(_AHEAD, len(p.ids)) for p in self.pools]
        if len(got) != sum(widths) * len(self.objects):
            return
        at = 0
        for o in self.objects:
            for pool, w in zip(self.pools, widths):
                pool.ahead[o] = got[at:at + w].tolist()
                at += w

    def stop(self) -> None:
        if self.child is not None:
            self.child.stop()


def _make_teams(rules: _Rules, selected: list[Selected], area_of: dict[str, str],
                inspectors: list[tuple[str, ...]], experts: list[tuple[str, ...]],
                conflicts: list[tuple[str, ...]], Z: str) -> list[Team]:
    """§6: for each object in order, its inspectors (第十四条, 第九条, 第十五条) and experts (第十二条)."""
    conflicts_by_object: dict[str, list[tuple[str, str]]] = {}
    for pid, oid, reason in conflicts:
        conflicts_by_object.setdefault(oid, []).append((pid, reason))
    insp = _Pool("inspector", [row[0] for row in inspectors], conflicts_by_object)
    qualified = [q == "1" for _, q, _, _ in inspectors]
    can_lead = [lead == "1" for _, _, lead, _ in inspectors]
    held = [areas.parse_snapshot(a) for _, _, _, a in inspectors]
    xp = _Pool("expert", [row[0] for row in experts], conflicts_by_object)
    want_specs = rules.x_specs
    off_specialty = frozenset(r for r, (_, specs) in enumerate(experts)
                              if want_specs and not ((set(specs.split(";")) if specs else set()) & want_specs))

    out_of_area: dict[str, frozenset[int]] = {}
    round_full: set[int] = set(insp.rows) if rules.max_round == 0 else set()
    loads: dict[Any, int] = {}
    teams: list[Team] = []
    pools = [insp, xp] if rules.x_per_team > 0 else [insp]
    split = len(selected) * _SPLIT[0] // _SPLIT[1] if _use_helper(len(selected), pools) else len(selected)
    helper = _Ahead(Z, [s["object_id"] for s in selected[split:]], pools) if split < len(selected) else None
    try:
        for i, sel in enumerate(selected):
            if i == split and helper is not None:
                helper.collect()
            o, t = sel["object_id"], sel["date"]
            a = area_of[o]
            if a not in out_of_area:
                out_of_area[a] = frozenset(r for r, h in enumerate(held) if h is not None and a not in h)
            team, leader, removed = _inspectors_for(rules, o, t, insp, qualified, can_lead, out_of_area[a],
                                                    round_full, loads, Z)
            chosen, x_removed = _experts_for(rules, o, t, xp, off_specialty, loads, Z)
            recused = sorted(
                (Recused(person_id=pid, object_id=o, reason=reason)
                 for pid, reason in conflicts_by_object.get(o, [])
                 if pid in insp.rows_of or (rules.x_per_team > 0 and pid in xp.rows_of)),
                key=lambda r: (u8(r["person_id"]), u8(r["reason"])))
            teams.append({
                "object_id": o, "date": t, "inspectors": team, "leader": leader, "experts": chosen,
                "recused": recused, "removed": removed, "experts_removed": x_removed,
            })
    finally:
        if helper is not None:
            helper.stop()
    return teams


def _inspectors_for(rules: _Rules, o: str, t: str, insp: _Pool, qualified: list[bool], can_lead: list[bool],
                    out_of_area: frozenset[int], round_full: set[int], loads: dict[Any, int], Z: str
                    ) -> tuple[list[str], str, dict[str, int]]:
    """The team of object ``o`` on day ``t``: candidates after recusal, area and loads, then by ticket,
    keeping room for the qualified members and the leader still needed (第十四条).

    Each row is counted under the first rule that removes it (recusal, area, day load, round load)."""
    size, min_q, max_day, max_round = rules.size, rules.min_q, rules.max_day, rules.max_round
    recused = insp.recused(o)
    busy = insp.busy_days.setdefault(t, set(insp.rows) if max_day <= 0 else set())
    gone = recused | out_of_area
    removed = {"recusal": len(recused), "area": len(out_of_area - recused), "day_load": len(busy - gone),
               "round_load": len(round_full - gone - busy)}
    cands = insp.rows.difference(gone, busy, round_full)
    team: list[str] = []
    lead_of: dict[str, bool] = {}
    need_q, need_lead = min_q, 1
    for pid, r in insp.ranked(Z, o, cands):
        if len(team) >= size:
            break
        q, lead = qualified[r], can_lead[r]
        after = size - len(team) - 1
        if after >= need_q - q and after >= need_lead - lead:
            team.append(pid)
            lead_of[pid] = lead
            need_q = max(0, need_q - q)
            need_lead = max(0, need_lead - lead)
    if len(team) < size or need_q or need_lead:
        raise InfeasibleError(Problem("draw_infeasible_team", {
            "object_id": o, "date": t, "size": size, "min_qualified": min_q,
            "candidates": len(cands), "pool": len(insp.ids), **removed}))
    leader = next(pid for pid in team if lead_of[pid])
    for pid in team:
        insp.add_load(loads, ("day", pid, t), pid, max_day, busy)
        if max_round is not None:
            insp.add_load(loads, ("round", pid), pid, max_round, round_full)
    return team, leader, removed


def _experts_for(rules: _Rules, o: str, t: str, xp: _Pool, off_specialty: frozenset[int],
                 loads: dict[Any, int], Z: str) -> tuple[list[str], dict[str, int]]:
    """The experts of object ``o`` on day ``t`` (第十二条): after recusal, specialty and day load, by ticket."""
    per_team = rules.x_per_team
    if per_team <= 0:
        return [], {"recusal": 0, "specialty": 0, "day_load": 0}
    recused = xp.recused(o)
    busy = xp.busy_days.setdefault(t, set(xp.rows) if rules.x_max_day <= 0 else set())
    gone = recused | off_specialty
    x_removed = {"recusal": len(recused), "specialty": len(off_specialty - recused), "day_load": len(busy - gone)}
    cands = xp.rows.difference(gone, busy)
    chosen = [eid for eid, _ in islice(xp.ranked(Z, o, cands), per_team)]
    if len(chosen) < per_team:
        raise InfeasibleError(Problem("draw_infeasible_experts", {
            "object_id": o, "date": t, "per_team": per_team,
            "candidates": len(cands), "pool": len(xp.ids), **x_removed}))
    for eid in chosen:
        xp.add_load(loads, ("expert", eid, t), eid, rules.x_max_day, busy)
    return chosen, x_removed


def dumps(record: Mapping[str, Any]) -> bytes:
    """draw.json bytes: keys in the order the record was built, UTF-8, 2-space indent, final newline."""
    return json_bytes(record)
