"""A safe YAML reader that keeps line numbers and refuses aliases.

* Every mapping comes back as a :class:`LineDict`: a plain ``dict`` that also
  knows the YAML line of the mapping (``line``) and of each key (``lines``), so
  a problem can point the clerk at ``plan.yaml 第12行``.
* Anchors and aliases (``&a`` / ``*a``) are refused outright: a registry never
  needs them, and refusing them stops "billion laughs" alias bombs before any
  expansion happens.
* Any YAML syntax error becomes one :class:`~shuijie.core.errors.Problem` with the line.

Parsing is libyaml's (PyYAML's C parser, about five times faster on a provincial roster of
thousands of inspectors) where PyYAML was built with it, else PyYAML's own; the
constructors above it are the same Python code either way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

from shuijie.core.errors import InputError, Problem

MAX_YAML_BYTES = 200 * 1024 * 1024


class LineDict(dict):
    """A dict with the YAML line of itself (``line``) and of each key (``lines``)."""

    line: int | None = None
    lines: dict[str, int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = {}

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key, self.line)


class LineList(list):
    """A list with the YAML line of each entry (``lines``)."""

    lines: list[int]


class _AliasRefused(Exception):
    def __init__(self, line: int):
        self.line = line


def _refuse_aliases(events: Any) -> None:
    """Raise :class:`_AliasRefused` at the first anchor or alias (before anything is built)."""
    for event in events:
        if isinstance(event, AliasEvent) or (
            isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.anchor is not None
        ):
            raise _AliasRefused(event.start_mark.line + 1)


if yaml.__with_libyaml__:
    class _Base(yaml.cyaml.CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):  # = CSafeLoader
        def __init__(self, stream: Any) -> None:
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _EventLoader: Any = yaml.CSafeLoader
else:  # pragma: no cover - PyYAML without libyaml
    _Base = yaml.SafeLoader  # type: ignore[misc]
    _EventLoader = yaml.SafeLoader


class _Loader(_Base):
    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        out = LineDict()
        out.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "unhashable key", key_node.start_mark)
            value = self.construct_object(value_node, deep=True)
            # keep str and int keys (years: {2027: …}); anything else as text
            k = key if isinstance(key, (str, int)) and not isinstance(key, bool) else str(key)
            out[k] = value
            out.lines[str(k)] = key_node.start_mark.line + 1
        return out


def _construct_seq(loader: _Loader, node: Any) -> Any:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.lines = [child.start_mark.line + 1 for child in node.value]
    return out


def _construct_map(loader: _Loader, node: Any) -> Any:
    return loader.construct_mapping(node, deep=True)


def _construct_timestamp(loader: _Loader, node: Any) -> Any:
    """A date-looking scalar that is no real date (2026-02-30) stays text, so the
    field's own validation reports it with its line instead of a crash."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_yaml(path: Path, shown: str) -> Any:
    """Parse ``path`` (shown to the clerk as ``shown``) or raise InputError with the line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(Problem("file_missing", {"path": shown}, shown))
    except IsADirectoryError:
        raise InputError(Problem("file_is_dir", {"path": shown}, shown))
    except OSError as exc:
        raise InputError(Problem("file_unreadable", {"path": shown, "error": str(exc)}, shown))
    if len(data) > MAX_YAML_BYTES:
        raise InputError(Problem("yaml_too_big", {"path": shown}, shown))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(Problem("yaml_not_utf8", {"path": shown}, shown, line))
    try:
        _refuse_aliases(yaml.parse(text, Loader=_EventLoader))
        return yaml.load(text, Loader=_Loader)  # noqa: S506 (a safe loader: SafeConstructor)
    except _AliasRefused as exc:
        raise InputError(Problem("yaml_alias", {}, shown, exc.line))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = mark.line + 1 if mark is not None else None
        raise InputError(Problem("yaml_syntax", {"error": exc.problem or str(exc)}, shown, at))
    except yaml.YAMLError as exc:
        raise InputError(Problem("yaml_syntax", {"error": str(exc)}, shown))
    except RecursionError:
        raise InputError(Problem("yaml_syntax", {"error": "nesting too deep"}, shown))
