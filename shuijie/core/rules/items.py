"""The check items that apply to an object (第六、七条: the items of the 抽查事项清单).

A plan lists its items; an item whose 适用行业 (``industries``) is empty applies
to every object, otherwise only to objects of those industries.  The letter
(检查通知书), 附件2, the results sheet, the importer, the 公示表 and the summary all
list :func:`for_object` for an object, so that no paper announces an item the
importer refuses.  ``check`` warns about a plan item that applies to no object
of the population (:func:`unused`).

>>> from types import SimpleNamespace as N
>>> a, b = N(id="A", industries=[]), N(id="B", industries=["烟花爆竹经营"])
>>> applies(a, N(industry="危险化学品经营")), applies(b, N(industry="危险化学品经营"))
(True, False)
>>> [i.id for i in unused([a, b], [N(industry="危险化学品经营")])]
['B']
"""

from __future__ import annotations

from typing import Any, Iterable


def applies(item: Any, obj: Any) -> bool:
    return not item.industries or obj.industry in item.industries


def plan_items(ws: Any) -> list[Any]:
    """The plan's items in plan order (ids missing from the registry left out)."""
    imap = ws.item_map()
    return [imap[iid] for iid in ws.plan.items if iid in imap]


def for_object(ws: Any, obj: Any) -> list[Any]:
    """The plan's items that apply to ``obj``, in plan order."""
    return [item for item in plan_items(ws) if applies(item, obj)]


def unused(items: list[Any], industries: set[str]) -> list[Any]:
    """The items that apply to no object of a population whose 行业 are ``industries``."""
    return [i for i in items if i.industries and not industries & set(i.industries)]
