"""The standard list of check outcomes (第十九条), configurable per workspace.

The 国家企业信用信息公示系统 takes one of a fixed set of results for a spot
check.  The default list is :data:`DEFAULT_OUTCOMES`.  A workspace may replace it
with a file ``outcomes.yaml``; the first of these that exists is used:

1. beside the items registry (``registries/outcomes.yaml`` in a workspace made by
   ``shuijie init``; inside a round, ``inputs/outcomes.yaml`` when the round
   copied it), then
2. beside the plan file.

Format (every key optional)::

    outcomes:                     # in the order of the drop-down
      - 未发现问题
      - name: 发现问题已责令改正
        problem: true             # counts as "problems found" in the summary
        raise_risk: true          # next plan should raise the object's risk level (第二十五条)
    risk_levels: [低风险, 一般风险, 较大风险, 重大风险]   # lowest first (第二十五条)

A plain string entry takes its flags from the default list when the name is a
default outcome, otherwise ``problem`` when the name says 发现问题 (and not
未发现…) and ``raise_risk`` equal to ``problem``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from shuijie.core.errors import InputError, Problem
from shuijie.core.models import Workspace

OUTCOMES_FILE = "outcomes.yaml"


@dataclass(frozen=True)
class Outcome:
    name: str
    problem: bool = False      # problems were found (第十八、二十六条)
    raise_risk: bool = False   # suggest a higher risk level for the next plan (第二十五条)


DEFAULT_OUTCOMES: tuple[Outcome, ...] = (
    Outcome("未发现问题"),
    Outcome("发现问题已责令改正", problem=True, raise_risk=True),
    Outcome("发现问题待后续处理", problem=True, raise_risk=True),
    Outcome("未发现开展本次抽查涉及的经营活动"),
    Outcome("通过登记的住所（经营场所）无法联系", raise_risk=True),
    Outcome("不配合检查情节严重", problem=True, raise_risk=True),
    Outcome("已关闭停业或注销"),
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

_DEFAULT_BY_NAME = {o.name: o for o in DEFAULT_OUTCOMES}


def _normal(name: str) -> str:
    """Outcome names compare with ASCII and full-width brackets alike."""
    return name.strip().replace("(", "（").replace(")", "）").replace(" ", "")


@dataclass(frozen=True)
class OutcomeList:
    outcomes: tuple[Outcome, ...] = DEFAULT_OUTCOMES
    risk_levels: tuple[str, ...] | None = None
    source: str | None = None  # the file read, None for the built-in list

    @property
    def names(self) -> list[str]:
        return [o.name for o in self.outcomes]

    def find(self, text: str) -> Outcome | None:
        key = _normal(text)
        for o in self.outcomes:
            if _normal(o.name) == key:
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
                std = _DEFAULT_BY_NAME.get(_normal(name))
                if std is not None:
                    outcomes.append(Outcome(name, std.problem, std.raise_risk))
                else:
                    problem = "发现问题" in name and not name.startswith("未发现")
                    outcomes.append(Outcome(name, problem, problem))
            elif isinstance(entry, dict) and isinstance(entry.get("name"), str):
                extra = set(entry) - {"name", "problem", "raise_risk"}
                if extra:
                    raise bad(f"unknown key {sorted(extra)[0]} in an outcome")
                problem = bool(entry.get("problem", False))
                outcomes.append(Outcome(entry["name"].strip(), problem,
                                        bool(entry.get("raise_risk", problem))))
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
