"""The repo's copy of the spec vectors is byte-identical to shared/ (DRAW-SPEC §8)."""

from pathlib import Path

import pytest
from conftest import SHARED_SPEC_VECTORS, SPEC_VECTORS


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_copy_matches_shared():
    if not SHARED_SPEC_VECTORS.exists():
        pytest.skip("shared/spec-vectors is not beside this clone")
    assert _files(SPEC_VECTORS) == _files(SHARED_SPEC_VECTORS)


def test_copy_is_complete():
    names = set(_files(SPEC_VECTORS))
    for f in ("population.csv", "inspectors.csv", "experts.csv", "conflicts.csv", "parameters.json"):
        assert f"example-round/snapshot/{f}" in names
    assert "example-round/expected-draw.json" in names
