"""Stages and working-day deadlines of every round (第十一、十七、十九条).

A round's stage is derived only from the files in its folder and from
``today`` (no state is kept anywhere else):

=============  ==============================================================
committed      ``commitment.json`` only, the draw has not happened
drawn          ``draw.json`` written, the notices are not due out yet
notified       ``today`` ≥ the plan's ``notice_date`` (检查通知书 sent, 第十一条)
checked        ``today`` > the last inspection date of the schedule
results_in     ``results.json`` stored (possibly partial: ``missing`` > 0)
published      ``publication.json`` written by ``shuijie publish``
void           the round was voided (``void.json``)
=============  ==============================================================

``review`` is the review state of the stored results (:mod:`shuijie.stages.review`:
待审核 pending, 已退回 returned, approved); ``open_followups`` and ``cases`` count the
results whose follow-up is not finished (是否完结 = 否) and those 立案.

``status`` reads only what the deadlines need: ``draw.json`` (the drawn objects and
their dates), the plan file and the calendar file kept in ``inputs/`` (parsed alone:
no registry is read, no cross-check is run), and the small JSON files of the later
steps.  Fifty rounds of a 100,000-object workspace take well under 2 s
(``benchmarks/bench_status.py``).

Deadlines, on the Chinese working-day calendar (:mod:`shuijie.core.calendar`):

* notify-by  = 5th working day before the first inspection (第十一条), overdue
  when the plan's notice date is after it, or when it passed before notices;
* archive-by = 7th working day after the last inspection (第十七条), overdue
  when it passed and results of some objects are still not in;
* publish-by = 20th working day after the results date (第十九条), overdue when
  it passed and the round is not (completely) published, or it was published late.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shuijie.core.calendar import WorkCalendar
from shuijie.core.errors import InputError, Problem, ShuijieError
from shuijie.core.models import Plan
from shuijie.core.rules import deadlines
from shuijie.papers.rows import PUBLICATION_JSON, RESULTS_JSON
from shuijie.registries.calendar_file import load_calendar
from shuijie.registries.load import load_plan
from shuijie.stages.review import review_state
from shuijie.store.rounds import INDEX, RECORD, is_void

STAGES = ("committed", "drawn", "notified", "checked", "results_in", "published", "void")
@dataclass
class RoundStatus:
    path: str
    plan_id: str
    title: str = ""
    stage: str = "committed"
    drawn: int = 0
    with_results: int = 0
    missing: int = 0
    first_day: str | None = None
    last_day: str | None = None
    notice_date: str | None = None
    notify_by: str | None = None
    archive_by: str | None = None
    results_date: str | None = None
    publish_by: str | None = None
    published_on: str | None = None
    published_partial: bool = False
    published_late_by: int = 0
    review: str | None = None        # pending (待审核), returned (已退回), approved; None without results
    open_followups: int = 0          # results with 是否完结 = 否
    cases: int = 0                   # results with 是否立案 = 是
    overdue: dict[str, bool] = field(default_factory=lambda: {"notify": False, "archive": False,
                                                             "publish": False})
    # working days past each deadline, today (0: not overdue or not late yet); written as words
    overdue_days: dict[str, int] = field(default_factory=lambda: {"notify": 0, "archive": 0, "publish": 0})
    problems: list[Problem] = field(default_factory=list)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        d = dict(self.__dict__)
        d["problems"] = [p.to_dict(lang) for p in self.problems]
        return d


def _load_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _deadline(fn, cal, day: dt.date, st: RoundStatus) -> dt.date | None:
    try:
        return fn(cal, day)
    except InputError as exc:
        st.problems.extend(exc.problems)
        return None


def round_status(round_dir: Path, today: dt.date) -> RoundStatus:
    round_dir = Path(round_dir)
    commitment = _load_json(round_dir / "commitment.json") or {}
    st = RoundStatus(path=str(round_dir), plan_id=str(commitment.get("plan_id") or round_dir.name))
    plan, cal = _plan_and_calendar(round_dir, st)
    if plan is not None:
        st.plan_id = plan.id
    first = last = None
    if (round_dir / RECORD).is_file():
        st.stage = "drawn"
        record = _load_json(round_dir / RECORD)
        if record is None:
            st.problems.append(Problem("not_a_round", {"path": str(round_dir), "missing": RECORD}))
            return st
        dates = [str(sel["date"]) for sel in record.get("selected", [])]
        st.drawn = len(dates)
        if dates:
            first, last = dt.date.fromisoformat(min(dates)), dt.date.fromisoformat(max(dates))
    else:
        params = _load_json(round_dir / "snapshot" / "parameters.json") or {}
        days = params.get("working_days") or []
        if days:
            first, last = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
    if plan is not None:
        st.title = plan.title
        st.notice_date = plan.notice_date.isoformat()
        if first is None:
            first, last = plan.window.start, plan.window.end
    st.first_day = first.isoformat() if first else None
    st.last_day = last.isoformat() if last else None

    notify_by = archive_by = publish_by = None
    if cal is not None and first is not None and last is not None:
        notify_by = _deadline(deadlines.notify_by, cal, first, st)
        archive_by = _deadline(deadlines.archive_by, cal, last, st)
    st.notify_by = notify_by.isoformat() if notify_by else None
    st.archive_by = archive_by.isoformat() if archive_by else None

    results = _load_json(round_dir / RESULTS_JSON)
    publication = _load_json(round_dir / PUBLICATION_JSON)
    if results is not None:
        st.with_results = len(results.get("results", {}))
        stored = results.get("results", {}).values()
        st.open_followups = sum(1 for r in stored if r.get("closed") is False)
        st.cases = sum(1 for r in stored if r.get("filed"))
        st.review = (review_state(round_dir) or {}).get("state")
        st.results_date = results.get("results_date")
        if st.results_date and cal is not None:
            publish_by = _deadline(deadlines.publish_by, cal, dt.date.fromisoformat(st.results_date), st)
    st.missing = max(st.drawn - st.with_results, 0)
    st.publish_by = publish_by.isoformat() if publish_by else None
    if publication is not None:
        st.published_on = publication.get("date")
        st.published_partial = bool(publication.get("partial"))
        st.published_late_by = int(publication.get("late_by") or 0)

    # Stage: the furthest step the files and today's date show.
    if st.stage == "drawn":
        if plan is not None and today >= plan.notice_date:
            st.stage = "notified"
        if last is not None and today > last:
            st.stage = "checked"
        if results is not None and st.with_results:
            st.stage = "results_in"
        if publication is not None:
            st.stage = "published"
    if is_void(round_dir):
        st.stage = "void"

    # Overdue flags (red in the table).
    if st.stage != "void":
        notice = plan.notice_date if plan is not None else None
        if notify_by is not None:
            st.overdue["notify"] = bool((notice is not None and notice > notify_by)
                                        or (st.stage in ("committed", "drawn") and today > notify_by))
        if archive_by is not None:
            st.overdue["archive"] = today > archive_by and (results is None or st.missing > 0)
        if publish_by is not None:
            complete = publication is not None and not st.published_partial
            st.overdue["publish"] = (today > publish_by and not complete) or st.published_late_by > 0
        for key, by in (("notify", notify_by), ("archive", archive_by), ("publish", publish_by)):
            if st.overdue[key] and by is not None and cal is not None and today > by:
                st.overdue_days[key] = _late(cal, by, today)
    return st


def _plan_and_calendar(round_dir: Path, st: RoundStatus) -> tuple[Plan | None, WorkCalendar | None]:
    """The plan and the calendar kept in ``inputs/`` (each file parsed alone; a problem is
    recorded in ``st`` and that part left out)."""
    inputs = round_dir / "inputs"
    index = _load_json(round_dir / INDEX) or {}
    plan = None
    if index.get("plan"):
        try:
            plan = load_plan(inputs / index["plan"], f"{round_dir.name}/inputs/{index['plan']}")
        except InputError as exc:
            st.problems.extend(exc.problems)
    name = index.get("calendar")
    path = inputs / name if name else _calendar_file(round_dir)
    try:
        cal = load_calendar(path, f"{round_dir.name}/inputs/{path.name}" if path else None)
    except InputError as exc:
        st.problems.extend(exc.problems)
        cal = None
    return plan, cal


def _late(cal: Any, deadline: dt.date, today: dt.date) -> int:
    """Working days after ``deadline`` up to ``today`` (a calendar that does not know them: 0)."""
    try:
        return len(cal.workdays_between(deadline + dt.timedelta(days=1), today))
    except ShuijieError:  # an unknown year in the calendar: no count rather than a crash
        return 0


def _calendar_file(round_dir: Path) -> Path | None:
    for name in ("calendar.yaml", "calendar.yml"):
        p = round_dir / "inputs" / name
        if p.is_file():
            return p
    return None


def is_round_dir(path: Path) -> bool:
    return (path / "commitment.json").is_file() or (path / "draw.json").is_file()


def find_rounds(dirs: list[Path]) -> list[Path]:
    """Round folders in ``dirs`` (each a rounds folder or a round itself), sorted by path."""
    found: set[Path] = set()
    for d in dirs:
        d = Path(d)
        if is_round_dir(d):
            found.add(d)
            continue
        if not d.is_dir():
            raise InputError(Problem("rounds_dir_missing", {"path": str(d)}, file=str(d)))
        for sub in d.iterdir():
            if sub.is_dir() and not sub.name.startswith(".") and is_round_dir(sub):
                found.add(sub)
    return sorted(found, key=lambda p: str(p).encode("utf-8"))


def all_status(dirs: list[Path], today: dt.date) -> list[RoundStatus]:
    return [round_status(p, today) for p in find_rounds(dirs)]
