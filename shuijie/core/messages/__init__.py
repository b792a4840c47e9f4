"""The zh / en message catalogue (:mod:`.catalogue`), filled by one module per area."""

from __future__ import annotations

from shuijie.core.messages import cli, common, draw, papers, plan, registry, results  # noqa: F401  (fill the catalogue)
from shuijie.core.messages.catalogue import (
    _CATALOGUE,
    LANGS,
    all_keys,
    define,
    has,
    render,
    render_location,
)

__all__ = ["LANGS", "_CATALOGUE", "all_keys", "define", "has", "render", "render_location"]
