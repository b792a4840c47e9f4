"""Shared fixtures. Paths to the repo's example workspace and the spec vectors."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import rendering

REPO = Path(__file__).resolve().parent.parent
# A copy of shared/spec-vectors lives in the repo so a fresh clone can run the tests;
# tests/test_spec_vectors_copy.py checks it against shared/ when shared/ is beside the repo.
SPEC_VECTORS = REPO / "tests" / "spec_vectors"
SHARED_SPEC_VECTORS = REPO.parent / "shared" / "spec-vectors"


@pytest.fixture
def repo() -> Path:
    return REPO


def rendering_required() -> bool:
    """In CI (``CI=true``) a missing rendering client is a failure, not a skip.  A CI job
    that cannot render on purpose (the Windows job: no fontconfig to pin the font) says so
    with ``SHUIJIE_RENDERING=optional``."""
    return (os.environ.get("CI", "").lower() == "true"
            and os.environ.get("SHUIJIE_RENDERING", "").lower() != "optional")


def _need(**clients: bool) -> None:
    missing = rendering.missing_clients(**clients)
    if not missing:
        return
    reason = "not installed: " + ", ".join(missing)
    if rendering_required():
        pytest.fail(f"{reason} -- CI=true, so rendering tests must run, not skip "
                    f"(run .ci/install-clients)", pytrace=False)
    pytest.skip(reason + " (run .ci/install-clients)")


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice, poppler-utils and a CJK font: the path of soffice."""
    _need(soffice=True)
    return rendering.soffice_path()


@pytest.fixture(scope="session")
def chromium() -> str:
    """Headless Chromium and a CJK font: the path of the browser."""
    _need(chromium=True)
    return rendering.chromium_path()


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


def fill_results_sheet(round_dir: Path):
    """Open the round's 结果录入表.xlsx and fill every row as a clerk would (actual date =
    planned date, outcome 未发现问题). Returns ``(workbook, sheet, columns by header)`` for
    the caller to change rows and save where it likes."""
    import datetime as dt

    import openpyxl

    wb = openpyxl.load_workbook(Path(round_dir) / "结果录入表.xlsx")
    s = wb["检查结果"]
    cols = {c.value: c.column for c in s[1]}
    for r in range(2, s.max_row + 1):
        planned = dt.date.fromisoformat(s.cell(row=r, column=cols["计划检查日期"]).value)
        s.cell(row=r, column=cols["检查日期"]).value = dt.datetime.combine(planned, dt.time())
        s.cell(row=r, column=cols["检查结果"]).value = "未发现问题"
    return wb, s, cols
