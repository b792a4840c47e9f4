"""The after-check commands on bad arguments: a message and exit 2, never a traceback."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from shuijie.cli import app

runner = CliRunner()


def test_status_missing_folder(tmp_path):
    r = runner.invoke(app, ["status", str(tmp_path / "nope"), "--json"])
    assert r.exit_code == 2
    assert json.loads(r.stdout)["problems"][0]["code"] == "rounds_dir_missing"


def test_status_empty_folder_and_bad_today(tmp_path):
    r = runner.invoke(app, ["status", str(tmp_path), "--json", "--today", "2026-03-01"])
    assert r.exit_code == 0 and json.loads(r.stdout)["rounds"] == []
    r = runner.invoke(app, ["status", str(tmp_path), "--today", "3月1日", "--lang", "en"])
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output and "Traceback" not in r.output


def test_results_on_a_folder_that_is_not_a_round(tmp_path):
    x = tmp_path / "x.xlsx"
    x.write_bytes(b"")
    r = runner.invoke(app, ["results", str(tmp_path), str(x), "--json"])
    assert r.exit_code == 2
    assert json.loads(r.stdout)["problems"][0]["code"] == "round_not_drawn"
    r = runner.invoke(app, ["publish", str(tmp_path), "--lang", "en"])
    assert r.exit_code == 2 and "not a drawn round" in r.output
