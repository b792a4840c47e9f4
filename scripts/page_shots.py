"""Screenshots of the round's web pages at phone and desktop widths (docs/pages/*.png).

    python scripts/page_shots.py [OUT_DIR]

Makes the example workspace in a temporary folder (``shuijie init``), draws it with a
public random value (``shuijie draw --random``), builds the three pages with
shuijie.papers.web (the draw page with the population embedded, so that its verifier
runs; the publication page with example results) and photographs each in headless
Chromium at 390×844 (phone) and 1280×900 (desktop), plus the draw page's list of
drawn objects as cards on a phone (the page with what comes before the list hidden).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shuijie.papers import web  # noqa: E402
from shuijie.store.rounds import load_round

PLAN_ID = "2026-Q1-危化"
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
CHROMIUM = os.environ.get("SHUIJIE_CHROMIUM", "/usr/bin/chromium")


def cli(*args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "shuijie", *args], check=True, env=env, stdout=subprocess.DEVNULL)


def shot(page: Path, out: Path, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run", "--disable-features=PaintHolding",
                        "--hide-scrollbars", f"--user-data-dir={profile}", "--virtual-time-budget=20000",
                        f"--window-size={width},{height}", f"--screenshot={out}", page.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)
    print(out.relative_to(ROOT) if out.is_relative_to(ROOT) else out)


def main() -> None:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "pages"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shuijie-shots-") as t:
        ws_dir = Path(t) / "ws"
        cli("init", str(ws_dir))
        cli("draw", str(ws_dir / "plans" / f"{PLAN_ID}.yaml"), "--random", "2026050: 3 1 4")
        rd = ws_dir / "rounds" / PLAN_ID
        record, ws = load_round(rd)
        plan = types.SimpleNamespace(**{k: getattr(ws.plan, k) for k in (
            "title", "doc_no", "unit", "approved_by", "approved_on", "public_random_source", "population",
            "check_type", "inspecting_unit")},
            publish_population=True, publish_drawn_list=True)
        import json

        cdoc = json.loads((rd / "commitment.json").read_text("utf-8"))
        objects = ws.objects.records_by_id(s["object_id"] for s in record["selected"])
        names = {s["object_id"]: objects[s["object_id"]].name for s in record["selected"]}
        outcomes = ["未发现问题", "发现问题已责令改正", "未发现问题", "发现问题待后续处理"]
        rows = [web.PublicRow(i, names[s["object_id"]], s["object_id"],
                              "；".join(it.name for it in ws.items if it.id in ws.plan.items),
                              dt.date.fromisoformat(s["date"]), outcomes[i % len(outcomes)])
                for i, s in enumerate(record["selected"], start=1)]
        pages = Path(t) / "网页"
        pages.mkdir()
        files = {"承诺公告": web.commitment_page(plan, cdoc),
                 "抽取结果": web.draw_page(plan, cdoc, web.read_snapshot_files(rd), record, names),
                 "公示": web.publication_page(plan, rows, dt.date(2026, 4, 10))}
        for stem, data in files.items():
            page = pages / f"{stem}.html"
            page.write_bytes(data)
            for label, (w, h) in SIZES.items():
                shot(page, out_dir / f"{stem}-{label}.png", w, h)
        # the drawn objects as cards on a phone
        html = (pages / "抽取结果.html").read_text("utf-8")
        jump = pages / "抽取结果-名单.html"
        jump.write_text(html.replace("</head>", "<style>header,main>p,.verify{display:none}</style></head>"), "utf-8")
        shot(jump, out_dir / "抽取结果-名单-phone.png", *SIZES["phone"])
        shutil.rmtree(pages)


if __name__ == "__main__":
    main()
