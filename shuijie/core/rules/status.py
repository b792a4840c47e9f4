"""第八条: the objects registry holds the objects that exist — 登记状态 decides who may be drawn.

An object whose 登记状态 is 注销, 吊销, 撤销 or 迁出 (also written 已注销, 被吊销,
吊销，未注销 …) no longer operates under this unit: it is outside every round's
population, counted in the commitment and named by ``check``.  An empty status (the
registry has no 登记状态 column) and every other state (存续, 在业, 开业 …) are drawable.
The snapshot's ``population.csv`` records the outcome, so ``verify`` reproduces it.

>>> [state_of(s) for s in ("", "存续", "在业", "注销", "吊销，未注销", "已迁出")]
[None, None, None, '注销', '注销', '迁出']
>>> state_of("被吊销")
'吊销'
"""

from __future__ import annotations

import unicodedata

OUT_STATES = ("注销", "吊销", "撤销", "迁出")


def state_of(s: str) -> str | None:
    """The out-of-business state the 登记状态 text ``s`` names (None: drawable)."""
    if not s:
        return None
    s = unicodedata.normalize("NFKC", s)
    for word in OUT_STATES:
        if word in s:
            return word
    return None
