#!/usr/bin/env python3
"""Write docs/cli/*.txt: what the clerk sees at 80 columns (``COLUMNS=80``, ``NO_COLOR=1``).

    python scripts/cli_captures.py [OUT_DIR]        # default: docs/cli

Runs ``shuijie`` in a fresh example workspace: ``check`` of a plan with problems (a
window of one working day for 8 objects, a recusal-heavy object), ``commit``, ``draw``
and ``status``.  ``tests/test_cli_captures.py`` checks that no line is wider than 80
display columns and that ids and USCCs appear whole.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLAN = "plans/2026-Q1-危化.yaml"
RANDOM = "2026-02-26 福彩3D 第2026050期 开奖号码 3 1 4"


def shuijie(ws: Path, *args: str, columns: int = 80) -> str:
    env = dict(os.environ, COLUMNS=str(columns), NO_COLOR="1", PYTHONPATH=str(REPO), SHUIJIE_PROGRESS_MIN="99",
               PYTHONIOENCODING="utf-8", TERM="dumb")
    env.pop("SHUIJIE_LANG", None)
    p = subprocess.run([sys.executable, "-m", "shuijie", *args], cwd=ws, env=env, capture_output=True,
                       text=True, encoding="utf-8", timeout=300)
    shown = " ".join(a if " " not in a else f'"{a}"' for a in args)
    return f"$ shuijie {shown}\n{p.stdout}{p.stderr}[exit {p.returncode}]\n"


# a status day ten working days past the example's archive deadline (第十七条)
TODAY = "2026-04-27"


def tight_plan(ws: Path) -> Path:
    """The example plan with a window of one working day (8 objects, max_per_day 1)."""
    text = (ws / PLAN).read_text("utf-8")
    start = re.search(r"window:\n  start: ([0-9-]+)\n", text).group(1)  # the example's first day
    text = re.sub(r"window:\n  start: [0-9-]+\n  end: [0-9-]+", f"window:\n  start: {start}\n  end: {start}", text)
    path = ws / "plans" / "2026-Q1-一天.yaml"
    path.write_text(text.replace("id: 2026-Q1-危化", "id: 2026-Q1-一天"), "utf-8")
    return path


def captures(out_dir: Path) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="shuijie-captures-") as t:
        ws = Path(t) / "ws"
        subprocess.run([sys.executable, "-m", "shuijie", "init", str(ws)], env=dict(os.environ, PYTHONPATH=str(REPO)),
                       check=True, capture_output=True)
        tight = tight_plan(ws)
        docs = {
            "check-problems.txt": shuijie(ws, "check", str(tight.relative_to(ws))),
            "commit.txt": shuijie(ws, "commit", PLAN),
            "draw.txt": shuijie(ws, "draw", PLAN, "--random", RANDOM),
            "status.txt": shuijie(ws, "status", "rounds", "--today", TODAY),
            "status-en.txt": shuijie(ws, "--lang", "en", "status", "rounds", "--today", TODAY),
        }
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        text = text.replace(str(ws), "~/ws")
        (out_dir / name).write_text(text, "utf-8")
        docs[name] = text
    return docs


if __name__ == "__main__":
    captures(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "cli")
