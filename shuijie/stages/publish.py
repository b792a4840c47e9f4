"""``shuijie publish``: the 公示表 with results and the summary files (第十九条).

The workbook itself is :mod:`shuijie.papers.publication_sheet`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from shuijie.core.errors import InputError, Problem
from shuijie.core.rules import deadlines
from shuijie.core.text import json_bytes
from shuijie.papers.publication_sheet import build_publication_workbook
from shuijie.papers.rows import (
    PUBLICATION_FILE,
    PUBLICATION_JSON,
    drawn_rows,
    history_stem,
    next_history_number,
    public_code,
)
from shuijie.papers.web import PUBLIC_PAGE, publication_page_for
from shuijie.papers.xlsx import to_bytes
from shuijie.registries.outcomes import load_outcomes
from shuijie.stages.results import check_round_open, read_results
from shuijie.stages.review import APPROVED, review_state
from shuijie.stages.summary import build_summary, summary_files
from shuijie.store.rounds import add_files, load_round


def publish(round_dir: Path, partial: bool = False, date: dt.date | None = None) -> dict[str, Any]:
    """Write 公示表（结果）.xlsx, the summary files and publication.json into the round.

    Refuses (InputError) results not approved by ``shuijie review`` (:mod:`shuijie.stages.review`),
    and, while drawn objects have no result, unless ``partial``;
    the publication is then limited to the objects with results and lists the
    others.  Publishing after ``publish_by`` (20 working days after the results
    date, 第十九条) works and reports ``late_by`` working days.
    """
    round_dir = Path(round_dir)
    check_round_open(round_dir)
    record, ws = load_round(round_dir)
    stored = read_results(round_dir)
    rows = drawn_rows(ws, record)
    results = (stored or {}).get("results", {})
    left_out = [r for r in rows if r.obj.id not in results]
    if not results:
        raise InputError(Problem("publish_no_results", {"plan_id": ws.plan.id}, file=str(round_dir)))
    review = review_state(round_dir) or {}
    if review.get("state") != APPROVED:
        raise InputError(Problem(f"publish_not_approved_{review.get('state', 'pending')}",
                                 {"count": len(results), "path": str(round_dir), "by": review.get("by", ""),
                                  "date": review.get("date") or "", "reason": review.get("reason", "")},
                                 file=str(round_dir)))
    if left_out and not partial:
        raise InputError([Problem("publish_missing", {"oid": public_code(r.obj.id), "name": r.obj.name,
                                                      "count": len(left_out)}, file=str(round_dir))
                          for r in left_out])
    date = date or dt.date.today()
    assert stored is not None  # results were found above
    results_date = dt.date.fromisoformat(stored["results_date"])
    if date < results_date:
        raise InputError(Problem("publish_before_results", {"date": date.isoformat(),
                                                            "results_date": results_date.isoformat()}))
    deadline = deadlines.publish_by(ws.calendar, results_date)
    late_by = 0
    if date > deadline:
        late_by = len(ws.calendar.workdays_between(deadline + dt.timedelta(days=1), date))

    wb = build_publication_workbook(ws, record, results, published_on=date, only_with_results=True)
    files: dict[str, bytes] = {PUBLICATION_FILE: to_bytes(wb),
                               PUBLIC_PAGE: publication_page_for(ws, record, results, date)}
    summary = build_summary(ws, record, results, load_outcomes(ws))
    files.update(summary_files(ws, summary))
    doc = {
        "plan_id": ws.plan.id,
        "date": date.isoformat(),
        "partial": bool(left_out),
        "published": [r.obj.id for r in rows if r.obj.id in results],
        "left_out": [r.obj.id for r in left_out],
        "results_date": results_date.isoformat(),
        "publish_by": deadline.isoformat(),
        "late_by": late_by,
        "review": {k: review[k] for k in ("by", "date", "results_sha256")},
        "published_files": [PUBLICATION_FILE, PUBLIC_PAGE],
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }
    payload = json_bytes(doc, sort_keys=True)
    current = round_dir / PUBLICATION_JSON
    unchanged = current.is_file() and current.read_bytes() == payload
    if not unchanged:
        stem = history_stem("publish", next_history_number(round_dir, "publish"))
        files[PUBLICATION_JSON] = payload
        files[f"{stem}.json"] = payload
        files[f"{stem}.xlsx"] = files[PUBLICATION_FILE]
        add_files(round_dir, files)
    doc["status"] = "unchanged" if unchanged else "stored"
    doc["left_out_names"] = [r.obj.name for r in left_out]
    doc["summary"] = summary
    return doc
