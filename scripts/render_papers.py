"""Pictures of a drawn round's papers, for people (docs/papers.md) and for reviewing layout.

    python scripts/render_papers.py ROUND_DIR OUT_DIR [--dpi 70] [--keep-pdf]

Finds one paper of each kind in the round folder (the top-level .docx/.xlsx files, and the
first file of each folder of per-object papers such as 检查通知书/ and 附件2-抽查记录表/),
converts them to PDF with LibreOffice in one run, and writes the first page of each as
``OUT_DIR/<name>.png`` (names below; an unknown kind keeps its Chinese stem).  Prints, per
paper, the page count and page size, which is where layout defects first show.  The font is
pinned as in the tests (scripts/render_lib.py).  Needs soffice, poppler-utils, a CJK font.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import render_lib as R

# (stem or folder, suffix) -> picture name.  Chinese kinds first, in the order of the round.
KINDS = {
    ("检查通知书", ".docx"): "letter",
    ("附件1-抽查事项检查表", ".docx"): "annex1",
    ("附件1-抽查事项检查表", ".xlsx"): "annex1-xlsx",
    ("附件2-抽查记录表", ".docx"): "annex2",
    ("附件2-抽查记录表", ".xlsx"): "annex2-xlsx",
    ("检查组安排", ".xlsx"): "roster",
    ("抽取记录", ".docx"): "draw-report",
    ("公示表", ".xlsx"): "publication",
    ("结果录入表", ".xlsx"): "results-sheet",
    ("承诺公告", ".docx"): "commitment-notice",
}
# 原件/ holds the sealed blank of 结果录入表.xlsx (the same paper); results/ the imported and
# published copies of the clerk's sheets: neither is a paper of its own.
SKIP_DIRS = {"inputs", "snapshot", "templates", "原件", "results"}


def discover(round_dir: Path) -> list[tuple[str, Path]]:
    """(picture name, source file) for one paper of each kind, in KINDS order then by name."""
    found: dict[tuple[str, str], Path] = {}
    for p in sorted(round_dir.iterdir()):
        if p.is_file() and p.suffix in (".docx", ".xlsx") and not p.name.startswith(("~$", ".")):
            if "合订本" in p.stem:  # the combined letters: its first page is the first letter
                continue
            found.setdefault((p.stem, p.suffix), p)
        elif p.is_dir() and p.name not in SKIP_DIRS and not p.name.startswith("."):
            for suffix in (".docx", ".xlsx"):
                first = next(iter(sorted(p.glob(f"*{suffix}"))), None)
                if first is not None:
                    found.setdefault((p.name, suffix), first)
    order = list(KINDS)
    keys = sorted(found, key=lambda k: (order.index(k) if k in order else len(order), k))
    names = []
    for key in keys:
        name = KINDS.get(key) or (key[0] if (key[0], ".docx" if key[1] == ".xlsx" else ".xlsx") not in found
                                  else f"{key[0]}-{key[1][1:]}")
        names.append((name, found[key]))
    return names


def render(round_dir: Path, out_dir: Path, dpi: int = 70, keep_pdf: bool = False) -> list[dict]:
    papers = discover(round_dir)
    if not papers:
        raise SystemExit(f"no .docx/.xlsx papers in {round_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="render-papers-") as tmp:
        tmp = Path(tmp)
        copies = []
        for name, src in papers:  # copies named after the picture: stems never clash
            copy = tmp / "src" / (name + src.suffix)
            copy.parent.mkdir(exist_ok=True)
            shutil.copyfile(src, copy)
            copies.append(copy)
        pdfs = R.to_pdfs(copies, tmp / "pdf")
        for (name, src), pdf in zip(papers, pdfs):
            pages = R.pdf_pages(pdf)
            png = R.to_png(pdf, 1, dpi=dpi, out=out_dir / f"{name}.png")
            if keep_pdf:
                shutil.copyfile(pdf, out_dir / f"{name}.pdf")
            rows.append({"name": name, "source": str(src.relative_to(round_dir)), "pages": len(pages),
                         "sizes_mm": sorted(set(pages)), "png": str(png)})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("round_dir", type=Path)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--dpi", type=int, default=70)
    ap.add_argument("--keep-pdf", action="store_true", help="also keep <name>.pdf beside the PNG")
    args = ap.parse_args(argv)
    missing = R.missing_clients(soffice=True)
    if missing:
        print("missing: " + ", ".join(missing) + " (run .ci/install-clients)", file=sys.stderr)
        return 2
    if not args.round_dir.is_dir():
        print(f"not a folder: {args.round_dir}", file=sys.stderr)
        return 2
    print(f"font: {R.pinned_font()[0]}")
    for row in render(args.round_dir, args.out_dir, args.dpi, args.keep_pdf):
        sizes = ", ".join(f"{w:g}x{h:g} mm" for w, h in row["sizes_mm"])
        print(f"{row['name']:<18} {row['pages']:>3} page(s)  {sizes:<22} {row['source']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
