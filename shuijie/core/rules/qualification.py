"""第九条, 第十四条: who among the inspectors may be drawn for a round, who counts as qualified,
who may lead.

* **Certificate** (第九条 执法检查人员 hold 行政执法资格): an inspector whose 执法证有效期
  ends before the window's last day, or whose 执法人员状态 is 注销 / 失效 / 吊销 / 暂扣 /
  无效, is not qualified for that round and is left out of its pool (counted and named
  by ``check``).  No expiry given: not checked.
* **Qualified** (第十四条 at least two per team): the roster's 执法资格 column when it has
  one; otherwise holding a 执法证 (a number) valid through the window.
* **Scope**: a roster with 执法门类 / 执法事项范围 admits an inspector only to rounds whose
  every item falls within it.  An item's keys are its 执法门类 (``category``) when given,
  else its 适用行业; an item with neither does not restrict.  An empty scope: every item.
* **Leaders** (第十四条 组长 1 名): the roster's 可任组长 column, unless the workspace's
  ``settings.yaml`` says once who may lead (``leaders: all_qualified``, a list of 职务
  such as 科长, or of ids).  A leader must be qualified.

The snapshot's ``inspectors.csv`` records the outcome (who is in the pool, ``qualified``,
``can_lead``), so ``verify`` reproduces it from the copied inputs.

>>> import datetime as dt
>>> from types import SimpleNamespace as N
>>> p = N(id="J1", title="科长", cert_no="豫A001", cert_expiry="2026-03-10", cert_status="有效",
...       qualified=True, can_lead=False, scope=[], explicit=set())
>>> cert_problem(p, dt.date(2026, 3, 31)), cert_problem(p, dt.date(2026, 3, 10))
('cert_expired', None)
>>> is_qualified(p, dt.date(2026, 3, 10)), may_lead(p, ["科长"], dt.date(2026, 3, 10))
(True, True)
>>> in_scope(N(scope=["危险化学品"]), [{"危险化学品"}, {"烟花爆竹"}])
False
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any, Iterable

ALL_QUALIFIED = "all_qualified"
NO_EXPIRY = ("长期", "永久", "无固定期限")  # an expiry written as these never ends
INVALID_STATES = ("注销", "失效", "吊销", "暂扣", "无效", "过期")


def parse_expiry(text: str) -> dt.date | None:
    """``2027-12-31``, ``2027/12/31``, ``2027.12.31``, ``2027年12月31日``, or None.

    >>> parse_expiry("2027年1月5日"), parse_expiry("长期")
    (datetime.date(2027, 1, 5), None)
    """
    t = unicodedata.normalize("NFKC", text or "").strip()
    for sep in ("年", "月", "/", "."):
        t = t.replace(sep, "-")
    t = t.rstrip("日").rstrip("-")
    parts = t.split("-")
    if len(parts) != 3 or not all(x.isdigit() for x in parts):
        return None
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def cert_problem(p: Any, last_day: dt.date) -> str | None:
    """Why ``p``'s 执法证 does not carry them through a window ending ``last_day`` (None: it does)."""
    status = unicodedata.normalize("NFKC", getattr(p, "cert_status", "") or "")
    if any(w in status for w in INVALID_STATES):
        return "cert_status"
    expiry = parse_expiry(getattr(p, "cert_expiry", "") or "")
    if expiry is not None and expiry < last_day:
        return "cert_expired"
    return None


def has_column(p: Any, name: str) -> bool:
    """Whether ``p``'s roster gives ``name`` (its file's columns; a YAML record's keys)."""
    given = getattr(p, "model_fields_set", None) or getattr(p, "explicit", None) or ()
    if name in given:
        return True
    src = getattr(p, "src", None)
    return src is not None and name in src.columns


def is_qualified(p: Any, last_day: dt.date) -> bool:
    """The 执法资格 column when the roster has it, else a 执法证 number valid through the window."""
    if cert_problem(p, last_day) is not None:
        return False
    if has_column(p, "qualified"):
        return bool(p.qualified)
    return bool((getattr(p, "cert_no", "") or "").strip())


def may_lead(p: Any, leaders: list[str] | str | None, last_day: dt.date) -> bool:
    """A qualified inspector who may lead: by ``leaders`` (settings) if given, else 可任组长."""
    if not is_qualified(p, last_day):
        return False
    if leaders is None:
        return bool(p.can_lead)
    if leaders == ALL_QUALIFIED:
        return True
    return p.id in leaders or p.title in leaders


def item_keys(item: Any) -> set[str]:
    """What an item asks of an inspector's 执法门类: its category, else its industries."""
    cat = (getattr(item, "category", "") or "").strip()
    return {cat} if cat else {x for x in getattr(item, "industries", []) if x.strip()}


def in_scope(p: Any, keys: Iterable[set[str]]) -> bool:
    """Every item (its keys) falls within ``p``'s 执法门类 (an empty scope: everything)."""
    scope = set(getattr(p, "scope", []) or [])
    if not scope:
        return True
    return all(not k or (k & scope) for k in keys)


# why an inspector of the pool is left out of a round, as the draw record writes it
REASON_LABELS_ZH = {"cert_expired": "执法证在检查结束前到期", "cert_status": "执法证状态为注销或失效",
                    "scope": "执法门类不含本轮抽查事项"}


def round_pool(pool: list[Any], items: list[Any], last_day: dt.date,
               leaders: list[str] | str | None) -> tuple[list[tuple[Any, bool, bool]], list[tuple[Any, str]]]:
    """The plan's pool for one round: ``(kept, left_out)``; kept are ``(inspector, qualified,
    may lead)`` in pool order, left_out ``(inspector, reason)`` with reason ``cert_expired``,
    ``cert_status`` or ``scope``.  The snapshot and ``check`` call this and nothing else decides it.

    >>> import datetime as dt
    >>> from types import SimpleNamespace as N
    >>> a = N(id="J1", title="科长", cert_no="1", cert_expiry="", cert_status="", qualified=True,
    ...       can_lead=True, scope=[], explicit={"qualified"})
    >>> b = N(id="J2", title="", cert_no="2", cert_expiry="2020-01-01", cert_status="", qualified=True,
    ...       can_lead=False, scope=[], explicit={"qualified"})
    >>> kept, out = round_pool([a, b], [], dt.date(2026, 3, 31), None)
    >>> [(p.id, q, lead) for p, q, lead in kept], [(p.id, why) for p, why in out]
    ([('J1', True, True)], [('J2', 'cert_expired')])
    """
    keys = [item_keys(i) for i in items]
    kept: list[tuple[Any, bool, bool]] = []
    left: list[tuple[Any, str]] = []
    for p in pool:
        why = cert_problem(p, last_day)
        if why is None and not in_scope(p, keys):
            why = "scope"
        if why is not None:
            left.append((p, why))
            continue
        kept.append((p, is_qualified(p, last_day), may_lead(p, leaders, last_day)))
    return kept, left
