"""mypy over the whole package, strict on the pure core (pyproject's [tool.mypy])."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_mypy_finds_no_error():
    pytest.importorskip("mypy", reason="mypy is in the test extra: pip install -e '.[test]'")
    res = subprocess.run([sys.executable, "-m", "mypy", "--no-color-output"], cwd=REPO,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout[-6000:] + res.stderr[-2000:]
    assert "Success: no issues found" in res.stdout


def test_the_core_is_checked_strictly():
    """The override really applies: an unannotated function in the core is an error."""
    pytest.importorskip("mypy", reason="mypy is in the test extra")
    from mypy import api

    out, _, code = api.run(["--config-file", str(REPO / "pyproject.toml"), "--shadow-file",
                            str(REPO / "shuijie" / "core" / "text.py"), str(REPO / "tests" / "data" / "untyped.py"),
                            str(REPO / "shuijie" / "core" / "text.py")])
    assert code == 1 and "no-untyped-def" in out, out
