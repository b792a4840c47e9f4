"""The papers of the real example round: `shuijie draw plans/2026-Q1-危化.yaml --random …`
in a copy of the repo's example workspace, every paper opened and checked against the
record, and `verify` regenerating the same bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_papers import check_round
from typer.testing import CliRunner

from shuijie.cli import app
from shuijie.papers import template_files
from shuijie.papers.engine import BUILTIN_DIR
from shuijie.store.rounds import load_round

PLAN = "plans/2026-Q1-危化.yaml"


@pytest.fixture
def drawn(workspace: Path, monkeypatch):
    if not (workspace / PLAN).is_file():
        pytest.skip("the example workspace has no plans/2026-Q1-危化.yaml")
    monkeypatch.chdir(workspace)
    res = CliRunner().invoke(app, ["draw", PLAN, "--random", "2026-02-25 dice: 3 1 4 1 5 9", "--json"])
    assert res.exit_code == 0, res.output
    rd = workspace / "rounds" / "2026-Q1-危化"
    return workspace, rd


def test_example_round_papers(drawn):
    workspace, rd = drawn
    record, ws = load_round(rd)
    manifest = json.loads((rd / "manifest.json").read_text("utf-8"))["files"]
    papers = [rd / rel for rel in manifest
              if rel.split("/")[0] not in ("inputs", "snapshot") and rel.endswith((".docx", ".xlsx"))]
    assert len(record["selected"]) >= 2
    check_round(ws, record, rd, papers)


def test_example_round_verifies_and_templates_are_found(drawn):
    workspace, rd = drawn
    res = CliRunner().invoke(app, ["verify", str(rd), "--json"])
    assert res.exit_code == 0, res.output
    # the workspace templates (copied by init) are the ones a clerk edits
    if (workspace / "templates").is_dir():
        ws = load_round(rd)[1]
        found = template_files(ws)
        assert all(p.parent != BUILTIN_DIR for p in found.values())
