"""Clerk-editable templates: workspace override, Word-split placeholders, and clear errors
(exit 2) for broken or unknown placeholders, naming the template and the placeholder."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from test_papers_support import make_record, make_ws

from shuijie.core.errors import EXIT_BAD_INPUT, InputError
from shuijie.papers import layout as L
from shuijie.papers import template_files, write_papers
from shuijie.papers.engine import (
    ANNEX2_TEMPLATE,
    BUILTIN_DIR,
    LETTER_TEMPLATE,
    VARIABLES,
)


def edited(name: str, old: str, new: str) -> bytes:
    """A copy of a built-in template with one text changed in document.xml, as a clerk would."""
    src = zipfile.ZipFile(BUILTIN_DIR / name)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for n in src.namelist():
            data = src.read(n)
            if n == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            dst.writestr(n, data)
    return out.getvalue()


def custom(*paragraph_runs: list[str]) -> bytes:
    """A template whose paragraphs are made of the given runs (a placeholder may be split)."""
    doc = L.new_document()
    for runs in paragraph_runs:
        L._para(doc, L.spacing_xml(), [L.run_xml(r) for r in runs])
    return L.document_bytes(doc)


def with_footer_placeholder() -> bytes:
    """The built-in letter with ``{{ number }}`` in its page-number footers."""
    src = zipfile.ZipFile(BUILTIN_DIR / LETTER_TEMPLATE)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for n in src.namelist():
            data = src.read(n)
            if n.startswith("word/footer"):
                data = data.replace("— </w:t>".encode(), "{{ number }} — </w:t>".encode())
            dst.writestr(n, data)
    return out.getvalue()


def letters_text(paths: list[Path]) -> list[str]:
    return ["\n".join(p.text for p in docx.Document(x).paragraphs)
            for x in sorted(paths) if x.parent.name == "检查通知书"]


def test_builtin_templates_are_used_by_default(tmp_path):
    ws = make_ws(tmp_path)
    assert template_files(ws) == {}
    paths = write_papers(tmp_path / "out", ws, make_record(ws))
    assert all("“双随机、一公开”抽查检查通知书" in t for t in letters_text(paths))


def test_workspace_template_overrides_builtin(tmp_path):
    ws = make_ws(tmp_path)
    tdir = ws.plan_path.parent.parent / "templates"
    tdir.mkdir()
    (tdir / LETTER_TEMPLATE).write_bytes(edited(LETTER_TEMPLATE, "抽查检查通知书", "抽查检查告知书"))
    (tdir / ANNEX2_TEMPLATE).write_bytes(edited(ANNEX2_TEMPLATE, "发现问题情况", "发现的问题"))
    assert template_files(ws) == {LETTER_TEMPLATE: tdir / LETTER_TEMPLATE, ANNEX2_TEMPLATE: tdir / ANNEX2_TEMPLATE}
    paths = write_papers(tmp_path / "out", ws, make_record(ws))
    texts = letters_text(paths)
    assert texts and all("抽查检查告知书" in t and "抽查检查通知书" not in t for t in texts)
    forms = [p for p in paths if p.parent.name == "附件2-抽查记录表"]
    assert forms and all(docx.Document(p).tables[0].rows[0].cells[3].text == "发现的问题" for p in forms)
    # a template next to the plan file (as in a round's inputs/templates/) wins over the workspace one
    near = ws.plan_path.parent / "templates"
    near.mkdir()
    (near / LETTER_TEMPLATE).write_bytes(edited(LETTER_TEMPLATE, "抽查检查通知书", "检查前告知书"))
    assert template_files(ws)[LETTER_TEMPLATE] == near / LETTER_TEMPLATE
    texts = letters_text(write_papers(tmp_path / "out2", ws, make_record(ws)))
    assert all("检查前告知书" in t for t in texts)


def test_word_split_placeholders_loops_and_escaping(tmp_path):
    ws = make_ws(tmp_path, ["甲&乙<公司>\"引号\"🏭"])
    tdir = ws.plan_path.parent.parent / "templates"
    tdir.mkdir()
    (tdir / LETTER_TEMPLATE).write_bytes(custom(
        ["名称：{{ obj", "ect.na", "me }}"],                 # Word splits a placeholder into runs
        ["{%p for m in team %}"],
        ["{{ m.no }}. {{ m.name }}（{{ m.role }}）"],
        ["{%p endfor %}"],
        ["内容：{{ items[0].content }}"],
    ))
    paths = write_papers(tmp_path / "out", ws, make_record(ws))
    letter = next(p for p in paths if p.parent.name == "检查通知书")
    paras = [p.text for p in docx.Document(letter).paragraphs]
    assert paras[0] == "名称：甲&乙<公司>\"引号\"🏭"
    assert paras[1:5] == ["1. 李四（组长）", "2. 王五（组员）", "3. 赵&六（组员）", "4. 钱专家（专家）"]
    assert paras[5] == "内容：安全管理制度、岗位责任制；\n储存场所与安全设施"
    xml = zipfile.ZipFile(letter).read("word/document.xml").decode()
    assert "甲&amp;乙&lt;公司&gt;" in xml and "<w:br/>" in xml


@pytest.mark.parametrize("runs, code, needle", [
    (["{{ object.nmae }}"], "template_undefined", "object.nmae"),
    (["{{ ", "foo }}"], "template_unknown_variable", "{{ foo }}"),
    (["{% for x in %}"], "template_syntax", "{% for x in %}"),
    (["{{ object.name }"], "template_syntax", "object.name"),
    (["{%p if object.name %}"], "template_syntax", "if"),
])
def test_broken_template_is_a_clear_input_error(tmp_path, runs, code, needle):
    ws = make_ws(tmp_path)
    tdir = ws.plan_path.parent.parent / "templates"
    tdir.mkdir()
    tpl = tdir / LETTER_TEMPLATE
    tpl.write_bytes(custom(["正文"], runs))
    dest = tmp_path / "out"
    with pytest.raises(InputError) as exc:
        write_papers(dest, ws, make_record(ws))
    assert exc.value.exit_code == EXIT_BAD_INPUT
    problem = exc.value.problems[0]
    assert problem.code == code
    assert problem.file == str(tpl)
    for lang in ("zh", "en"):
        text = problem.text(lang)
        assert str(tpl) in text and needle in text, text
    assert not (dest / "检查通知书").exists()  # nothing written before the templates are known good


def test_corrupt_template_is_a_clear_input_error(tmp_path):
    ws = make_ws(tmp_path)
    tdir = ws.plan_path.parent.parent / "templates"
    tdir.mkdir()
    (tdir / ANNEX2_TEMPLATE).write_bytes(b"not a zip")
    with pytest.raises(InputError) as exc:
        write_papers(tmp_path / "out", ws, make_record(ws))
    assert exc.value.problems[0].code == "template_corrupt"
    assert ANNEX2_TEMPLATE in exc.value.problems[0].text("zh")


def test_variables_doc_lists_every_context_key(tmp_path):
    from shuijie.papers.context import build

    ws = make_ws(tmp_path)
    ctx = build(ws, make_record(ws))[0].context
    assert set(ctx) == set(VARIABLES)
    doc = (BUILTIN_DIR / "模板说明.txt").read_text("utf-8")
    assert all(k in doc for k in VARIABLES)


def test_builtin_templates_are_reproducible(tmp_path):
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    before = {n: (BUILTIN_DIR / n).read_bytes() for n in (LETTER_TEMPLATE, ANNEX2_TEMPLATE)}
    copy = tmp_path / "repo"
    shutil.copytree(repo / "shuijie", copy / "shuijie", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(repo / "scripts", copy / "scripts")
    subprocess.run([sys.executable, str(copy / "scripts" / "make_templates.py")], check=True,
                   capture_output=True, cwd=copy)
    for n, data in before.items():
        assert (copy / "shuijie" / "templates" / n).read_bytes() == data, n


def test_footer_placeholders_and_combined_letters(tmp_path):
    ws = make_ws(tmp_path)
    tdir = ws.plan_path.parent.parent / "templates"
    tdir.mkdir()
    (tdir / LETTER_TEMPLATE).write_bytes(with_footer_placeholder())
    paths = write_papers(tmp_path / "out", ws, make_record(ws))
    letters = sorted(p for p in paths if p.parent.name == "检查通知书")
    for n, p in enumerate(letters, start=1):
        assert docx.Document(p).sections[0].footer.paragraphs[0].text.startswith(f"{n:03d} — ")
    combined = docx.Document(tmp_path / "out" / "检查通知书（合订本）.docx")
    assert combined.sections[0].footer.paragraphs[0].text.startswith("001 — ")


def test_doc_no_brackets_and_missing_contact(tmp_path):
    ws = make_ws(tmp_path)
    ws.plan.doc_no = "信应急[2026]5号"
    ws.plan.contact.name = ws.plan.contact.phone = ""
    paths = write_papers(tmp_path / "out", ws, make_record(ws))
    letter = docx.Document(next(p for p in paths if p.parent.name == "检查通知书"))
    texts = [p.text for p in letter.paragraphs]
    assert "信应急〔2026〕5号" in texts
    assert not any("联系人" in t for t in texts)
    assert [t.strip("\t") for t in texts[-2:]] == [ws.plan.unit, "2026年2月20日"]  # after the centre tab
