"""DRAW-SPEC §4 (the object selection) as one SQL query, run by DuckDB.

Needs the optional ``scale`` extra (``pip install 'shuijie[scale]'``): this module imports
``duckdb`` at its top, so import it only where the extra is installed (nothing else in
shuijie imports it).  See docs/scale.md for the query, how it maps to Spark SQL, and timings.

What SQL computes, exactly as the spec and :mod:`shuijie.core.draw` do:

* the ticket ``H("object", Z, object_id)`` = lowercase hex SHA-256 of
  ``enc("shuijie-draw/1", "object", Z, object_id)``, every field being its 4-byte big-endian
  UTF-8 byte length then its UTF-8 bytes (the macro ``enc_field``);
* the stratum sizes ``n`` (rows of the population with that stratum) and
  ``k = min(count, n)`` or ``min(n, ceil(n × ratio))`` in exact integer arithmetic: the
  decimal ratio string is turned into an integer fraction ``num/den`` (Python's
  ``Fraction``, exact) and SQL computes ``ceil(n·num/den)`` as ``(n·num + den − 1) // den``
  over HUGEINT.  Each k is cross-checked against shuijie's own ``stratum_size``;
* per stratum, the rows ranked by ``(ticket, object_id as UTF-8 bytes)`` with
  ``row_number()``; the first k are drawn.

Sources: a round folder (``<rounds>/<plan_id>/`` with ``snapshot/`` and ``draw.json``), a
snapshot folder (the five files), or a population file (``.parquet`` or ``.csv`` with at
least the columns ``object_id`` and ``stratum``, values already in snapshot form: trimmed,
Unicode NFC) together with the plan's strata.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable

import duckdb

from shuijie.core import draw

_draw = draw  # the module whose §4 this query reproduces (tests and benchmarks compare with it)

ALGORITHM = _draw.ALGORITHM

# enc(f) for one VARCHAR field: 4-byte big-endian length of its UTF-8 bytes, then the bytes.
ENC_FIELD_MACRO = (
    "CREATE OR REPLACE TEMP MACRO enc_field(s) AS "
    "from_hex(printf('%08x', octet_length(encode(s)))) || encode(s)"
)

# $seed is Z; the population relation is ``pop(object_id, stratum)``, the strata table is
# ``strata(pos, name, cnt, num, den)`` (cnt for {count}, num/den for {ratio}).
SELECTION_SQL = """
WITH sized AS (
    SELECT s.pos, s.name, s.cnt, s.num, s.den, count(p.object_id)::HUGEINT AS n
    FROM strata s LEFT JOIN pop p ON p.stratum = s.name
    GROUP BY s.pos, s.name, s.cnt, s.num, s.den
), k AS (
    SELECT pos, name, n,
           CASE WHEN cnt IS NOT NULL THEN least(cnt, n)
                ELSE least(n, (n * num + den - 1) // den) END AS k
    FROM sized
), ranked AS (
    SELECT p.stratum, p.object_id,
           sha256(enc_field('shuijie-draw/1') || enc_field('object') || enc_field($seed)
                  || enc_field(p.object_id)) AS ticket
    FROM pop p SEMI JOIN strata s ON p.stratum = s.name
    QUALIFY row_number() OVER (PARTITION BY p.stratum ORDER BY ticket, encode(p.object_id))
            <= (SELECT k.k FROM k WHERE k.name = p.stratum)
)
SELECT k.pos, k.name, k.n, k.k, r.object_id, r.ticket
FROM k LEFT JOIN ranked r ON r.stratum = k.name
ORDER BY k.pos, r.ticket, encode(r.object_id)
"""


@dataclass
class Selection:
    """What SQL computed: the seed, per stratum its sizes, and the drawn ``(ticket, object_id)``."""

    seed: str
    strata: list[dict[str, Any]] = field(default_factory=list)  # [{name, population, drawn}] in plan order
    drawn: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # stratum -> [(ticket, id)] ranked

    def ids(self) -> dict[str, list[str]]:
        return {name: [oid for _, oid in rows] for name, rows in self.drawn.items()}


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the ``enc_field`` macro."""
    con = duckdb.connect()
    con.execute(ENC_FIELD_MACRO)
    return con


def _strata_rows(strata: Iterable[dict[str, Any]]) -> list[tuple[int, str, int | None, int | None, int | None]]:
    """``(pos, name, count, num, den)`` per stratum, validated as shuijie validates them."""
    rows: list[tuple[int, str, int | None, int | None, int | None]] = []
    seen: set[str] = set()
    for pos, st in enumerate(strata):
        name = st.get("name") if isinstance(st, dict) else None
        if not isinstance(name, str):
            raise ValueError(f"stratum {pos}: no name")
        if name in seen:
            raise ValueError(f"stratum {name!r} listed twice")
        seen.add(name)
        try:
            _draw.stratum_size(0, st)  # refuses a bad count or ratio, as the draw does
        except Exception:
            raise ValueError(f"stratum {name!r}: count must be an integer >= 0, ratio a plain decimal "
                             f"string such as '0.05' (got {st!r})") from None
        if "count" in st:
            rows.append((pos, name, int(st["count"]), None, None))
        else:
            r = Fraction(st["ratio"])
            rows.append((pos, name, None, r.numerator, r.denominator))
    return rows


def _source_sql(path: Path, snapshot_csv: bool) -> str:
    p = str(path).replace("'", "''")
    if path.suffix.lower() == ".parquet":
        return f"SELECT object_id::VARCHAR AS object_id, stratum::VARCHAR AS stratum FROM read_parquet('{p}')"
    if snapshot_csv:
        # DRAW-SPEC §2: UTF-8, '\n' line ends, header row, ',' separators, no quoting.
        opts = ("header = true, delim = ',', quote = '', escape = '', all_varchar = true, "
                "columns = {'object_id': 'VARCHAR', 'stratum': 'VARCHAR', 'area': 'VARCHAR'}, "
                "new_line = '\\n'")
    else:
        opts = "header = true, all_varchar = true"
    # An unquoted empty CSV field reads as NULL; the draw reads it as "".
    return (f"SELECT coalesce(object_id, '') AS object_id, coalesce(stratum, '') AS stratum "
            f"FROM read_csv('{p}', {opts})")


def _round_seed(round_dir: Path, files: dict[str, bytes], public_random: list[str] | None) -> str:
    """Z recomputed from the snapshot's bytes and the public random values (draw.json's unless given)."""
    if public_random is None:
        record = json.loads((round_dir / "draw.json").read_text("utf-8"))
        public_random = record["public_random"]
    return _draw.seed(_draw.commitment(files), public_random)


def resolve(source: str | Path, seed: str | None = None, *, strata: list[dict[str, Any]] | None = None,
            public_random: list[str] | None = None) -> tuple[Path, bool, str, list[dict[str, Any]]]:
    """``(population file, is_snapshot_csv, Z, strata)`` for a round folder, snapshot folder or file."""
    source = Path(source)
    if source.is_dir():
        snap = source / "snapshot" if (source / "snapshot" / "population.csv").is_file() else source
        if not (snap / "population.csv").is_file():
            raise FileNotFoundError(f"no snapshot/population.csv under {source}")
        if strata is None:
            params = json.loads((snap / "parameters.json").read_text("utf-8"))
            strata = params["strata"]
        if seed is None:
            files = {name: (snap / name).read_bytes() for name in _draw.SNAPSHOT_FILES}
            if public_random is None and not (source / "draw.json").is_file():
                raise ValueError(f"{source}: no draw.json; give seed or public_random")
            seed = _round_seed(source, files, public_random)
        pop = snap / "population.csv"
        with pop.open("rb") as fh:
            header = fh.readline()
        if header != b"object_id,stratum,area\n":
            raise ValueError(f"{pop}: header is not object_id,stratum,area")
        return pop, True, seed, strata
    if not source.is_file():
        raise FileNotFoundError(str(source))
    if source.suffix.lower() not in (".parquet", ".csv"):
        raise ValueError(f"{source}: a population file is .parquet or .csv")
    if seed is None or strata is None:
        raise ValueError("a population file needs the seed Z and the plan's strata")
    return source, False, seed, strata


def select(source: str | Path, seed: str | None = None, *, strata: list[dict[str, Any]] | None = None,
           public_random: list[str] | None = None,
           con: duckdb.DuckDBPyConnection | None = None) -> Selection:
    """Run the selection query; see :func:`select_with_duckdb` for the arguments."""
    path, snapshot_csv, Z, strata = resolve(source, seed, strata=strata, public_random=public_random)
    rows = _strata_rows(strata)
    own = con is None
    con = con or connect()
    try:
        con.execute(ENC_FIELD_MACRO)
        con.execute("CREATE OR REPLACE TEMP TABLE strata "
                    "(pos INTEGER, name VARCHAR, cnt HUGEINT, num HUGEINT, den HUGEINT)")
        if rows:
            con.executemany("INSERT INTO strata VALUES (?, ?, ?, ?, ?)", rows)
        con.execute(f"CREATE OR REPLACE TEMP VIEW pop AS {_source_sql(path, snapshot_csv)}")
        result = con.execute(SELECTION_SQL, {"seed": Z}).fetchall()
    finally:
        if own:
            con.close()
    out = Selection(seed=Z)
    by_pos = {pos: st for pos, st in enumerate(strata)}
    for pos, name, n, k, oid, ticket in result:
        if name not in out.drawn:
            k_py = _draw.stratum_size(int(n), by_pos[pos])
            if int(k) != k_py:  # cannot happen; the integer arithmetic is the spec's
                raise AssertionError(f"stratum {name}: SQL k={k}, shuijie k={k_py}")
            out.strata.append({"name": name, "population": int(n), "drawn": int(k)})
            out.drawn[name] = []
        if oid is not None:
            out.drawn[name].append((ticket, oid))
    return out


def select_with_duckdb(source: str | Path, seed: str | None = None, *,
                       strata: list[dict[str, Any]] | None = None,
                       public_random: list[str] | None = None) -> dict[str, list[str]]:
    """The drawn object ids per stratum (plan order; each list in rank order), computed in SQL.

    ``source``: a round folder (its ``snapshot/``; the seed, when not given, is recomputed
    from the snapshot's commitment and ``draw.json``'s ``public_random``, or the
    ``public_random`` given), a snapshot folder (give ``seed`` or ``public_random``), or a
    ``.parquet`` / ``.csv`` population file with columns ``object_id`` and ``stratum`` (give
    ``seed`` and ``strata``, the plan's ``[{name, ratio}|{name, count}]`` list).
    """
    return select(source, seed, strata=strata, public_random=public_random).ids()
