"""python-docx internals shuijie relies on, fenced in one module.

python-docx has no public way to replace a part's whole XML tree, nor to reach the
``<w:p>`` of a paragraph or the ``<w:sectPr>`` of a section; shuijie needs all three
(:mod:`shuijie.papers.layout`: the page-number footers, the section grid, and the root
element's namespace declarations for chunked serialization).  Every such use goes through
a function here, and :func:`self_check` (run by ``tests/test_compat.py``) fails with a
message naming the installed python-docx version when an upgrade moves them.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import docx
from docx.oxml import parse_xml
from lxml import etree

try:
    from importlib.metadata import version as _version

    VERSION = _version("python-docx")
except Exception:  # pragma: no cover - metadata missing in an odd install
    VERSION = getattr(docx, "__version__", "?")


def part_xml(doc: Any) -> str:
    """The main document part's XML text (``doc.part._element``)."""
    return etree.tostring(doc.part._element, encoding="unicode")


def set_part_xml(doc: Any, xml: str) -> None:
    """Replace the main document part's tree by the one parsed from ``xml``."""
    doc.part._element = parse_xml(xml)


def paragraph_element(paragraph: Any) -> Any:
    """The ``<w:p>`` element of a python-docx Paragraph (``paragraph._p``)."""
    return paragraph._p


def section_properties(section: Any) -> Any:
    """The ``<w:sectPr>`` element of a python-docx Section (``section._sectPr``)."""
    return section._sectPr


def self_check() -> None:
    """Exercise every function above on a fresh document; raise naming the version if not."""
    try:
        doc = docx.Document()
        xml = part_xml(doc)
        assert xml.startswith("<w:document") and "<w:body" in xml, xml[:80]
        i = xml.rfind("<w:sectPr")
        set_part_xml(doc, xml[:i] + '<w:p><w:r><w:t>compat</w:t></w:r></w:p>' + xml[i:])
        buf = io.BytesIO()
        doc.save(buf)  # what is saved is the part's tree, the one set_part_xml replaced
        saved = zipfile.ZipFile(buf).read("word/document.xml").decode("utf-8")
        assert "<w:t>compat</w:t>" in saved, "set_part_xml is not what doc.save writes"
        doc = docx.Document()
        doc.add_paragraph("x")
        p = paragraph_element(doc.paragraphs[0])
        assert etree.QName(p).localname == "p", p
        s = section_properties(doc.sections[0])
        assert etree.QName(s).localname == "sectPr", s
    except Exception as exc:
        raise RuntimeError(
            f"python-docx {VERSION}: an internal shuijie relies on has changed "
            f"(shuijie/papers/compat_docx.py): {type(exc).__name__}: {exc}") from exc
