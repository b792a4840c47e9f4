"""Shared fixtures. Paths to the repo's example workspace and the spec vectors."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SPEC_VECTORS = Path(os.environ.get("SHUIJIE_SPEC_VECTORS", REPO.parent / "shared" / "spec-vectors"))


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the repo's example workspace (registries/, plans/, templates/) in tmp."""
    ws = tmp_path / "ws"
    ws.mkdir()
    for name in ("registries", "plans", "templates"):
        src = REPO / name
        if src.exists():
            shutil.copytree(src, ws / name)
    return ws
