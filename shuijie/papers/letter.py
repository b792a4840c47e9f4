"""检查通知书 (第十一条): one letter per drawn object, and all of them in one file for printing.

Rendered from the letter template (workspace ``templates/检查通知书.docx`` or the
built-in one, see :mod:`shuijie.papers.engine`).  The letter tells the object the
check items and their 依据, the date, the materials to prepare, who must be
present, the team (组长 marked, 执法证号, experts with 工作单位), the contact,
its duties (第二十三条) and its rights to 陈述、申辩 and 申诉 (第二十二条).  The
issue date (成文日期) is the plan's notice date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable, Iterator

from shuijie.papers.context import Visit
from shuijie.papers.engine import CompiledTemplate, combine_pieces
from shuijie.papers.names import numbered
from shuijie.papers.repro import Entry

LETTER_DIR = "检查通知书"
COMBINED_NAME = "检查通知书（合订本）.docx"


def write_letters(dest: Path, visits: list[Visit], tpl: CompiledTemplate, when: dt.date | None,
                  tick: Callable[[], None] = lambda: None) -> list[Path]:
    folder = dest / LETTER_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    first: dict[str, str] = {}

    def bodies() -> Iterator[str]:
        """Write each letter; hand its document.xml on to the combined file (streamed)."""
        nonlocal first
        for v in visits:
            parts = tpl.render_xml(v.context)
            first = first or parts
            path = folder / numbered(v.seq, v.object["name"], "docx")
            path.write_bytes(tpl.pack(parts, when))
            written.append(path)
            tick()
            yield parts["word/document.xml"]

    if not visits:
        return written
    body = Entry.streamed("word/document.xml", combine_pieces(bodies()))
    combined = dest / COMBINED_NAME
    # headers/footers of a clerk's template that hold placeholders: the first letter's
    combined.write_bytes(tpl.pack(first, when, ready={"word/document.xml": body}))
    written.append(combined)
    return written
