"""第十一、十七、十九条: the working-day deadlines of a round.

* 第十一条 the object is notified at least 5 working days before the check (:func:`notify_by`);
* 第十七条 results are archived within 7 working days after the check (:func:`archive_by`);
* 第十九条 results are published within 20 working days after they exist (:func:`publish_by`).

The working-day calendar itself is :class:`shuijie.core.calendar.WorkCalendar`;
these rules live here and nowhere else.

>>> import datetime as dt
>>> from shuijie.core.calendar import WorkCalendar
>>> cal = WorkCalendar()
>>> notify_by(cal, dt.date(2026, 3, 2)), archive_by(cal, dt.date(2026, 3, 2))
(datetime.date(2026, 2, 24), datetime.date(2026, 3, 11))
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

NOTICE_WORKDAYS = 5    # 第十一条
ARCHIVE_WORKDAYS = 7   # 第十七条
PUBLISH_WORKDAYS = 20  # 第十九条


class WorkingDays(Protocol):
    """What a deadline needs of a calendar (:class:`shuijie.core.calendar.WorkCalendar`)."""

    def add_workdays(self, d: dt.date, n: int) -> dt.date: ...


def notify_by(cal: WorkingDays, first_day: dt.date) -> dt.date:
    """Latest notice date: 5 working days before the first inspection day (第十一条)."""
    return cal.add_workdays(first_day, -NOTICE_WORKDAYS)


def archive_by(cal: WorkingDays, last_day: dt.date) -> dt.date:
    """Archive deadline: 7 working days after the check ends (第十七条)."""
    return cal.add_workdays(last_day, ARCHIVE_WORKDAYS)


def publish_by(cal: WorkingDays, results_day: dt.date) -> dt.date:
    """Publication deadline: 20 working days after results exist (第十九条)."""
    return cal.add_workdays(results_day, PUBLISH_WORKDAYS)
