"""Benchmark: 2,000 letters plus their Annex 2 forms, against a bare zip-substitution baseline.

    python benchmarks/bench_papers.py [N]

Target (issue 4): ≤ 8 ms per document, and within 1.5× of a bare baseline measured
in the same run.  Two baselines are measured on the same built-in letter template:

* ``naive``: ``str.replace`` of the simple placeholders in document.xml, then the
  whole .docx written with ``zipfile`` (every entry deflated again) — what a
  straightforward "substitute and zip" does;
* ``raw``: the same substitution, then the zip written from precompressed entries
  (shuijie.papers.repro.write_zip) — the floor for any template approach.

Timings are wall-clock over all documents written to a temp folder (disk included).
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_papers_support import make_record, make_ws  # noqa: E402

from shuijie.papers import annex2, context, letter, write_papers  # noqa: E402
from shuijie.papers.engine import ANNEX2_TEMPLATE, LETTER_TEMPLATE, load_template  # noqa: E402
from shuijie.papers.repro import Entry, write_zip  # noqa: E402
from shuijie.papers.names import numbered  # noqa: E402


def baseline(dest: Path, visits, template: Path, raw: bool) -> float:
    zf = zipfile.ZipFile(template)
    names = zf.namelist()
    payloads = {n: zf.read(n) for n in names}
    doc = payloads["word/document.xml"].decode("utf-8")
    static = {n: Entry(n, p) for n, p in payloads.items() if n != "word/document.xml"}
    dest.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for v in visits:
        c = v.context
        xml = doc
        for key, val in (("{{ object.name }}", c["object"]["name"]), ("{{ object.principal }}", c["object"]["principal"]),
                         ("{{ date_cn }}", c["date_cn"]), ("{{ doc_no }}", c["doc_no"]), ("{{ unit }}", c["unit"]),
                         ("{{ plan.title }}", c["plan"]["title"]), ("{{ notice_date_cn }}", c["notice_date_cn"]),
                         ("{{ materials_text }}", c["materials_text"]), ("{{ attendees_text }}", c["attendees_text"]),
                         ("{{ leader.name }}", c["leader"]["name"]), ("{{ leader.cert_no }}", c["leader"]["cert_no"]),
                         ("{{ contact.name }}", c["contact"]["name"]), ("{{ contact.phone }}", c["contact"]["phone"])):
            xml = xml.replace(key, val.replace("&", "&amp;").replace("<", "&lt;"))
        path = dest / numbered(v.seq, v.object["name"], "docx")
        if raw:
            entries = [Entry(n, xml.encode("utf-8")) if n == "word/document.xml" else static[n] for n in names]
            path.write_bytes(write_zip(entries))
        else:
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
                for n in names:
                    info = zipfile.ZipInfo(n, date_time=(1980, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    out.writestr(info, xml.encode("utf-8") if n == "word/document.xml" else payloads[n])
            path.write_bytes(buf.getvalue())
    return time.perf_counter() - t0


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        names = [f"信阳市第{i}号危险化学品经营有限公司" for i in range(n)]
        ws = make_ws(tmp, names)
        record = make_record(ws)
        visits = context.build(ws, record)
        when = ws.plan.notice_date

        t0 = time.perf_counter()
        letter_tpl = load_template(ws.plan_path, LETTER_TEMPLATE)
        annex_tpl = load_template(ws.plan_path, ANNEX2_TEMPLATE)
        t_prep = time.perf_counter() - t0

        # Baselines first and again last (disk cache warm-up evens out); keep the best of each.
        naive = [baseline(tmp / f"naive{i}", visits, letter_tpl.path, raw=False) for i in range(2)]
        raw = [baseline(tmp / f"raw{i}", visits, letter_tpl.path, raw=True) for i in range(2)]

        ours = []
        for i in range(2):
            d = tmp / f"ours{i}"
            t0 = time.perf_counter()
            letter.write_letters(d, visits, letter_tpl, when)
            t_letters = time.perf_counter() - t0
            t1 = time.perf_counter()
            annex2.write_annex2_docs(d, visits, annex_tpl, when)
            t_annex = time.perf_counter() - t1
            ours.append((t_letters + t_annex, t_letters, t_annex))
        best = min(ours)
        docs = 2 * n
        ms_doc = best[0] * 1000 / docs
        ms_naive = min(naive) * 1000 / n
        ms_raw = min(raw) * 1000 / n

        t0 = time.perf_counter()
        try:
            paths: list[Path] | None = write_papers(tmp / "full", ws, record)
            failed = ""
        except Exception as exc:  # print the per-document figures all the same, then say what failed
            paths, failed = None, f"{type(exc).__name__}: {exc}"
        t_full = time.perf_counter() - t0

    print(f"objects: {n}; documents (letters + annex 2): {docs} (+1 combined letters file)")
    print(f"template preparation (both templates, once): {t_prep * 1000:.1f} ms")
    print(f"letters:  {best[1] * 1000 / n:.2f} ms/doc (incl. the combined file)")
    print(f"annex 2:  {best[2] * 1000 / n:.2f} ms/doc")
    print(f"ours:     {ms_doc:.2f} ms/doc   (target ≤ 8 ms)  -> {'OK' if ms_doc <= 8 else 'OVER'}")
    print(f"baseline naive (str.replace + zipfile, all entries deflated): {ms_naive:.2f} ms/doc")
    print(f"baseline raw   (str.replace + precompressed zip entries):     {ms_raw:.2f} ms/doc")
    print(f"ratio ours / naive baseline: {ms_doc / ms_naive:.2f}  (target ≤ 1.5) -> "
          f"{'OK' if ms_doc / ms_naive <= 1.5 else 'OVER'}")
    print(f"ratio ours / raw baseline:   {ms_doc / ms_raw:.2f}")
    if paths is None:
        print(f"whole write_papers FAILED after {t_full:.2f} s: {failed}")
        raise SystemExit(1)
    print(f"whole write_papers ({len(paths)} files incl. xlsx, report, results sheets): {t_full:.2f} s")


if __name__ == "__main__":
    main()
