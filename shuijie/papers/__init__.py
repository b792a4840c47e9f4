"""The papers of a round (第十一、十六、十七、十九条): one module per paper.

``write_papers(dest, ws, record)`` writes every document of a drawn round into
``dest`` (the round's temporary folder) and returns the paths written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..models import Workspace


def write_papers(dest: Path, ws: Workspace, record: dict[str, Any], *, progress: bool = False) -> list[Path]:
    """Placeholder until the papers land: writes nothing."""
    return []
