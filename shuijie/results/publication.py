"""公示表: the publication sheet (placeholder until the results work lands)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..models import Workspace


def write_publication_sheet(dest_dir: Path, ws: Workspace, record: dict[str, Any],
                            results: dict[str, Any] | None = None) -> list[Path]:
    return []
