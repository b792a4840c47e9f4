"""The command line where the clerk works: Windows (no fcntl, no fork), GBK consoles, usage
errors in the clerk's language, --version, global options before the command, progress.

Every CLI run here is a subprocess (``python -m shuijie``), the way the clerk runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

import shuijie

REPO = Path(__file__).resolve().parent.parent
PLAN = "plans/2026-Q1-危化.yaml"
RARE = "𠮷䶮𪚥😀"  # CJK Ext. B, Ext. A, Ext. B, an emoji: outside GBK (GB 18030-2022 requires the first three)

# Run shuijie as on Windows: no fcntl module, no os.fork.
NO_POSIX = ("import sys, os; sys.modules['fcntl'] = None; sys.modules['termios'] = None; "
            "hasattr(os, 'fork') and delattr(os, 'fork'); "
            "from shuijie.cli import run; sys.exit(run(sys.argv[1:]))")


def sh(*args: str, cwd: Path | None = None, env: dict | None = None, no_posix: bool = False,
       encoding: str | None = None) -> subprocess.CompletedProcess:
    full = dict(os.environ, PYTHONPATH=str(REPO), COLUMNS="80", **(env or {}))
    full.pop("SHUIJIE_LANG", None) if "SHUIJIE_LANG" not in (env or {}) else None
    cmd = [sys.executable, "-c", NO_POSIX, *args] if no_posix else [sys.executable, "-m", "shuijie", *args]
    p = subprocess.run(cmd, cwd=cwd, env=full, capture_output=True, timeout=300, stdin=subprocess.DEVNULL)
    # the screen is in the console's encoding (this suite also runs under PYTHONIOENCODING=gbk);
    # --json is always UTF-8 (parsed from p.stdout bytes)
    screen = (full.get("PYTHONIOENCODING") or "utf-8").split(":")[0]
    p.out = p.stdout.decode(screen, errors="replace")  # type: ignore[attr-defined]
    p.err = p.stderr.decode(screen, errors="replace")  # type: ignore[attr-defined]
    return p


def text(b: bytes, enc: str = "utf-8") -> str:
    return b.decode(enc, errors="strict")


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("cliconv")
    assert sh("init", str(base / "ws")).returncode == 0
    return base / "ws"


# ---------------------------------------------------------------- usage errors, options


def test_version_and_help_have_no_placeholders_and_show_exit_codes():
    p = sh("--version")
    assert p.returncode == 0 and p.out.strip() == f"shuijie {shuijie.__version__}"
    top = sh("--help").out
    assert "退出码" in top and "70" in top
    for cmd in ("init", "check", "commit", "draw", "verify", "void", "results", "publish", "summary", "status"):
        h = sh(cmd, "--help").out
        assert "{" not in h and "<bool>" not in h and "<list" not in h and "<path>" not in h, (cmd, h)
        assert "DRAW-SPEC" not in h
        assert f"示例 (example)：shuijie {cmd}" in h.replace("\n", " ").replace("  ", " "), cmd


@pytest.mark.parametrize("args, zh, en", [
    (["chek", "x"], "没有命令 chek。您是否要用 shuijie check？", "No such command chek. Did you mean shuijie check?"),
    (["check", "a", "b"], "多余的参数：b。", "Unexpected extra argument(s): b."),
    (["draw"], "缺少参数 PLAN。", "Missing argument PLAN."),
    (["check", "a", "--jsn"], "没有选项 --jsn。您是否要用 --json？", "No such option --jsn. Did you mean --json?"),
    (["draw", "a", "--random"], "选项 --random 后面需要一个值。", "Option --random needs a value."),
])
def test_usage_errors_in_the_clerks_language_and_as_json(args, zh, en):
    p = sh(*args)
    assert p.returncode == 2
    assert zh in p.err and "Traceback" not in p.err and "Usage:" not in p.err
    p = sh("--lang", "en", *args)
    assert p.returncode == 2 and en in p.err
    p = sh(*args, env={"SHUIJIE_LANG": "en"})
    assert p.returncode == 2 and en in p.err
    p = sh("--json", *args)
    doc = json.loads(text(p.stdout))
    assert p.returncode == 2 and doc["ok"] is False and doc["exit_code"] == 2
    assert zh in doc["problems"][0]["message"]


def test_lang_and_json_before_or_after_the_command(ws):
    for args in (["--lang", "en", "--json", "check", PLAN], ["check", PLAN, "--lang", "en", "--json"],
                 ["--json", "check", PLAN, "--lang=en"]):
        p = sh(*args, cwd=ws)
        assert p.returncode == 0, p.stderr
        assert json.loads(text(p.stdout))["plan_id"] == "2026-Q1-危化"
    p = sh("check", PLAN, cwd=ws, env={"SHUIJIE_LANG": "en"})
    assert "no problems found" in p.out and "检查通过" not in p.out


def test_typer_private_api_still_there():
    """shuijie/cli/usage.py relies on these; an upgrade that moves them must fail here, loudly."""
    import typer
    import typer.core
    from typer._click import exceptions as ce

    for name in ("UsageError", "NoSuchOption", "BadOptionUsage", "MissingParameter", "BadParameter",
                 "NoArgsIsHelpError"):
        assert hasattr(ce, name), name
    assert hasattr(typer.core.TyperArgument, "_usage_display_name")
    assert hasattr(typer.core.TyperArgument, "display_type_rich")
    assert hasattr(typer.core.TyperOption, "display_type_rich")
    core_src = Path(typer.core.__file__).with_name("_click").joinpath("core.py").read_text("utf-8")
    assert "Got unexpected extra argument(s) (" in core_src
    from typer._click import core as click_core

    assert hasattr(click_core.Command, "get_help_option")
    assert tuple(int(x) for x in typer.__version__.split(".")[:2]) < (0, 30)


def test_the_help_option_speaks_the_clerks_language():
    zh = sh("check", "--help")
    assert zh.returncode == 0 and "显示本帮助并退出" in zh.out and "Show this message" not in zh.out
    en = sh("--lang", "en", "check", "--help")
    assert "Show this message and exit" in en.out


# ---------------------------------------------------------------- Windows: no fcntl, no fork


def test_every_command_runs_without_fcntl_and_fork(tmp_path):
    ws = tmp_path / "ws"
    rd = ws / "rounds" / "2026-Q1-危化"

    def ok(*args: str) -> dict:
        p = sh(*args, "--json", cwd=ws if ws.exists() else tmp_path, no_posix=True)
        assert p.returncode == 0, (args, p.out[-2000:], p.err[-2000:])
        return json.loads(text(p.stdout))

    ok("init", str(ws))
    ok("check", PLAN)
    ok("commit", PLAN)
    ok("draw", PLAN, "--random", "3 1 4")
    ok("verify", str(rd))
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import fill_results_sheet

    wb, _, _ = fill_results_sheet(rd)
    wb.save(tmp_path / "filled.xlsx")
    ok("results", str(rd), str(tmp_path / "filled.xlsx"))
    ok("review", str(rd), "--approve", "--by", "张三")
    ok("publish", str(rd), "--date", "2026-04-01")
    ok("summary", str(rd))
    ok("status", str(ws / "rounds"), "--today", "2026-04-20")
    ok("void", str(rd), "--reason", "测试")
    assert json.loads((rd / "void.json").read_text("utf-8"))["reason"] == "测试"
    # and the module really does not import fcntl at module level
    p = subprocess.run([sys.executable, "-c", "import sys; sys.modules['fcntl'] = None; import shuijie.store.rounds, "
                        "shuijie.cli, shuijie.papers"], env=dict(os.environ, PYTHONPATH=str(REPO)), capture_output=True)
    assert p.returncode == 0, p.stderr


# ---------------------------------------------------------------- encodings


def test_gbk_console_and_names_outside_gbk_survive_byte_for_byte(tmp_path):
    ws = tmp_path / "ws"
    assert sh("init", str(ws), "--yaml").returncode == 0
    plan = ws / PLAN
    plan.write_text(plan.read_text("utf-8").replace("objects: ../registries/objects.xlsx",
                                                     "objects: ../registries/objects.yaml"), "utf-8")
    objs = ws / "registries" / "objects.yaml"
    objs.write_text("\n".join(line + RARE if line.startswith("  name: ") else line
                              for line in objs.read_text("utf-8").split("\n")), "utf-8")
    insp = ws / "registries" / "inspectors.yaml"
    insp.write_text("\n".join(line + "𠮷" if line.startswith("  name: ") else line
                              for line in insp.read_text("utf-8").split("\n")), "utf-8")
    gbk = {"PYTHONIOENCODING": "gbk"}
    p = sh("draw", PLAN, "--random", "3 1 4", cwd=ws, env=gbk)
    assert p.returncode == 0, p.err[-2000:]
    shown = p.stdout.decode("gbk")  # GBK on screen, the rare characters replaced, no crash
    assert "已完成抽取" in shown and "?" in shown
    rd = ws / "rounds" / "2026-Q1-危化"
    p = sh("verify", str(rd), "--json", cwd=ws, env=gbk)
    assert p.returncode == 0 and json.loads(p.stdout.decode("utf-8"))["ok"] is True  # UTF-8, not GBK
    p = sh("status", "rounds", "--json", cwd=ws, env=gbk)
    assert RARE.encode("utf-8") not in p.stdout  # (titles only) but it is valid UTF-8:
    json.loads(p.stdout.decode("utf-8"))
    p = sh("draw", PLAN, "--random", "x", "--json", cwd=ws, env=gbk)  # a problem naming a rare-char path
    assert p.returncode == 2 and json.loads(p.stdout.decode("utf-8"))["ok"] is False

    record = json.loads((rd / "draw.json").read_bytes().decode("utf-8"))
    from shuijie.registries.check import load_workspace
    names = {o.id: o.name for o in load_workspace(plan).objects.every_record()}
    drawn = [names[s["object_id"]] for s in record["selected"]]
    assert all(n.endswith(RARE) for n in drawn)
    assert (rd / "inputs" / "objects.yaml").read_bytes() == objs.read_bytes()
    assert (rd / "snapshot" / "population.csv").read_bytes().decode("utf-8")  # ids: plain UTF-8
    with zipfile.ZipFile(next((rd / "检查通知书").glob("001-*.docx"))) as z:
        xml = z.read("word/document.xml")
    assert drawn[0].encode("utf-8") in xml
    assert "𠮷".encode("utf-8") in xml  # an inspector's name in the team list
    with zipfile.ZipFile(rd / "附件2-抽查记录表.xlsx") as z:
        raw = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
    assert RARE.encode("utf-8") in raw
    wb = openpyxl.load_workbook(rd / "公示表.xlsx")
    cells = {str(c.value) for row in wb.worksheets[0].iter_rows() for c in row if c.value}
    assert set(drawn) <= cells


def test_progress_lines_when_not_a_terminal_and_english_under_lang_en(ws, tmp_path):
    p = sh("--lang", "en", "check", PLAN, cwd=ws, env={"SHUIJIE_PROGRESS_MIN": "0"})
    err = p.err
    assert "Reading the registries: 1/1" in err and "Checking the plan can be drawn" in err
    assert "读取" not in err
    import shutil
    w2 = tmp_path / "w2"
    shutil.copytree(ws, w2)
    p = sh("--lang", "en", "draw", PLAN, "--random", "1", cwd=w2, env={"SHUIJIE_PROGRESS_MIN": "0"})
    err = p.err
    assert p.returncode == 0 and "Writing the papers: 22/22" in err and "正在" not in err
    p = sh("--lang", "en", "verify", str(w2 / "rounds" / "2026-Q1-危化"), env={"SHUIJIE_PROGRESS_MIN": "0"})
    assert "Verifying: 5/5" in p.err
    p = sh("draw", PLAN, "--random", "1", "--json", cwd=w2, env={"SHUIJIE_PROGRESS_MIN": "0"})
    assert "1/1" not in p.err  # --json: no progress at all
