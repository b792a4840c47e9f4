"""Shared fixtures. Paths to the repo's example workspace and the spec vectors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# A copy of shared/spec-vectors lives in the repo so a fresh clone can run the tests;
# tests/test_spec_vectors_copy.py checks it against shared/ when shared/ is beside the repo.
SPEC_VECTORS = REPO / "tests" / "spec_vectors"
SHARED_SPEC_VECTORS = REPO.parent / "shared" / "spec-vectors"


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
