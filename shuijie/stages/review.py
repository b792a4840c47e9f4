"""``shuijie review ROUND``: results are reviewed before they are public (第十九条).

Provincial platforms and the national system take results through review:
未录入 → 待审核 → 审核退回 → 已公示.  Here the state of a round's results is derived
from two files, so it cannot drift from what was imported:

* ``results.json`` (written by each import that changes something), and
* ``review.json``: the last decision, ``{"decision": "approved" | "returned", "by",
  "date", "reason", "results_sha256"}``.

The results are *pending* (待审核) when there is no decision or the decision was
taken on other results (its ``results_sha256`` is not that of the current
``results.json``: results imported after a return, or after an approval, wait for
review again); otherwise they are *approved* (已审核) or *returned* (已退回, the
clerk edits the sheet and imports it again).  Every decision is also kept as
``results/review-NNN.json``.  ``shuijie publish`` refuses results not approved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from shuijie.core.errors import InputError, Problem
from shuijie.core.text import json_bytes
from shuijie.papers.rows import (
    RESULTS_JSON,
    REVIEW_JSON,
    history_stem,
    next_history_number,
)
from shuijie.store.rounds import add_files

PENDING, APPROVED, RETURNED = "pending", "approved", "returned"


def review_state(round_dir: Path) -> dict[str, Any] | None:
    """None without results; else ``{"state", "by", "date", "reason", "results_sha256"}``."""
    rd = Path(round_dir)
    try:
        data = (rd / RESULTS_JSON).read_bytes()
    except OSError:
        return None
    sha = hashlib.sha256(data).hexdigest()
    try:
        doc = json.loads((rd / REVIEW_JSON).read_text("utf-8"))
    except (OSError, ValueError):
        doc = None
    if not isinstance(doc, dict) or doc.get("results_sha256") != sha:
        return {"state": PENDING, "by": "", "date": None, "reason": "", "results_sha256": sha}
    return {"state": doc.get("decision", PENDING), "by": doc.get("by", ""), "date": doc.get("date"),
            "reason": doc.get("reason", ""), "results_sha256": sha}


def review(round_dir: Path, *, approve: bool, by: str, reason: str = "",
           date: dt.date | None = None) -> dict[str, Any]:
    """Approve or return the round's current results; returns the decision with ``status``
    ``stored`` or ``unchanged`` (the same decision on the same results again)."""
    rd = Path(round_dir)
    shown = str(rd)
    problems = []
    if not by.strip():
        problems.append(Problem("review_by_missing", {}, file=shown, column="--by"))
    if not approve and not reason.strip():
        problems.append(Problem("review_reason_missing", {}, file=shown, column="--reason"))
    state = review_state(rd)
    if state is None:
        problems.append(Problem("review_no_results", {"path": shown}, file=shown))
    if problems:
        raise InputError(problems)
    assert state is not None  # no results was a problem above
    missing = _still_missing(rd)
    decision = APPROVED if approve else RETURNED
    if state["state"] == decision:
        return {**state, "status": "unchanged", "missing": missing}
    doc = {"decision": decision, "by": by.strip(), "date": (date or dt.date.today()).isoformat(),
           "reason": reason.strip(), "results_sha256": state["results_sha256"]}
    payload = json_bytes(doc, sort_keys=True)
    stem = history_stem("review", next_history_number(rd, "review"))
    add_files(rd, {REVIEW_JSON: payload, f"{stem}.json": payload})
    return {"state": decision, **{k: doc[k] for k in ("by", "date", "reason", "results_sha256")},
            "status": "stored", "file": f"{stem}.json", "missing": missing}


def _still_missing(rd: Path) -> int:
    """How many drawn objects have no imported result yet (publishing them all needs them all)."""
    drawn = json.loads((rd / "draw.json").read_text("utf-8")).get("selected", [])
    stored = json.loads((rd / RESULTS_JSON).read_text("utf-8")).get("results", {})
    return sum(1 for s in drawn if s["object_id"] not in stored)
