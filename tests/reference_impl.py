"""Reference implementations the tests compare the package's fast paths against.

They were in the package but only the tests used them:

* :func:`flush` — every buffered block of a :class:`shuijie.papers.layout.Draft` parsed
  into python-docx's tree at once (``layout.document_bytes`` must give the bytes of this
  followed by ``doc.save``);
* :func:`combine` — the combined letters' document.xml as one string
  (``engine.combine_pieces`` streams the same text).
"""

from __future__ import annotations

from shuijie.papers import compat_docx, engine
from shuijie.papers.layout import Draft


def flush(draft: Draft) -> None:
    """Put the buffered blocks into the document part, before the final sectPr (parsed once)."""
    if not draft.blocks:
        return
    xml = compat_docx.part_xml(draft.doc)
    i = xml.rfind("<w:sectPr")
    blocks = "".join(b if isinstance(b, str) else b.decode("utf-8") for b in draft.blocks)
    draft.blocks = []
    compat_docx.set_part_xml(draft.doc, xml[:i] + blocks + xml[i:])


def combine(documents: list[str]) -> str:
    """One document.xml holding every rendered document for printing (each its own section)."""
    return "".join(engine.combine_pieces(documents))
