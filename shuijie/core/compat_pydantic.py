"""pydantic internals shuijie relies on, fenced in one module.

The objects fast path (:func:`shuijie.registries.load._objects_fast`) builds a million
:class:`~shuijie.core.models.Object` records without a per-row ``model_validate``: it sets
the four slots a pydantic v2 model instance has (``__dict__``, ``__pydantic_fields_set__``,
``__pydantic_extra__``, ``__pydantic_private__``) through their descriptors on
``BaseModel``, and gives each record a :class:`RowSource` as its ``__pydantic_private__``
(pydantic reads and writes private attributes as ``__pydantic_private__[name]``).  Both
are pydantic internals; pyproject bounds pydantic below 3 and :func:`self_check` (run by
``tests/test_compat.py``) fails naming the installed pydantic version if a record built
this way stops behaving like a validated one.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import MutableMapping
from typing import Any, Callable, Iterator

import pydantic
from pydantic import BaseModel

from shuijie.core.models import Object, SourceRef

VERSION = pydantic.VERSION


class RowSource(MutableMapping[str, Any]):
    """The ``__pydantic_private__`` of a record built by the objects fast path: the three
    fields of its :class:`SourceRef` in slots, one 56-byte object instead of a private dict
    plus a SourceRef per record (1M objects: -0.18 GB).  Reading ``_src`` (``record.src``)
    gives an equal SourceRef, built on demand; setting it (``with_src``) stores the new
    one's fields."""

    __slots__ = ("file", "row", "columns")

    def __init__(self, file: str, row: int | None, columns: dict[str, str]):
        self.file = file
        self.row = row
        self.columns = columns

    def __getitem__(self, key: str) -> SourceRef:
        if key != "_src":
            raise KeyError(key)
        return SourceRef(self.file, self.row, self.columns)

    def __setitem__(self, key: str, value: SourceRef) -> None:
        if key != "_src" or not isinstance(value, SourceRef):
            raise TypeError(f"{key} = {value!r}: a RowSource holds a SourceRef only")
        self.file, self.row, self.columns = value.file, value.row, value.columns

    def __delitem__(self, key: str) -> None:
        raise TypeError("a RowSource cannot drop its SourceRef")

    def __iter__(self) -> Iterator[str]:
        yield "_src"

    def __len__(self) -> int:
        return 1


Setter = Callable[[Any, Any], None]


def record_slot_setters() -> tuple[Setter, Setter, Setter, Setter]:
    """The setters of a model instance's ``__dict__``, ``__pydantic_fields_set__``,
    ``__pydantic_extra__`` and ``__pydantic_private__`` (faster than ``object.__setattr__``)."""
    slots = BaseModel.__dict__
    return (slots["__dict__"].__set__, slots["__pydantic_fields_set__"].__set__,
            slots["__pydantic_extra__"].__set__, slots["__pydantic_private__"].__set__)


def build_record(model: type[BaseModel], values: dict[str, Any], fields_set: set[str],
                 src: SourceRef) -> Any:
    """One record the fast path's way (the fast path itself inlines this loop body)."""
    set_dict, set_fields, set_extra, set_private = record_slot_setters()
    obj = model.__new__(model)
    set_dict(obj, values)
    set_fields(obj, fields_set)
    set_extra(obj, None)
    set_private(obj, RowSource(src.file, src.row, src.columns))
    return obj


def self_check() -> None:
    """A record built by :func:`build_record` must behave like a validated one."""
    values = {n: "" for n in Object.model_fields}
    values.update(id="91411500MA3X00001A", name="信阳某化工有限公司", area="浉河区")
    src = SourceRef("registries/objects.csv", 7, {"area": "区域"})
    try:
        fast = build_record(Object, dict(values), set(values), src)
        slow = Object.model_validate(values)
        slow._src = src
        assert fast == slow, "a fast-path record is not equal to the validated one"
        assert fast.model_dump() == slow.model_dump(), "model_dump differs"
        assert fast.name == "信阳某化工有限公司" and fast.area == "浉河区"
        assert fast.src == src, f"src reads {fast.src!r}"
        assert isinstance(fast.__pydantic_private__, RowSource)
        for other in (copy.copy(fast), copy.deepcopy(fast), pickle.loads(pickle.dumps(fast))):
            assert other == fast and other.src == src, "a copy lost a field or its src"
        changed = fast.model_copy(update={"name": "改名"})
        assert changed.name == "改名" and fast.name == "信阳某化工有限公司" and changed.src == src
        fast.with_src(SourceRef("x.csv", 9, {}))
        assert fast.src == SourceRef("x.csv", 9, {}), "setting src through pydantic failed"
    except Exception as exc:
        raise RuntimeError(
            f"pydantic {VERSION}: the model internals shuijie's objects fast path relies on have "
            f"changed (shuijie/core/compat_pydantic.py): {type(exc).__name__}: {exc}") from exc
