"""Commands of this area (registered on shuijie.cli.app)."""

from __future__ import annotations

from . import app  # noqa: F401
