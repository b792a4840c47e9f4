"""The standard list of check outcomes (第十九条), configurable per workspace.

The 国家企业信用信息公示系统 takes results from a fixed list, several per object
(a multi-select).  The default list is :data:`DEFAULT_OUTCOMES`, in the national
wording with stable codes (``01`` … ``13``).  Spellings seen on provincial
platforms (发现问题经责令已改正, 不予配合情节严重, a missing 、 or bracket,
ASCII punctuation) are accepted by :meth:`OutcomeList.find` and normalised to
the national wording; the importer notes each such cell as a warning.  A workspace may replace it
with a file ``outcomes.yaml``; the first of these that exists is used:

1. beside the items registry (``registries/outcomes.yaml`` in a workspace made by
   ``shuijie init``; inside a round, ``inputs/outcomes.yaml`` when the round
   copied it), then
2. beside the plan file.

Format (every key optional)::

    outcomes:                     # in the order of the drop-down
      - 未发现问题
      - name: 发现问题已责令改正
        code: "05"                # optional; the national code when the name is a national outcome
        problem: true             # counts as "problems found" in the summary
        raise_risk: true          # next plan should raise the object's risk level (第二十五条)
        aliases: [发现问题经责令已改正]   # other spellings accepted on import
    risk_levels: [低风险, 一般风险, 较大风险, 重大风险]   # lowest first (第二十五条)

A plain string entry takes its flags from the default list when the name is a
default outcome, otherwise ``problem`` when the name says 发现问题 (and not
未发现…) and ``raise_risk`` equal to ``problem``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from shuijie.core.errors import InputError, Problem
from shuijie.core.workspace import Workspace

OUTCOMES_FILE = "outcomes.yaml"


@dataclass(frozen=True)
class Outcome:
    name: str
    problem: bool = False      # problems were found (第十八、二十六条)
    raise_risk: bool = False   # suggest a higher risk level for the next plan (第二十五条)
    code: str = ""             # stable code (the national list: 01 … 13)
    aliases: tuple[str, ...] = ()  # other spellings accepted on import, normalised to ``name``


NO_PROBLEM = "未发现问题"

# The national list (/work/shared/REAL-FORMATS.md, "Results"), in its order.
DEFAULT_OUTCOMES: tuple[Outcome, ...] = (
    Outcome(NO_PROBLEM, code="01"),
    Outcome("未按规定公示应当公示的信息", problem=True, raise_risk=True, code="02"),
    Outcome("公示信息隐瞒真实情况、弄虚作假", problem=True, raise_risk=True, code="03"),
    Outcome("通过登记的住所（经营场所）无法联系", raise_risk=True, code="04",
            aliases=("通过登记的住所无法联系", "通过登记的经营场所无法联系")),
    Outcome("发现问题已责令改正", problem=True, raise_risk=True, code="05",
            aliases=("发现问题经责令已改正", "发现问题经责令改正")),
    Outcome("发现问题待后续处理", problem=True, raise_risk=True, code="06"),
    Outcome("未发现开展本次抽查涉及的经营活动", code="07"),
    Outcome("不配合检查情节严重", problem=True, raise_risk=True, code="08",
            aliases=("不予配合情节严重",)),
    Outcome("已关闭停业或正在组织清算", code="09"),
    Outcome("已注销", code="10"),
    Outcome("被吊销", code="11"),
    Outcome("被撤销", code="12"),
    Outcome("已迁出", code="13"),
)

# Risk ladders, lowest first.  The first ladder that contains every risk value
# found in the objects registry is used unless outcomes.yaml names one.
RISK_LADDERS: tuple[tuple[str, ...], ...] = (
    ("低风险", "一般风险", "较大风险", "重大风险"),
    ("低", "一般", "较大", "重大"),
    ("低风险", "中风险", "高风险"),
    ("低", "中", "高"),
    ("低", "较低", "一般", "较高", "高"),
    ("D", "C", "B", "A"),
)



_IGNORED = re.compile(r"[\s　、，,；;。.（）()“”\"'‘’]")


def _normal(name: str) -> str:
    """The comparison key: punctuation, brackets and spaces do not count
    (公示信息隐瞒真实情况弄虚作假 is 公示信息隐瞒真实情况、弄虚作假)."""
    return _IGNORED.sub("", name)


_DEFAULT_BY_KEY = {_normal(o.name): o for o in DEFAULT_OUTCOMES}


# Separators between several outcomes typed in one cell (、 is part of a name).
OUTCOME_SEPARATORS = re.compile(r"[；;\n]+")


@dataclass(frozen=True)
class OutcomeList:
    outcomes: tuple[Outcome, ...] = DEFAULT_OUTCOMES
    risk_levels: tuple[str, ...] | None = None
    source: str | None = None  # the file read, None for the built-in list

    @property
    def names(self) -> list[str]:
        return [o.name for o in self.outcomes]

    def find(self, text: str) -> Outcome | None:
        """The outcome ``text`` names, in any accepted spelling (see :attr:`Outcome.aliases`)."""
        key = _normal(text)
        if not key:
            return None
        for o in self.outcomes:
            if _normal(o.name) == key or any(_normal(a) == key for a in o.aliases):
                return o
        return None

    def ladder(self, values: list[str]) -> tuple[str, ...] | None:
        """The risk ladder to use for an objects registry holding ``values``."""
        if self.risk_levels:
            return self.risk_levels
        present = {v for v in values if v}
        for ladder in RISK_LADDERS:
            if present <= set(ladder):
                return ladder
        return None


def find_outcomes_file(ws: Workspace) -> Path | None:
    candidates: list[Path] = []
    items = ws.files.get("items")
    if items is not None:
        candidates.append(Path(items).parent / OUTCOMES_FILE)
    candidates.append(Path(ws.plan_path).parent / OUTCOMES_FILE)
    for c in candidates:
        if c.is_file():
            return c
    return None


def load_outcomes(ws: Workspace) -> OutcomeList:
    path = find_outcomes_file(ws)
    if path is None:
        return OutcomeList()
    return parse_outcomes_file(path)


def parse_outcomes_file(path: Path) -> OutcomeList:
    shown = str(path)

    def bad(detail: str) -> InputError:
        return InputError(Problem("outcomes_file_bad", {"detail": detail}, file=shown))

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise bad(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    if data is None:
        return OutcomeList(source=shown)
    if isinstance(data, list):
        data = {"outcomes": data}
    if not isinstance(data, dict):
        raise bad("top level must be a mapping with key outcomes")
    unknown = sorted(set(data) - {"outcomes", "risk_levels"})
    if unknown:
        raise bad(f"unknown key {unknown[0]}")
    outcomes: list[Outcome] = []
    raw = data.get("outcomes")
    if raw is None:
        outcomes = list(DEFAULT_OUTCOMES)
    elif not isinstance(raw, list) or not raw:
        raise bad("outcomes must be a non-empty list")
    else:
        for entry in raw:
            if isinstance(entry, str):
                name = entry.strip()
                std = _DEFAULT_BY_KEY.get(_normal(name))
                if std is not None:
                    outcomes.append(Outcome(name, std.problem, std.raise_risk, std.code, std.aliases))
                else:
                    problem = "发现问题" in name and not name.startswith("未发现")
                    outcomes.append(Outcome(name, problem, problem))
            elif isinstance(entry, dict) and isinstance(entry.get("name"), str):
                extra = set(entry) - {"name", "problem", "raise_risk", "code", "aliases"}
                if extra:
                    raise bad(f"unknown key {sorted(extra)[0]} in an outcome")
                aliases = entry.get("aliases", [])
                if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                    raise bad("aliases must be a list of names")
                std = _DEFAULT_BY_KEY.get(_normal(entry["name"]))
                problem = bool(entry.get("problem", std.problem if std else False))
                outcomes.append(Outcome(entry["name"].strip(), problem,
                                        bool(entry.get("raise_risk", std.raise_risk if std else problem)),
                                        str(entry.get("code", std.code if std else "")),
                                        tuple(a.strip() for a in aliases) + (std.aliases if std else ())))
            else:
                raise bad("each outcome is a name or a mapping with name")
        names = [_normal(o.name) for o in outcomes]
        if any(not n for n in names):
            raise bad("an outcome has an empty name")
        if len(set(names)) != len(names):
            raise bad("an outcome is listed twice")
    levels = data.get("risk_levels")
    if levels is not None:
        if not isinstance(levels, list) or not all(isinstance(v, str) and v.strip() for v in levels):
            raise bad("risk_levels must be a list of names, lowest first")
        levels = tuple(v.strip() for v in levels)
    return OutcomeList(tuple(outcomes), levels, shown)


# 核查方式 as other departments' entry forms list them (REAL-FORMATS.md, "Results"); several
# may apply to one check.  Common other spellings are accepted and normalised.
CHECK_METHODS: tuple[str, ...] = ("实地检查", "书面检查", "行政部门检查结果或专业意见", "检验检测", "网络监测",
                                  "委托专业机构辅助")
METHOD_ALIASES: dict[str, str] = {"现场检查": "实地检查", "实地核查": "实地检查", "书面审查": "书面检查",
                                  "抽样检测": "检验检测", "抽样检验": "检验检测", "网上检查": "网络监测",
                                  "网络检查": "网络监测", "委托专业机构": "委托专业机构辅助"}
METHOD_SEPARATORS = re.compile(r"[、，,；;/／\s]+")


def find_method(text: str) -> tuple[str | None, bool]:
    """``(method, normalised)``: the 核查方式 ``text`` names (None when unknown), and whether
    it was written in another spelling."""
    key = _normal(text)
    for m in CHECK_METHODS:
        if _normal(m) == key:
            return m, m != text
    for alias, m in METHOD_ALIASES.items():
        if _normal(alias) == key:
            return m, True
    return None, False
