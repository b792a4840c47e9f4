"""Unattended runs (issue 6): no prompts, one JSON document per command, documented exit codes.

Every command runs as a real child process with stdin closed (a cron job: nobody at the
keyboard) and ``--json``: stdout must be exactly one JSON document whose ``exit_code`` is
the process's exit code, for success and for each kind of failure (2 bad input,
1 verification failed, 3 infeasible).  ``scripts/quarterly.py`` runs a year of four
quarterly plans end to end, and the 6-month cool-down keeps Q1's objects out of Q2.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import fill_results_sheet

REPO = Path(__file__).resolve().parent.parent
PLAN = "plans/2026-Q1-危化.yaml"
PLAN_ID = "2026-Q1-危化"


def sj(*args: str, lang: str | None = None) -> tuple[int, dict]:
    extra = ["--lang", lang] if lang else []
    p = subprocess.run([sys.executable, "-m", "shuijie", *args, *extra, "--json"], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=120)
    doc = json.loads(p.stdout)  # exactly one document: trailing text would fail here
    assert isinstance(doc, dict) and doc["exit_code"] == p.returncode, (args, doc, p.stderr[-500:])
    assert doc["ok"] == (p.returncode == 0)
    assert "Traceback" not in p.stderr, p.stderr
    return p.returncode, doc


def test_every_command_prints_one_json_document_and_documented_exit_codes(tmp_path):
    ws = tmp_path / "ws"
    plan = str(ws / PLAN)
    rd = ws / "rounds" / PLAN_ID
    assert sj("init", str(ws))[0] == 0
    assert sj("init", str(ws))[0] == 2  # not empty: refused, no prompt
    assert sj("check", plan)[0] == 0
    code, doc = sj("commit", plan)
    assert code == 0 and len(doc["commitment"]) == 64
    assert sj("draw", plan)[0] == 2  # --random missing: an error, not a question
    code, doc = sj("draw", plan, "--random", "2026050: 3 1 4", lang="en")
    assert code == 0
    assert sj("draw", plan, "--random", "again")[0] == 2  # never redrawn
    assert sj("verify", str(rd))[0] == 0

    wb, _, _ = fill_results_sheet(rd)
    wb.save(tmp_path / "filled.xlsx")
    assert sj("results", str(rd), str(tmp_path / "filled.xlsx"))[0] == 0
    assert sj("results", str(rd), str(tmp_path / "missing.xlsx"))[0] == 2
    assert sj("review", str(rd), "--approve", "--by", "李四", "--date", "2026-04-01")[0] == 0
    assert sj("publish", str(rd), "--date", "2026-04-01")[0] == 0
    assert sj("summary", str(rd))[0] == 0
    code, doc = sj("status", str(ws / "rounds"), "--today", "2026-04-02")
    assert code == 0 and [r["plan_id"] for r in doc["rounds"]] == [PLAN_ID]

    # verification failed: exit 1, the changed file named
    letter = next((rd / "检查通知书").iterdir())
    letter.write_bytes(letter.read_bytes() + b"\0")
    code, doc = sj("verify", str(rd))
    assert code == 1 and any(p["file"] and letter.name in p["file"] for p in doc["problems"])

    # infeasible: exit 3 (teams of 5 from the example pool, 2 a day each at most)
    text = (ws / PLAN).read_text("utf-8")
    (ws / "plans" / "big.yaml").write_text(
        text.replace(f"id: {PLAN_ID}", "id: 2026-Q1-大组").replace("  size: 3\n", "  size: 5\n")
        .replace("  max_per_round: 3\n", "  max_per_round: 1\n"), "utf-8")
    code, doc = sj("draw", str(ws / "plans" / "big.yaml"), "--random", "x")
    assert code == 3, doc
    assert not (ws / "rounds" / "2026-Q1-大组").exists()

    # void needs its reason from a flag; no confirmation prompt
    assert sj("void", str(rd))[0] == 2
    code, doc = sj("void", str(rd), "--reason", "测试作废")
    assert code == 0
    code, doc = sj("status", str(ws / "rounds"), "--today", "2026-04-02")
    assert code == 0 and doc["rounds"][0]["stage"] == "void", doc["rounds"][0]


def test_bad_lang_is_refused():
    p = subprocess.run([sys.executable, "-m", "shuijie", "status", "--lang", "fr"], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, errors="replace", timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr


# what a child prints is in the console's encoding (the suite also runs under PYTHONIOENCODING=gbk)
SCREEN = (os.environ.get("PYTHONIOENCODING") or "utf-8").split(":")[0]


def test_quarterly_script_runs_a_year_and_cooldown_keeps_q1_out_of_q2(tmp_path):
    ws = tmp_path / "year"
    p = subprocess.run([sys.executable, str(REPO / "scripts" / "quarterly.py"), str(ws), "--demo"],
                       stdin=subprocess.DEVNULL, capture_output=True, encoding=SCREEN, errors="replace", timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    report = json.loads((ws / "quarterly-report.json").read_text("utf-8"))
    quarters = report["quarters"]
    assert [q["quarter"] for q in quarters] == [1, 2, 3, 4]
    assert all(q["verified"] for q in quarters)
    q1, q2 = quarters[0], quarters[1]
    assert q1["selected"] and q2["selected"]
    assert not set(q1["selected"]) & set(q2["selected"])
    excluded = {c["object_id"]: c["round"] for c in q2["cooldown_excluded"]}
    assert set(q1["selected"]) <= set(excluded) and {excluded[o] for o in q1["selected"]} == {"2026-Q1-危化"}
    assert report["q1_kept_out_of_q2"] == sorted(q1["selected"])
    # and the rounds themselves say so: Q2's snapshot population has none of Q1's objects
    pop = (ws / "rounds" / "2026-Q2-危化" / "snapshot" / "population.csv").read_text("utf-8")
    assert not any(o in pop for o in q1["selected"])
    assert [r["plan_id"] for r in report["status"]["rounds"]] == [f"2026-Q{q}-危化" for q in (1, 2, 3, 4)]


def _quarterly(ws, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "scripts" / "quarterly.py"), str(ws), *args],
                          stdin=subprocess.DEVNULL, capture_output=True, encoding=SCREEN, errors="replace",
                          timeout=300)


def test_quarterly_script_draws_only_with_published_values_and_reports_an_ignored_one(tmp_path):
    """A round drawn with a placeholder could never be drawn again: without --random (and no
    --demo) the quarter is committed, not drawn, exit 2; a --random for a drawn round is reported."""
    ws = tmp_path / "year"
    p = _quarterly(ws)
    assert p.returncode == 2, p.stderr[-2000:]
    assert "--random Q1=VALUE" in p.stderr
    q1 = ws / "rounds" / "2026-Q1-危化"
    assert (q1 / "commitment.json").is_file() and not (q1 / "draw.json").exists()
    assert json.loads((ws / "quarterly-report.json").read_text("utf-8"))["quarters"][0]["waiting_for_random"]

    p = _quarterly(ws, "--random", "Q1=福彩3D 2026050: 3 1 4")
    assert p.returncode == 2, p.stderr[-2000:]
    assert json.loads((q1 / "draw.json").read_text("utf-8"))["public_random"] == ["福彩3D 2026050: 3 1 4"]
    assert not (ws / "rounds" / "2026-Q2-危化" / "draw.json").exists()

    p = _quarterly(ws, "--random", "Q1=another value")
    assert p.returncode == 2
    assert "'another value' ignored" in p.stderr
    report = json.loads((ws / "quarterly-report.json").read_text("utf-8"))
    assert report["quarters"][0]["random_ignored"] == "another value"
    assert json.loads((q1 / "draw.json").read_text("utf-8"))["public_random"] == ["福彩3D 2026050: 3 1 4"]
