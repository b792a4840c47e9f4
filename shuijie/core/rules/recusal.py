"""第十五条: the five recusal reasons, their labels and the words a registry may use.

检查人员与检查对象有下列情形之一的，应当回避：(一) 本人曾工作过的单位；
(二) 本人在其中兼职的单位；(三) 本人曾管辖过的单位；(四) 与本人或亲属有直接
利害关系的单位；(五) 其他需要回避的情形.

* :class:`RecusalReason` the codes (stored in the snapshot's ``conflicts.csv``);
* :data:`LABELS_ZH` / :data:`LABELS_EN` and :func:`label`;
* :func:`parse` what a registry cell may hold (code, label, short word, number);
* :func:`excluded_pairs` which (person, object) pairs the draw must avoid.

>>> parse("（二）兼职").value
'part_time'
>>> parse("4") is RecusalReason.interest
True
>>> parse("朋友") is None
True
>>> label("other")
'其他需要回避的情形'
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Iterable


class RecusalReason(str, Enum):
    """第十五条 (一)至(五)."""

    worked = "worked"              # (一) 本人曾工作过的单位
    part_time = "part_time"        # (二) 本人在其中兼职的单位
    jurisdiction = "jurisdiction"  # (三) 本人曾管辖过的单位
    interest = "interest"          # (四) 与本人或亲属有直接利害关系的单位
    other = "other"                # (五) 其他需要回避的情形


LABELS_ZH: dict[RecusalReason, str] = {
    RecusalReason.worked: "本人曾工作过的单位",
    RecusalReason.part_time: "本人在其中兼职的单位",
    RecusalReason.jurisdiction: "本人曾管辖过的单位",
    RecusalReason.interest: "与本人或亲属有直接利害关系的单位",
    RecusalReason.other: "其他需要回避的情形",
}
LABELS_EN: dict[RecusalReason, str] = {
    RecusalReason.worked: "a unit the person worked for",
    RecusalReason.part_time: "a unit the person holds a part-time post in",
    RecusalReason.jurisdiction: "a unit the person once had jurisdiction over",
    RecusalReason.interest: "a unit with a direct interest of the person or a relative",
    RecusalReason.other: "another reason to recuse",
}
NUMBERS: dict[RecusalReason, str] = {
    RecusalReason.worked: "一", RecusalReason.part_time: "二", RecusalReason.jurisdiction: "三",
    RecusalReason.interest: "四", RecusalReason.other: "五",
}
# Short words a clerk writes in 回避情形, besides the code, the label and the number.
SYNONYMS: dict[RecusalReason, tuple[str, ...]] = {
    RecusalReason.worked: ("曾工作过", "工作过", "曾工作"),
    RecusalReason.part_time: ("兼职", "在其中兼职"),
    RecusalReason.jurisdiction: ("曾管辖", "管辖过", "曾管辖过"),
    RecusalReason.interest: ("利害关系", "直接利害关系", "亲属"),
    RecusalReason.other: ("其他", "其它"),
}


def _prefixes(r: RecusalReason) -> tuple[str, str]:
    return f"（{NUMBERS[r]}）", f"({NUMBERS[r]})"


_WORDS: dict[str, RecusalReason] = {}
for _r in RecusalReason:
    _WORDS[_r.value] = _r
    _WORDS[LABELS_ZH[_r]] = _r
for _r in RecusalReason:
    for _w in (*SYNONYMS[_r], *_prefixes(_r), NUMBERS[_r], str(list(RecusalReason).index(_r) + 1)):
        _WORDS[_w] = _r
_PREFIXES = tuple(p for i in range(2) for p in (_prefixes(r)[i] for r in RecusalReason))


def parse(text: Any) -> RecusalReason | None:
    """English code, short Chinese word, the full 第十五条 wording, or its number (一…五); else None."""
    t = str(text).strip().rstrip("；;。")
    if t in _WORDS:
        return _WORDS[t]
    for prefix in _PREFIXES:
        if t.startswith(prefix) and len(t) > len(prefix):
            return _WORDS.get(t[len(prefix):].strip()) or _WORDS[prefix]
    return None


def label(code: str | RecusalReason, lang: str = "zh") -> str:
    """The article's wording of a reason code; an unknown code as it is."""
    try:
        r = RecusalReason(code)
    except ValueError:
        return str(code)
    return (LABELS_EN if lang == "en" else LABELS_ZH)[r]


def code(reason: Any) -> str:
    """The stored code of a reason (enum or text)."""
    return reason.value if hasattr(reason, "value") else str(reason)


def excluded_pairs(people: Iterable[Any], object_ids: set[str],
                   norm: Any = str) -> set[tuple[str, str, str]]:
    """(person_id, object_id, reason) for every recusal of ``people`` whose object is in ``object_ids``.

    ``norm`` is applied to both ids (the snapshot NFC-normalises).  The draw
    never puts a person in the team of an object they must recuse from.

    >>> from types import SimpleNamespace as N
    >>> p = N(id="J1", recusals=[N(object_id="O1", reason=RecusalReason.worked), N(object_id="O9", reason="other")])
    >>> sorted(excluded_pairs([p], {"O1"}))
    [('J1', 'O1', 'worked')]
    """
    out = set()
    for person in people:
        pid = norm(person.id)
        for r in person.recusals:
            oid = norm(r.object_id)
            if oid in object_ids:
                out.add((pid, oid, code(r.reason)))
    return out
