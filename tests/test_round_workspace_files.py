"""A round keeps what its papers were made from besides the registries (第十七条: keep every trace):
the clerk's edited templates (workspace ``templates/``) and the workspace outcome list.
``draw`` must use them, and ``verify`` must find them again in ``inputs/``."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
from docx import Document
from typer.testing import CliRunner

from shuijie.cli import app

PLAN = "plans/2026-Q1-危化.yaml"
MARK = "（本通知书由本单位修改后的模板生成）"


def _edit_letter_template(src: Path, dst: Path) -> None:
    """Append a marker to the letter's salutation line, as a clerk would in Word."""
    data = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            payload = zin.read(info.filename)
            if info.filename == "word/document.xml":
                old = "（负责人：{{ object.principal }}）：".encode()
                assert old in payload
                payload = payload.replace(old, old + MARK.encode())
            zout.writestr(info, payload)
    dst.write_bytes(data.getvalue())


def test_workspace_template_and_outcomes_are_used_and_kept(workspace: Path, repo: Path, monkeypatch):
    monkeypatch.chdir(workspace)
    (workspace / "templates").mkdir(exist_ok=True)
    _edit_letter_template(repo / "shuijie" / "templates" / "检查通知书.docx",
                          workspace / "templates" / "检查通知书.docx")
    (workspace / "registries" / "outcomes.yaml").write_text(
        "outcomes:\n  - 未发现问题\n  - 发现问题已责令改正\n  - 本地自定义结果\n", encoding="utf-8")

    runner = CliRunner()
    r = runner.invoke(app, ["draw", PLAN, "--random", "测试 1 2 3"])
    assert r.exit_code == 0, r.output
    rd = workspace / "rounds" / "2026-Q1-危化"

    # the edited template was used for every letter, and kept in inputs/
    letters = sorted((rd / "检查通知书").glob("*.docx"))
    assert letters
    for letter in letters:
        text = "\n".join(p.text for p in Document(str(letter)).paragraphs)
        assert MARK in text
    assert (rd / "inputs" / "templates" / "检查通知书.docx").read_bytes() == \
        (workspace / "templates" / "检查通知书.docx").read_bytes()

    # the workspace outcome list feeds the results sheet's drop-down, and is kept in inputs/
    assert (rd / "inputs" / "outcomes.yaml").is_file()
    wb = openpyxl.load_workbook(rd / "结果录入表.xlsx")
    formulas = [dv.formula1 or "" for ws in wb.worksheets for dv in ws.data_validations.dataValidation]
    assert "'选项'!$A$1:$A$3" in formulas, formulas  # the drop-down lists exactly the three outcomes
    assert [c.value for c in wb["选项"]["A"]][:3] == ["未发现问题", "发现问题已责令改正", "本地自定义结果"]

    # the round still recomputes from its own folder, even with the workspace templates gone
    shutil.rmtree(workspace / "templates")
    r = runner.invoke(app, ["verify", str(rd)])
    assert r.exit_code == 0, r.output
