"""docs/draw-algorithm.md: its stand-alone verifier (≤ 20 lines, stdlib only) works on the spec vector."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SPEC_VECTORS

DOC = REPO / "docs" / "draw-algorithm.md"


def verifier_code() -> str:
    text = DOC.read_text("utf-8")
    section = text.split("### A stand-alone verifier", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def run(code: str, folder: Path, *args: str) -> str:
    script = folder.parent / "verify_round.py"
    script.write_text(code, "utf-8")
    res = subprocess.run([sys.executable, "-I", str(script), str(folder), *args],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    return res.stdout


def example_round(tmp: Path) -> Path:
    rd = tmp / "round"
    shutil.copytree(SPEC_VECTORS / "example-round" / "snapshot", rd / "snapshot")
    shutil.copy(SPEC_VECTORS / "example-round" / "expected-draw.json", rd / "draw.json")
    return rd


def test_verifier_is_short_and_stdlib_only():
    code = verifier_code()
    assert len(code.strip().splitlines()) <= 20
    imported = {m.strip() for line in re.findall(r"^import (.*)$", code, re.M) for m in line.split(",")}
    imported |= set(re.findall(r"^from (\w+)", code, re.M))
    assert imported <= {"hashlib", "json", "math", "sys", "fractions", "pathlib"}, imported
    assert "shuijie" not in code.replace('"shuijie-draw/1"', "")


def test_verifier_recomputes_the_example(tmp_path):
    out = run(verifier_code(), example_round(tmp_path))
    assert out.count("OK") == 3 and "DIFFERS" not in out
    assert "253624bbb93d9520d33563e47a433a01cc2a3ba80a8711ff52790bc3a0921d72" in out


def test_verifier_notices_changes(tmp_path):
    rd = example_round(tmp_path)
    out = run(verifier_code(), rd, "2026-02-25 dice: 3 1 4 1 5 8")  # another random value
    assert "seed" in out and out.count("DIFFERS") == 2  # seed and selection
    pop = rd / "snapshot" / "population.csv"
    pop.write_bytes(pop.read_bytes().replace(b"91411502MA40000051", b"91411502MA40000052"))
    out = run(verifier_code(), rd)
    assert "commitment" in out and out.splitlines()[0].endswith("DIFFERS")


def test_verifier_on_a_round_written_by_shuijie(tmp_path):
    from test_rounds import RANDOM, write_workspace

    from shuijie.stages import draw_round

    plan = write_workspace(tmp_path / "ws")
    draw_round.draw(plan, RANDOM)
    out = run(verifier_code(), tmp_path / "ws" / "rounds" / "2026-Q1-example")
    assert out.count("OK") == 3
