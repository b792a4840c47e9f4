"""scripts/render_papers.py on a freshly drawn example round: one picture per kind of paper."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
import rendering  # noqa: F401  (puts scripts/ on sys.path)

render_papers = importlib.import_module("render_papers")

PLAN = "plans/2026-Q1-危化.yaml"
KINDS = {"letter", "annex1", "annex1-xlsx", "annex2", "annex2-xlsx", "roster", "draw-report",
         "publication", "results-sheet"}


@pytest.fixture(scope="module")
def round_dir(tmp_path_factory) -> Path:
    ws = tmp_path_factory.mktemp("render") / "ws"

    def shuijie(*args: str, cwd: Path | None = None) -> None:
        r = subprocess.run([sys.executable, "-m", "shuijie", *args], cwd=cwd, capture_output=True,
                           text=True, timeout=300)
        assert r.returncode == 0, (args, r.stdout[-2000:], r.stderr[-2000:])

    shuijie("init", str(ws))
    shuijie("draw", PLAN, "--random", "2026-02-26 福彩3D 第2026050期 开奖号码 3 1 4", cwd=ws)
    (found,) = (ws / "rounds").glob("*/")
    return found


def test_discover_finds_one_paper_of_each_kind(round_dir):
    papers = dict(render_papers.discover(round_dir))
    assert KINDS <= set(papers), sorted(papers)
    assert papers["letter"].parent.name == "检查通知书"
    assert papers["annex2"].parent.name == "附件2-抽查记录表"
    assert not any("合订本" in p.name or "inputs" in p.parts for p in papers.values())


def test_render_writes_a_png_per_kind(soffice, round_dir, tmp_path):
    rows = render_papers.render(round_dir, tmp_path / "papers")
    assert {r["name"] for r in rows} >= KINDS
    for r in rows:
        png = Path(r["png"])
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png
        assert r["pages"] >= 1
        assert all(sorted(s) == [210.0, 297.0] for s in r["sizes_mm"]), r  # A4, either way round
