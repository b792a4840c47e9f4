"""结果录入表: the results sheet written at draw time (placeholder until the results work lands)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..models import Workspace


def write_entry_sheet(dest_dir: Path, ws: Workspace, record: dict[str, Any]) -> list[Path]:
    return []
