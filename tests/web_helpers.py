"""Helpers for the web-page tests: headless Chromium on file:// pages, and the privacy scan."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

CHROMIUM = next((p for p in (os.environ.get("SHUIJIE_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                             shutil.which("chromium-browser"), shutil.which("google-chrome")) if p and Path(p).is_file()),
                None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (CI installs it: apt-get install chromium)")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-features=PaintHolding"]


def chromium(page: Path, *extra: str, budget_ms: int = 20000, timeout: float = 120) -> tuple[str, float]:
    """Run headless Chromium on ``page`` (a file:// URL); returns (stdout, wall seconds)."""
    with tempfile.TemporaryDirectory(prefix="shuijie-chromium-") as profile:
        cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}", *extra,
               Path(page).resolve().as_uri()]
        t = time.perf_counter()
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return res.stdout, time.perf_counter() - t


def dump_dom(page: Path, budget_ms: int = 20000) -> str:
    out, _ = chromium(page, "--dump-dom", budget_ms=budget_ms)
    assert "<html" in out, "chromium printed no DOM"
    return out


def html_attrs(dom: str) -> dict[str, str]:
    tag = re.search(r"<html([^>]*)>", dom).group(1)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def verify_state(dom: str) -> str | None:
    return html_attrs(dom).get("data-verify")


def screenshot(page: Path, out: Path, width: int, height: int) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    chromium(page, "--hide-scrollbars", f"--window-size={width},{height}", f"--screenshot={out}")
    assert out.is_file() and out.stat().st_size > 1000, f"no screenshot {out}"


def drop_file_page(page: Path, dest: Path, data: bytes, name: str = "population.csv") -> Path:
    """A copy of ``page`` that, once loaded, drops a file holding ``data`` on the page's drop zone
    (as a visitor dragging population.csv onto it would)."""
    import base64

    b64 = base64.b64encode(data).decode()
    script = ("<script>window.addEventListener('load',function(){"
              f"var s=atob('{b64}'),u=new Uint8Array(s.length);for(var i=0;i<s.length;i++)u[i]=s.charCodeAt(i);"
              f"var dt=new DataTransfer();dt.items.add(new File([u],'{name}',{{type:'text/csv'}}));"
              "document.getElementById('drop-zone').dispatchEvent(new DragEvent('drop',{dataTransfer:dt,bubbles:true,cancelable:true}));"
              "});</script>")
    html = page.read_text("utf-8").replace("</body>", script + "</body>")
    dest.write_text(html, "utf-8")
    return dest


# What must never appear on a public page (same patterns as the publication checks).
ID_CARD = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")


def page_texts(html: str) -> list[str]:
    """The page as it is, and every base64 block decoded (embedded files must be clean too)."""
    import base64

    blocks = re.compile(r'<script type="text/plain" id="[^"]+">([^<]*)</script>')
    out = [blocks.sub("", html)]
    out += [base64.b64decode(b).decode("utf-8") for b in blocks.findall(html)]
    # SHA-256 values (64 hex digits) hold digit runs that look like phone numbers: not personal data
    return [re.sub(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])", "<sha256>", t) for t in out]


# ---------------------------------------------------------------- synthetic rounds (snapshot + draw.json)

AREAS = ["浉河区", "平桥区", "罗山县", "光山县", "新县", "商城县", "固始县", "潢川县", "淮滨县", "息县"]


def plan_ns(**kw):
    """A plan as the page builders read it (the attributes they use)."""
    import datetime as dt
    import types

    base = dict(title="2026年第二季度危险化学品经营企业“双随机、一公开”抽查", doc_no="信应急〔2026〕21号",
                unit="信阳市应急管理局", approved_by="信阳市应急管理局局长办公会", approved_on=dt.date(2026, 3, 20),
                public_random_source="中国福利彩票“福彩3D”第2026100期开奖号码（2026年4月20日开奖）",
                publish_population=False, publish_drawn_list=True)
    base.update(kw)
    return types.SimpleNamespace(**base)


def synthetic_round(folder: Path, n_objects: int, strata: list[dict], persons: int = 0,
                    randoms: tuple[str, ...] = ("2026100: 7 2 9",)) -> tuple[dict, dict, dict, dict[str, str]]:
    """A snapshot of ``n_objects`` objects (the first ``persons`` of them natural persons with ID
    numbers), drawn with shuijie.core.draw.run_draw; writes snapshot/ and draw.json under ``folder``.
    Returns (files, record, commitment doc, names)."""
    import datetime as dt

    from shuijie.core import draw
    from shuijie.core.ids import id_check_char, uscc_for_serial
    from shuijie.core.snapshot import csv_bytes, parameters_bytes

    names = [s["name"] for s in strata]
    pop, labels = [], {}
    for i in range(n_objects):
        if i < persons:
            first17 = f"41150219{80 + i % 20:02d}0{1 + i % 9}1{i % 10}{i % 1000:03d}"
            oid = first17 + id_check_char(first17)
        else:
            oid = uscc_for_serial(i, head=f"914115{i % 10:02d}MA")
        pop.append((oid, names[i % len(names)], AREAS[i % len(AREAS)]))
        labels[oid] = f"信阳市第{i}号化工有限公司" if i >= persons else f"个体经营者{i}"
    days, d = [], dt.date(2026, 4, 27)
    while len(days) < 60:
        if d.weekday() < 5:
            days.append(d.isoformat())
        d += dt.timedelta(days=1)
    insp = [(f"P{i:04d}", "1", "1", "*") for i in range(300)]
    params = {"plan_id": "2026-Q2-synthetic", "strata": strata, "working_days": days,
              "schedule": {"group_by": "area"},
              "team": {"size": 2, "min_qualified": 2, "max_per_day": 50, "max_per_round": None},
              "experts": {"per_team": 0, "specialties": [], "max_per_day": 1}}
    files = {"parameters.json": parameters_bytes(params), "population.csv": csv_bytes("population.csv", pop),
             "inspectors.csv": csv_bytes("inspectors.csv", insp),
             "experts.csv": csv_bytes("experts.csv", [("X001", "危险化学品")]),
             "conflicts.csv": csv_bytes("conflicts.csv", [("P0001", pop[0][0], "worked")])}
    record = draw.run_draw(files, list(randoms))
    cdoc = {"plan_id": params["plan_id"], "commitment": draw.commitment(files),
            "snapshot_sha256": {n: draw.sha256_hex(b) for n, b in sorted(files.items())}}
    (folder / "snapshot").mkdir(parents=True, exist_ok=True)
    for n, b in files.items():
        (folder / "snapshot" / n).write_bytes(b)
    (folder / "draw.json").write_bytes(draw.dumps(record))
    return files, record, cdoc, labels


def selection_digest(selected) -> str:
    """What the page's verifier puts in data-selection-sha256: SHA-256 of "id,stratum,date\\n" lines."""
    import hashlib

    return hashlib.sha256("".join(f"{s['object_id']},{s['stratum']},{s['date']}\n" for s in selected)
                          .encode("utf-8")).hexdigest()


def docs_verifier(round_dir: Path, *randoms: str) -> dict:
    """Run the stand-alone verifier of docs/draw-algorithm.md on ``round_dir``; its variables."""
    import contextlib
    import io
    import sys

    from conftest import REPO

    text = (REPO / "docs" / "draw-algorithm.md").read_text("utf-8")
    code = re.search(r"```python\n(.*?)```", text.split("### A stand-alone verifier", 1)[1], re.S).group(1)
    ns: dict = {"__name__": "verify_round"}
    argv = sys.argv
    sys.argv = ["verify_round.py", str(round_dir), *randoms]
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, "verify_round.py", "exec"), ns)
    finally:
        sys.argv = argv
    ns["_stdout"] = out.getvalue()
    return ns
