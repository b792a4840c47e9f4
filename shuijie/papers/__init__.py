"""The papers of a round (第十一、十六、十七、十九条): one module per paper.

``write_papers(dest, ws, record)`` writes every document of a drawn round into
``dest`` (the round's temporary folder) and returns the paths written:

* ``检查通知书/NNN-<对象>.docx`` per object and ``检查通知书（合订本）.docx`` (letter.py)
* ``附件1-抽查事项检查表.xlsx`` / ``.docx`` (annex1.py)
* ``附件2-抽查记录表/NNN-<对象>.docx`` and ``附件2-抽查记录表.xlsx`` (annex2.py)
* ``检查组安排.xlsx`` (roster.py), ``抽取记录.docx`` (report.py)
* the results engineer's 结果录入表 and 公示表 (shuijie.results)

NNN is the processing order of DRAW-SPEC §5; object names go through
:func:`shuijie.papers.names.safe_filename`.  Every file is reproducible: the
zip timestamps are fixed and the core-property dates are the plan's notice
date, so the same round gives the same bytes and ``verify`` can compare them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shuijie.core.progress import Progress, quiet
from shuijie.core.workspace import Workspace
from shuijie.papers import annex1, annex2, letter, report, roster
from shuijie.papers.context import build
from shuijie.papers.engine import (
    ANNEX2_TEMPLATE,
    BUILTIN_DIR,
    LETTER_TEMPLATE,
    find_template,
    load_template,
)
from shuijie.papers.entry_sheet import write_entry_sheet
from shuijie.papers.names import safe_filename
from shuijie.papers.publication_sheet import write_publication_sheet
from shuijie.papers.worker import beside, can_fork, use_worker

__all__ = ["write_papers", "safe_filename", "template_files"]


def template_files(ws: Workspace) -> dict[str, Path]:
    """The workspace templates (not the built-in ones) this workspace's papers use, by name.

    The round writer copies them to ``<round>/inputs/templates/<name>``: the
    papers are written from the workspace reloaded from ``inputs/`` (at draw
    time and by ``verify``), and a template next to the plan file wins.
    """
    out: dict[str, Path] = {}
    for name in (LETTER_TEMPLATE, ANNEX2_TEMPLATE):
        p = find_template(ws.plan_path, name)
        if p.parent != BUILTIN_DIR:
            out[name] = p
    return out


def write_papers(dest: Path, ws: Workspace, record: dict[str, Any], progress: Progress | None = None,
                 worker: bool | None = None) -> list[Path]:
    """Write every paper of the drawn round ``record`` into ``dest``; return the paths.
    ``progress`` hears ``("progress_papers", done, total)`` (the caller renders it).

    ``worker``: write the workbooks in a forked child process while this one writes the
    .docx papers (:mod:`shuijie.papers.worker`); ``None`` decides by size and by the
    ``SHUIJIE_PAPERS_WORKER`` environment variable.  The bytes are the same either way."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    when = ws.plan.notice_date
    letter_tpl = load_template(ws.plan_path, LETTER_TEMPLATE)   # errors before anything is written
    annex2_tpl = load_template(ws.plan_path, ANNEX2_TEMPLATE)
    visits = build(ws, record)
    if visits:  # a placeholder naming an unknown field fails here, before any file is written
        letter_tpl.render_xml(visits[0].context)
        annex2_tpl.render_xml(visits[0].context)
    written: list[Path] = []
    total, done = 2 * len(visits) + 6, [0]
    tell = progress or quiet
    tell("progress_papers", 0, total)

    def tick(n: int = 1) -> None:
        done[0] += n
        tell("progress_papers", min(done[0], total), total)

    forked = use_worker(worker, len(visits)) and can_fork()
    # 附件2's .docx forms are shared out while both sides run (each claims a form by creating
    # its file): only in a folder this call makes, where no file is there before
    share = forked and not (dest / annex2.ANNEX2_DIR).exists()

    def workbooks() -> list[Path]:  # at scale in a second process: 附件2's sheet per object and more
        out = annex2.write_annex2_xlsx(dest, visits, when)
        out += annex1.write_annex1(dest, ws, when)
        out += roster.write_roster(dest, visits, when)
        out += write_publication_sheet(dest, ws, record, results=None)
        if share:  # then 附件2's .docx forms from the last, until this side meets the other
            out += annex2.write_annex2_docs(dest, visits, annex2_tpl, when, shared=-1)
        return out

    # The workbooks beside (about 9.5 CPU seconds at 10,000 drawn objects, benchmarks/RESULTS.md),
    # the letters, 抽取记录 and 结果录入表 here (about 7; the file system's cost of the
    # letters' 10,000 files is this side's too), then 附件2's .docx forms on whichever side is free.
    with beside(workbooks, forked, "papers worker") as other:
        written += letter.write_letters(dest, visits, letter_tpl, when, tick)
        written += report.write_report(dest, ws, record, visits, when); tick()
        written += write_entry_sheet(dest, ws, record)
        written += annex2.write_annex2_docs(dest, visits, annex2_tpl, when, tick, shared=1 if share else 0)
        theirs = other()
        tick(5 + sum(1 for p in theirs if p.parent.name == annex2.ANNEX2_DIR))
        written += theirs
    return written
