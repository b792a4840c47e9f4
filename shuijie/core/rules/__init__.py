"""The rules of the regulation, one module per article (信阳市应急管理局“双随机、一公开”抽查工作实施细则).

Each module cites its article, holds the numbers the article sets, and offers
the same few verbs where they make sense: ``problems(...)`` (what ``check``
reports), and a selecting or deciding function the snapshot, the draw and the
papers call (``pool``, ``matches``, ``applies``, ``may_inspect`` …), with
doctest examples.

* :mod:`~shuijie.core.rules.plan_doc`   第十条  the plan's 文号 with 〔〕
* :mod:`~shuijie.core.rules.areas`      第九条  二级机构 inspectors only in their 执法区域
* :mod:`~shuijie.core.rules.deadlines`  第十一、十七、十九条  notify_by, archive_by, publish_by
* :mod:`~shuijie.core.rules.team`       第十四条  2–5 members, one leader, ≥ 2 qualified
* :mod:`~shuijie.core.rules.recusal`    第十五条  recusal reasons and the excluded pairs
* :mod:`~shuijie.core.rules.strata`     第二十五条  strata: ratio or count
* :mod:`~shuijie.core.rules.pool`       the plan's inspector pool (第九条, 第十二条)
* :mod:`~shuijie.core.rules.population` the plan's population filter (第八条, 第二十五条)
* :mod:`~shuijie.core.rules.items`      the items that apply to an object (第六、七条)

Nothing is imported here, so that :mod:`shuijie.core.models` may import
:mod:`~shuijie.core.rules.recusal` without a cycle.
"""
