"""The zh / en message catalogue.

Every text a user reads comes from here, Chinese by default, English with
``--lang en``.  The catalogue is split by area, one module each
(``common``, ``registry``, ``draw``, ``papers``, ``results``), so that a
translator finds every text under this package.  Each entry is
``key: (zh, en)``; both are ``str.format`` templates over the problem's params
and always say what to do.
"""

from __future__ import annotations

from typing import Any

LANGS = ("zh", "en")
_CATALOGUE: dict[str, tuple[str, str]] = {}


def define(entries: dict[str, tuple[str, str]]) -> None:
    for key, value in entries.items():
        old = _CATALOGUE.get(key)
        if old is not None and old != value:
            raise RuntimeError(f"message key defined twice with different text: {key}")
        _CATALOGUE[key] = value


def has(key: str) -> bool:
    return key in _CATALOGUE


def render(key: str, lang: str = "zh", /, **params: Any) -> str:
    entry = _CATALOGUE.get(key)
    if entry is None:
        # A missing key is a programming error; still never crash the clerk.
        return f"{key} {params}" if params else key
    template = entry[1] if lang == "en" else entry[0]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return f"{template} {params}"


def render_location(lang: str, file: str | None, row: int | None, column: str | None) -> str:
    if not (file or row or column):
        return ""
    parts: list[str] = []
    if lang == "en":
        if file:
            parts.append(str(file))
        if row:
            parts.append(f"row {row}")
        if column:
            parts.append(f"column {column}")
        return ", ".join(parts) + ": "
    if file:
        parts.append(str(file))
    if row:
        parts.append(f"第{row}行")
    if column:
        parts.append(f"「{column}」列")
    return " ".join(parts) + "："


def all_keys() -> list[str]:
    return sorted(_CATALOGUE)

