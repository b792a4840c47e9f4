"""The objects registry (第八条) as columns: a province's million rows without a record each.

A round needs every object for a few things only — its id, the fields the plan filters
and stratifies on (区域、行业、类型、风险等级、信用等级、登记状态 …), and whether a license
item finds its 许可文件名称 and 许可文号 — but full records (名称、地址、负责人 …) for the
objects a paper or a message names: the drawn, the cooled-down, the ones in a problem.
So :class:`ObjectTable` keeps:

* ``ids``: every object's id, in registry order;
* ``rows``: where each came from (the row the clerk sees), with ``file`` and ``columns``
  (field → header) as in :class:`~shuijie.core.models.SourceRef`;
* one list per kept field (few distinct values, so one string object per value);
* a presence flag per object for the fields only ever asked "is it filled" (许可文号);

and builds full :class:`~shuijie.core.models.Object` records on demand through its
``source`` (the registries layer re-reads the very file it validated, checking its
bytes did not change in between; see ``shuijie.registries.load``).  docs/architecture.md
says why columns of plain Python lists were chosen.
"""

from __future__ import annotations

from array import array
from typing import Iterable, Iterator, Protocol, Sequence

from shuijie.core.models import Object, SourceRef

# Fields kept as columns for every object: the ones rules filter, stratify, list-check or
# count on (other fields named in a plan's filters are kept too: see ``keep``).
COLUMN_FIELDS = ("area", "industry", "kind", "risk", "credit", "status", "license_name")
# Fields of which only "is it filled" is ever asked of every object (第八条 license items).
PRESENCE_FIELDS = ("license_no",)


class RecordSource(Protocol):
    """Where full records come from: ``read(rows)`` gives the records at those source rows
    (row number → record); ``every()`` streams all of them in registry order."""

    def read(self, rows: set[int]) -> dict[int, Object]: ...

    def every(self) -> Iterator[Object]: ...

    def moved(self, path: object) -> "RecordSource": ...


class MemorySource:
    """Records already built (a YAML registry is small): kept as they are."""

    def __init__(self, records: Sequence[Object]):
        self._by_row = {r.src.row if r.src else i: r for i, r in enumerate(records)}
        self._records = list(records)

    def read(self, rows: set[int]) -> dict[int, Object]:
        return {n: r for n, r in self._by_row.items() if n in rows}

    def every(self) -> Iterator[Object]:
        return iter(self._records)

    def moved(self, path: object) -> "MemorySource":
        return self


class ObjectTable:
    """Every object of the registry as columns; full records on demand (see module doc)."""

    def __init__(self, file: str, columns: dict[str, str], ids: list[str], rows: "array[int]",
                 fields: dict[str, list[str]], filled: dict[str, bytearray], source: RecordSource):
        self.file = file
        self.columns = columns
        self.ids = ids
        self.rows = rows
        self._fields = fields
        self._filled = filled
        self.source = source
        self._cache: dict[int, Object] = {}

    @classmethod
    def from_records(cls, records: Sequence[Object], file: str = "", columns: dict[str, str] | None = None,
                     source: RecordSource | None = None) -> "ObjectTable":
        """A table of records already built (YAML registries, tests)."""
        recs = list(records)
        if recs and recs[0].src is not None:
            file = recs[0].src.file
            columns = columns or recs[0].src.columns
        rows = array("q", [r.src.row if r.src and r.src.row is not None else i for i, r in enumerate(recs)])
        fields = {f: [getattr(r, f) for r in recs] for f in Object.model_fields if f != "id"}
        filled = {f: bytearray(1 if getattr(r, f) else 0 for r in recs) for f in PRESENCE_FIELDS}
        return cls(file, dict(columns or {}), [r.id for r in recs], rows, fields, filled,
                   source or MemorySource(recs))

    def __len__(self) -> int:
        return len(self.ids)

    def __bool__(self) -> bool:
        return bool(self.ids)

    def column(self, name: str) -> list[str]:
        """Every object's value of field ``name`` (a kept field; KeyError otherwise)."""
        if name == "id":
            return self.ids
        return self._fields[name]

    def filled(self, name: str) -> bytearray | list[str]:
        """Per object, whether field ``name`` holds a value (truthy / falsy items)."""
        if name in self._filled:
            return self._filled[name]
        return self._fields[name]

    def src(self, i: int) -> SourceRef:
        return SourceRef(self.file, self.rows[i], self.columns)

    def indices_of(self, ids: Iterable[str]) -> list[int]:
        """Positions of the objects with these ids (each id's first), in registry order."""
        wanted = set(ids)
        out: list[int] = []
        for i, oid in enumerate(self.ids):
            if oid in wanted:
                out.append(i)
                wanted.discard(oid)
                if not wanted:
                    break
        return out

    def records(self, indices: Iterable[int]) -> list[Object]:
        """Full records of the objects at these positions (in the order given)."""
        idx = list(indices)
        missing = {self.rows[i] for i in idx if i not in self._cache}
        if missing:
            got = self.source.read(missing)
            for i in idx:
                if i not in self._cache and self.rows[i] in got:
                    self._cache[i] = got[self.rows[i]]
        return [self._cache[i] for i in idx if i in self._cache]

    def records_by_id(self, ids: Iterable[str]) -> dict[str, Object]:
        """``{id: record}`` for the ids among the registry's (others left out)."""
        idx = self.indices_of(ids)
        return {self.ids[i]: r for i, r in zip(idx, self.records(idx))}

    def every_record(self) -> Iterator[Object]:
        """Every record, built one at a time from the source (small registries, tests, 同名文件比对)."""
        return self.source.every()

    def only(self, ids: Iterable[str]) -> "ObjectTable":
        """A table of just these objects, their records built now (a round's papers need the
        drawn and cooled-down objects only: the province's columns can then be let go)."""
        idx = self.indices_of(ids)
        self.records(idx)
        other = ObjectTable(self.file, self.columns, [self.ids[i] for i in idx], array("q", [self.rows[i] for i in idx]),
                            {f: [v[i] for i in idx] for f, v in self._fields.items()},
                            {f: bytearray(v[i] for i in idx) for f, v in self._filled.items()}, self.source)
        other._cache = {k: self._cache[i] for k, i in enumerate(idx) if i in self._cache}
        return other

    def moved(self, path: object) -> "ObjectTable":
        """This table reading its records from a byte copy of its file (a round's inputs/)."""
        other = ObjectTable(self.file, self.columns, self.ids, self.rows, self._fields, self._filled,
                            self.source.moved(path))
        other._cache = self._cache
        return other

