"""docxtpl internals shuijie relies on, fenced in one module.

:class:`shuijie.papers.engine.CompiledTemplate` prepares a template once and renders it
thousands of times, so it cannot use ``DocxTemplate.render`` (which re-reads the .docx each
time).  It uses docxtpl's ``patch_xml`` — a method meant to be called on a loaded
template — on a bare instance, to turn Word's split runs and ``{%p %}``/``{%tr %}`` tags
into plain Jinja.  :func:`self_check` (run by ``tests/test_compat.py``) fails naming the
installed docxtpl version when an upgrade changes that.
"""

from __future__ import annotations

import re

from docxtpl import DocxTemplate

try:
    from importlib.metadata import version as _version

    VERSION = _version("docxtpl")
except Exception:  # pragma: no cover
    VERSION = "?"


def patch_xml(xml: str) -> str:
    """docxtpl's preprocessing of a part's XML text, without loading a document."""
    return DocxTemplate.patch_xml(DocxTemplate.__new__(DocxTemplate), xml)


def self_check() -> None:
    """A placeholder split over runs and a ``{%p %}`` loop come out as plain Jinja."""
    src = ('<w:body><w:p><w:r><w:t>{{ obj</w:t></w:r><w:r><w:t>ect.name }}</w:t></w:r></w:p>'
           '<w:p><w:r><w:t>{%p for x in items %}</w:t></w:r></w:p>'
           '<w:p><w:r><w:t>{{ x }}</w:t></w:r></w:p>'
           '<w:p><w:r><w:t>{%p endfor %}</w:t></w:r></w:p></w:body>')
    try:
        out = patch_xml(src)
        plain = re.sub(r"<[^>]+>", "", out)
        assert "{{ object.name }}" in plain, plain
        assert re.search(r"{%\s*for x in items\s*%}", out) and "{%p" not in out, out
        assert re.search(r"{%\s*endfor\s*%}", out), out
    except Exception as exc:
        raise RuntimeError(f"docxtpl {VERSION}: DocxTemplate.patch_xml no longer works as shuijie "
                           f"uses it (shuijie/papers/compat_docxtpl.py): {type(exc).__name__}: {exc}") from exc
