"""承诺公告 (第十二条): what the public sees before the draw, as .docx and .txt.

``shuijie commit`` freezes the snapshot and computes the commitment S; this paper is
what the clerk posts before the public random value exists: the plan (title, 文号,
approval), the population and its count per stratum, S and every snapshot file's
SHA-256 in full, the public random source and the day it appears (``random_date``),
how the seed will be formed (Z = H("seed", S, R1, …), docs/draw-algorithm.md §3) and
how anyone verifies the round after the draw.  A draw without a prior commit writes
it too, saying that the commitment was made together with the draw.

The .docx is a GB/T 9704 page like the letters (:mod:`shuijie.papers.layout`); the
hashes stand in a monospace font in groups of eight that never break inside a group.
The .txt is the same text in UTF-8, the hashes whole, for a website or a notice board.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from pathlib import Path
from typing import Any

from shuijie.core.rules.plan_doc import normalise as doc_no
from shuijie.core.text import date_cn
from shuijie.core.workspace import Workspace
from shuijie.papers import layout as L

NOTICE_DOCX = "承诺公告.docx"
NOTICE_TXT = "承诺公告.txt"
TITLE = "“双随机、一公开”抽查承诺公告"


def stratum_counts(ws: Workspace, snap_files: dict[str, bytes]) -> list[tuple[str, int]]:
    """Objects per stratum of the snapshot's population.csv, in the plan's order."""
    lines = io.BytesIO(snap_files.get("population.csv", b""))  # unquoted (DRAW-SPEC §2): split is exact
    header = next(lines, b"").rstrip(b"\n").split(b",")
    at = header.index(b"stratum") if b"stratum" in header else None
    counted = Counter(line.rstrip(b"\n").split(b",")[at] for line in lines) if at is not None else Counter()
    counts = {k.decode("utf-8"): n for k, n in counted.items()}
    names = [s.name for s in ws.plan.strata]
    return [(n, counts.get(n, 0)) for n in names] + sorted(
        (n, c) for n, c in counts.items() if n not in names)


def _rows(data: bytes) -> int:
    return max(0, data.decode("utf-8").count("\n") - 1) if data else 0


def blocks(ws: Workspace, cdoc: dict[str, Any], snap_files: dict[str, bytes],
           separately: bool) -> list[tuple[str, str]]:
    """The notice as ``(kind, text)``: kinds ``title``, ``sub``, ``h`` (heading), ``p``
    (paragraph), ``hash`` (a hash), ``sign`` (the unit)."""
    plan = ws.plan
    strata = stratum_counts(ws, snap_files)
    total = sum(c for _, c in strata)
    no = doc_no(plan.doc_no)
    rdate = date_cn(plan.random_date) if plan.random_date else ""
    out: list[tuple[str, str]] = [("title", TITLE), ("sub", plan.title)]
    out.append(("p", f"按照{plan.unit}“双随机、一公开”抽查工作方案" + (f"（{no}）" if no else "")
                + (f"（{plan.approved_by}于{date_cn(plan.approved_on)}批准）" if plan.approved_by else "")
                + "，本次抽查在公开随机数产生之前公布以下承诺值。抽取只依赖承诺值所对应的名录快照和"
                  "公开随机数，公布后名录快照不能再改动。"))
    out.append(("h", "一、抽取范围"))
    out.append(("p", f"检查对象共 {total} 户，其中" + "；".join(f"{n} {c} 户" for n, c in strata) + "。"
                f"执法检查人员 {_rows(snap_files.get('inspectors.csv', b''))} 人，"
                f"专家 {_rows(snap_files.get('experts.csv', b''))} 人。"))
    out.append(("h", "二、承诺值"))
    out.append(("p", "承诺值 S（由下列名录快照文件计算）："))
    out.append(("hash", str(cdoc.get("commitment", ""))))
    out.append(("p", "名录快照文件的 SHA-256："))
    for name, h in sorted((cdoc.get("snapshot_sha256") or {}).items()):
        out.append(("file", name))
        out.append(("hash", h))
    out.append(("h", "三、公开随机数和种子"))
    out.append(("p", f"公开随机数来源：{plan.public_random_source}"
                + (f"，产生日期：{rdate}" if rdate and rdate not in plan.public_random_source else "") + "。"))
    out.append(("p", "抽取时，把承诺值 S 和公开随机数原文按顺序用 SHA-256 计算出种子 Z；"
                     "之后的抽取结果只由名录快照和种子决定，不使用任何其他随机来源（见抽取算法说明）。"))
    out.append(("h", "四、如何核验"))
    out.append(("p", "抽取后，任何人可取得本轮次文件夹，运行："))
    out.append(("cmd", f"shuijie verify rounds/{plan.id}"))
    out.append(("p", "重新计算名录快照文件的 SHA-256 和承诺值，与本公告核对；再用公开随机数重新计算种子和抽取结果，"
                     "一致时退出码为 0。"))
    if separately:
        out.append(("p", "本公告由承诺命令（shuijie commit）在抽取之前生成，应在公开随机数产生之前公布。"))
    else:
        out.append(("p", "承诺值与抽取结果同时生成，未在抽取前单独公布。"))
    out.append(("sign", plan.unit))
    return out


def notice_text(items: list[tuple[str, str]]) -> str:
    lines: list[str] = []
    for kind, text in items:
        if kind == "title":
            lines += [text]
        elif kind == "sub":
            lines += [text, ""]
        elif kind == "h":
            lines += ["", text]
        elif kind in ("hash", "cmd"):
            lines += ["    " + text]
        elif kind == "file":
            lines += ["  " + text]
        elif kind == "sign":
            lines += ["", text, "    年  月  日"]
        else:
            lines += [text]
    return "\n".join(lines) + "\n"


def write_commitment_notice(dest: Path, ws: Workspace, cdoc: dict[str, Any], snap_files: dict[str, bytes],
                            separately: bool, when: dt.date | None = None) -> list[Path]:
    """Write 承诺公告.docx and 承诺公告.txt into ``dest``; returns their paths."""
    items = blocks(ws, cdoc, snap_files, separately)
    doc = L.new_document(TITLE)
    for n, (kind, text) in enumerate(items):
        before_sign = n + 1 < len(items) and items[n + 1][0] == "sign"
        if kind == "title":
            L.add_title(doc, text)
        elif kind == "sub":
            L.add_body(doc, text, indent=False, align="center")
            L.add_blank(doc)
        elif kind == "h":
            L.add_heading(doc, text)
        elif kind == "hash":
            L.add_hash(doc, text)
        elif kind == "cmd":
            L.add_command(doc, text)
        elif kind == "file":
            L.add_body(doc, text, indent=False, align="left", keep_next=True)
        elif kind == "sign":
            L.add_signature(doc, text, "年　月　日")
        else:  # the paragraph before the 署名 keeps it company on its page
            L.add_body(doc, text, keep_next=before_sign)
    docx_path = Path(dest) / NOTICE_DOCX
    docx_path.write_bytes(L.document_bytes(doc, when or ws.plan.notice_date))
    txt_path = Path(dest) / NOTICE_TXT
    txt_path.write_bytes(notice_text(items).encode("utf-8"))
    return [docx_path, txt_path]
