"""Every private API of a dependency shuijie uses is fenced in one compat module per
dependency, and each module's self-check fails loudly, naming the dependency and its
version, when an upgrade breaks what shuijie relies on.

Also: no other module of the package touches those internals (so the fence holds), and
pyproject bounds the dependencies whose internals are relied on below their next major.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import shuijie
from shuijie.papers import compat_docx, compat_docxtpl, compat_openpyxl, compat_zip

SRC = Path(shuijie.__file__).resolve().parent
MODULES = {"python-docx": compat_docx, "docxtpl": compat_docxtpl,
           "openpyxl": compat_openpyxl, "Python": compat_zip}

# The internals, and the one module allowed to name each.
INTERNALS = {
    # no module may reach into pydantic's instance slots (the objects registry is columns now)
    r"__pydantic_(private|extra|fields_set)__|BaseModel\.__dict__": None,
    r"\._element\b|\._p\b|\._sectPr\b": "papers/compat_docx.py",
    r"\.patch_xml\(": "papers/compat_docxtpl.py",
    r"_compresslevel|\.compress_level": "papers/compat_zip.py",
    r"\._style\b|\._cells\b|\._cell_styles\b": "papers/compat_openpyxl.py",
}


@pytest.mark.parametrize("dep", sorted(MODULES))
def test_self_check_passes_on_the_installed_version(dep):
    MODULES[dep].self_check()


@pytest.mark.parametrize("dep", sorted(MODULES))
def test_a_broken_internal_is_reported_with_the_dependency_and_version(dep, monkeypatch):
    """Simulate the upgrade: break the internal, and the check names what broke."""
    mod = MODULES[dep]
    if dep == "python-docx":
        monkeypatch.setattr(compat_docx, "set_part_xml", lambda doc, xml: None)
    elif dep == "docxtpl":
        monkeypatch.setattr(compat_docxtpl.DocxTemplate, "patch_xml", lambda self, xml: xml)
    elif dep == "openpyxl":
        monkeypatch.setattr(compat_openpyxl, "add_cell_style", lambda wb, style: 0)
    else:
        monkeypatch.setattr(compat_zip, "set_compress_level", lambda info, level: None)
    with pytest.raises(RuntimeError) as exc:
        mod.self_check()
    msg = str(exc.value)
    assert msg.startswith(f"{dep} {mod.VERSION}:"), msg
    assert mod.__name__.replace(".", "/") + ".py" in msg, msg


def test_internals_are_named_only_in_their_compat_module():
    leaks = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        code = "\n".join(line.split("#", 1)[0] for line in path.read_text("utf-8").splitlines())
        code = re.sub(r'"""[\s\S]*?"""', "", code)  # docstrings may name them
        for pattern, home in INTERNALS.items():
            if rel != home and re.search(pattern, code):
                leaks.append(f"{rel}: {pattern}")
    assert not leaks, "private APIs used outside their compat module:\n" + "\n".join(leaks)


def test_no_attribute_is_hung_on_a_python_docx_document():
    """A Document being built is wrapped (layout.Draft); nothing is set on python-docx's object."""
    from shuijie.papers import layout

    d = layout.new_document("T")
    before = set(vars(d.doc))
    layout.add_body(d, "正文")
    layout.add_table(d, ("a", "b"), [("1", "2")], (40, 40))
    layout.document_bytes(d, None)
    assert set(vars(d.doc)) == before
    for path in sorted((SRC / "papers").glob("*.py")):
        code = path.read_text("utf-8")
        assert not re.search(r"\b(doc|document|d)\._[a-z]\w* =|setattr\(", code), path.name


def test_pyproject_bounds_the_dependencies_whose_internals_we_use(repo):
    text = (repo / "pyproject.toml").read_text("utf-8")
    for dep, bound in (("python-docx", "<2"), ("docxtpl", "<1"), ("openpyxl", "<4")):
        m = re.search(rf'"{re.escape(dep)}>=[0-9.]+,({re.escape(bound)})"', text)
        assert m, f"{dep} needs the upper bound {bound} in pyproject.toml"
