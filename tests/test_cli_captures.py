"""docs/cli/*.txt (scripts/cli_captures.py): what the clerk sees at 80 columns.  No line wider
than 80 display columns (CJK = 2), ids and USCCs whole, hashes in groups of 8, overdue in words;
the committed captures are what the script writes today (bar the date of the run)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml
from rich.cells import cell_len

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import cli_captures  # noqa: E402

USCC = re.compile(r"91411\d{3}[0-9A-Z]{10}")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> dict[str, str]:
    return cli_captures.captures(tmp_path_factory.mktemp("captures"))


def _today_free(text: str) -> str:
    return re.sub(r"今天 \d{4}-\d{2}-\d{2}", "今天 …", text)


def test_committed_captures_are_current(fresh):
    for name, text in fresh.items():
        kept = (REPO / "docs" / "cli" / name).read_text("utf-8")
        assert _today_free(kept) == _today_free(text), f"run scripts/cli_captures.py ({name})"


def test_no_line_wider_than_80_and_ids_whole(fresh):
    for name, text in fresh.items():
        for line in text.splitlines()[1:]:  # the first line is the command typed
            assert cell_len(line) <= 80, (name, line)
    draw = fresh["draw.txt"]
    record = None
    for line in draw.splitlines():
        if line.startswith("已完成抽取"):
            record = line
    assert record
    usccs = USCC.findall(draw)
    assert len(usccs) == 8  # each drawn object's USCC, whole, on one line
    assert all(re.search(r"\(([JZE]\d{3})\)", line) for line in draw.splitlines() if line.startswith("检查组"))
    for name in ("commit.txt", "draw.txt"):
        hashes = re.findall(r"(?:[0-9a-f]{8} ){7}[0-9a-f]{8}", fresh[name].replace("\n", " "))
        assert hashes, name
    assert "（逾期 10 个工作日）" in fresh["status.txt"]
    assert "(overdue by 10 working days)" in fresh["status-en.txt"]
    check = fresh["check-problems.txt"]
    start = yaml.safe_load((REPO / "plans" / "2026-Q1-危化.yaml").read_text("utf-8"))["window"]["start"]
    assert "[exit 2]" in check and f"{start.isoformat()} 要检查 8 个对象" in check


def test_long_draw_prints_a_summary_and_where_the_list_is(tmp_path):
    """More than 20 objects: the first 20 and the path of draw.json / 抽取记录.docx."""
    import os
    import subprocess

    import yaml

    env = dict(os.environ, PYTHONPATH=str(REPO), COLUMNS="80")
    ws = tmp_path / "ws"
    subprocess.run([sys.executable, "-m", "shuijie", "init", str(ws)], env=env, check=True, capture_output=True)
    plan = ws / "plans" / "2026-Q1-危化.yaml"
    doc = yaml.safe_load(plan.read_text("utf-8"))
    doc["strata"] = [{"name": "全部", "ratio": "1"}]
    doc["team"]["max_per_round"] = None
    doc["experts"]["per_team"] = 0
    plan.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    screen = (os.environ.get("PYTHONIOENCODING") or "utf-8").split(":")[0]  # also run under gbk
    p = subprocess.run([sys.executable, "-m", "shuijie", "draw", str(plan), "--random", "1"], env=env,
                       capture_output=True, encoding=screen, errors="replace", timeout=300)
    assert p.returncode == 0, p.stderr
    record = json.loads((ws / "rounds" / "2026-Q1-危化" / "draw.json").read_text("utf-8"))
    assert len(record["selected"]) > 20
    assert "序号：20" in p.stdout and "序号：21" not in p.stdout
    flat = p.stdout.replace("\n", "")
    assert f"共抽取 {len(record['selected'])} 个对象，上表列出前 20 个" in flat
    assert "draw.json" in flat and "抽取记录.docx" in flat
