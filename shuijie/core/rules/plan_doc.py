"""第十条: the plan is approved before the work starts and is published with its 文号.

A 发文字号 puts the year in 六角括号 〔〕 (GB/T 9704): 信应急〔2026〕5号.  ``check``
refuses another bracket with the corrected number (:func:`problem`); the papers
print the number with 〔〕 whatever bracket slipped through (:func:`normalise`).
Both read the one bracket list :data:`OPEN` / :data:`CLOSE`.

>>> problem("信应急〔2026〕5号") is None
True
>>> problem("信应急[2026]5号")
('doc_no_brackets', '信应急〔2026〕5号')
>>> problem("5号")
('doc_no_format', '')
>>> normalise("信应急【 2026 】5号")
'信应急〔2026〕5号'
"""

from __future__ import annotations

import re

OPEN = "[【(（〔［﹝"
CLOSE = "]】)）〕］﹞"
_O, _C = re.escape(OPEN), re.escape(CLOSE)
_DOC_NO = re.compile(rf"^(?P<org>.+?)(?P<open>[{_O}])(?P<year>\d{{4}})(?P<close>[{_C}])(?P<num>\d+)号$")
_YEAR = re.compile(rf"[{_O}]\s*(\d{{4}})\s*[{_C}]")


def problem(doc_no: str) -> tuple[str, str] | None:
    """None when ``doc_no`` looks like 信应急〔2026〕5号; else (message code, suggestion)."""
    m = _DOC_NO.match(doc_no)
    if m is None:
        return ("doc_no_format", "")
    if m.group("open") == "〔" and m.group("close") == "〕":
        return None
    return ("doc_no_brackets", f"{m.group('org')}〔{m.group('year')}〕{m.group('num')}号")


def normalise(text: str | None) -> str:
    """The 文号 with its year in 〔〕: 信应急[2026]5号 → 信应急〔2026〕5号."""
    return _YEAR.sub(r"〔\1〕", text or "")
