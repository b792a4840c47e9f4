"""The records of a workspace: items, objects, inspectors, experts, recusals, the plan.

These pydantic models are the edge of the core: loaders (``shuijie.registries``)
turn YAML / Excel / CSV rows into them, and everything after (snapshot, draw,
papers, results) reads only these.  Field names are English; each model's
``HEADERS`` maps a field to the Chinese column headers a clerk may use in Excel
(the English field name is always accepted too).  ``src`` on each record is
where it came from, so that a later rule can point the clerk at the row.

Article numbers refer to 信阳市应急管理局“双随机、一公开”抽查工作实施细则 (shared/seed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, ClassVar, Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from shuijie.core.ids import is_id_card_number


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a record came from: file (as shown to the clerk) and row.

    ``row`` is the Excel row number, CSV line number or YAML line number;
    ``columns`` maps a field name to the column header used in that file, so
    a problem can name the column the clerk sees.  Slotted: a provincial objects
    registry keeps one per record (56 bytes instead of ~240 with a ``__dict__``).
    """

    file: str
    row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)

    def column(self, field_name: str) -> str:
        return self.columns.get(field_name, field_name)


class RowSource(MutableMapping):
    """The ``__pydantic_private__`` of a record built by the objects fast path
    (``shuijie.registries``): the three fields of its :class:`SourceRef` in slots, one
    56-byte object instead of a private dict plus a SourceRef per record (1M objects:
    -0.18 GB).  Reading ``_src`` (``record.src``) gives an equal SourceRef, built on
    demand; setting it (``with_src``) stores the new one's fields."""

    __slots__ = ("file", "row", "columns")

    def __init__(self, file: str, row: int | None, columns: dict[str, str]):
        self.file = file
        self.row = row
        self.columns = columns

    def __getitem__(self, key: str) -> SourceRef:
        if key != "_src":
            raise KeyError(key)
        return SourceRef(self.file, self.row, self.columns)

    def __setitem__(self, key: str, value: SourceRef) -> None:
        if key != "_src" or not isinstance(value, SourceRef):
            raise TypeError(f"{key} = {value!r}: a RowSource holds a SourceRef only")
        self.file, self.row, self.columns = value.file, value.row, value.columns

    def __delitem__(self, key: str) -> None:
        raise TypeError("a RowSource cannot drop its SourceRef")

    def __iter__(self) -> Iterator[str]:
        yield "_src"

    def __len__(self) -> int:
        return 1


class Record(BaseModel):
    """Base of every registry record."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)

    HEADERS: ClassVar[dict[str, tuple[str, ...]]] = {}
    _src: SourceRef | None = PrivateAttr(default=None)

    @property
    def src(self) -> SourceRef | None:
        return self._src

    def with_src(self, src: SourceRef) -> "Record":
        self._src = src
        return self


class RecusalReason(str, Enum):
    """第十五条 (一)至(五)."""

    worked = "worked"              # (一) 本人曾工作过的单位
    part_time = "part_time"        # (二) 本人在其中兼职的单位
    jurisdiction = "jurisdiction"  # (三) 本人曾管辖过的单位
    interest = "interest"          # (四) 与本人或亲属有直接利害关系的单位
    other = "other"                # (五) 其他需要回避的情形


RECUSAL_LABELS_ZH: dict[RecusalReason, str] = {
    RecusalReason.worked: "本人曾工作过的单位",
    RecusalReason.part_time: "本人在其中兼职的单位",
    RecusalReason.jurisdiction: "本人曾管辖过的单位",
    RecusalReason.interest: "与本人或亲属有直接利害关系的单位",
    RecusalReason.other: "其他需要回避的情形",
}


class Recusal(Record):
    """A recusal pair (第十五条): a person must not inspect an object."""

    HEADERS: ClassVar[dict[str, tuple[str, ...]]] = {
        "person_id": ("人员编号", "编号"),
        "object_id": ("检查对象", "统一社会信用代码", "检查对象统一社会信用代码"),
        "reason": ("回避情形",),
        "note": ("说明", "备注"),
    }

    person_id: str = ""  # filled from the enclosing record in YAML
    object_id: str
    reason: RecusalReason
    note: str = ""


class Item(Record):
    """抽查事项 (第六、七条): name, basis, target, content, method."""

    HEADERS: ClassVar[dict[str, tuple[str, ...]]] = {
        "id": ("编号", "事项编号"),
        "name": ("抽查事项", "事项名称", "检查事项"),
        "basis": ("检查依据", "依据"),
        "target": ("检查对象", "抽查对象"),
        "content": ("检查内容", "内容"),
        "method": ("检查方式", "方式"),
        "license": ("许可类", "是否许可类"),
        "industries": ("适用行业",),
        "note": ("备注",),
    }

    id: str
    name: str
    basis: str
    target: str = ""
    content: str
    method: str = "实地检查"
    license: bool = False           # 行政许可类: objects need 许可文件名称 and 许可文号 (第八条)
    industries: list[str] = Field(default_factory=list)  # empty: applies to every industry
    note: str = ""


class Object(Record):
    """检查对象 (第八条). ``id`` is the 统一社会信用代码, or 身份证号码 for a natural person."""

    HEADERS: ClassVar[dict[str, tuple[str, ...]]] = {
        "id": ("统一社会信用代码", "统一社会信用代码（身份证号码）", "统一社会信用代码(身份证号码)",
               "身份证号码", "代码"),
        "name": ("名称", "名称（姓名）", "名称(姓名)", "检查对象名称", "姓名"),
        "address": ("地址", "住所", "经营场所"),
        "principal": ("负责人", "法定代表人", "主要负责人"),
        "phone": ("联系方式", "联系电话", "电话"),
        "area": ("区域", "县区", "所在区域"),
        "industry": ("行业", "行业类别"),
        "kind": ("类型", "对象类型"),
        "risk": ("风险等级",),
        "credit": ("信用等级",),
        "license_name": ("许可文件名称", "批准文件名称"),
        "license_no": ("许可文号", "批准文号", "许可证号"),
        "note": ("备注",),
    }

    id: str
    name: str
    address: str
    principal: str
    phone: str
    area: str
    industry: str
    kind: str = ""
    risk: str = ""
    credit: str = ""
    license_name: str = ""
    license_no: str = ""
    note: str = ""

    @property
    def is_person(self) -> bool:
        """A natural person (identified by a GB 11643 ID number, not a USCC)."""
        return is_id_card_number(self.id)


class Inspector(Record):
    """执法检查人员 (第九条)."""

    HEADERS: ClassVar[dict[str, tuple[str, ...]]] = {
        "id": ("编号", "人员编号"),
        "name": ("姓名",),
        "gender": ("性别",),
        "title": ("职务",),
        "cert_no": ("执法证号", "行政执法证号"),
        "unit": ("所在单位", "单位"),
        "unit_type": ("单位类型",),
        "qualified": ("执法资格", "具有执法资格"),
        "can_lead": ("可任组长",),
        "areas": ("执法区域",),
        "active": ("在岗", "是否在岗"),
        "note": ("备注",),
    }

    id: str
    name: str
    gender: str
    title: str
    cert_no: str = ""
    unit: str
    unit_type: Literal["局机关", "二级机构"] = "局机关"
    qualified: bool = True
    can_lead: bool = False
    areas: list[str] = Field(default_factory=list)  # empty: anywhere (局机关); 二级机构 must name areas
    active: bool = True
    note: str = ""
    recusals: list[Recusal] = Field(default_factory=list)


class Expert(Record):
    """检查专家 (第十二条)."""

    HEADERS: ClassVar[dict[str, tuple[str, ...]]] = {
        "id": ("编号", "专家编号"),
        "name": ("姓名",),
        "specialties": ("专业领域", "专业"),
        "employer": ("工作单位",),
        "title": ("职称",),
        "phone": ("联系方式", "联系电话"),
        "active": ("在库", "是否在库", "在岗"),
        "note": ("备注",),
    }

    id: str
    name: str
    specialties: list[str]
    employer: str = ""
    title: str = ""
    phone: str = ""
    active: bool = True
    note: str = ""
    recusals: list[Recusal] = Field(default_factory=list)


# ---------------------------------------------------------------- the plan


class PlanBase(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Stratum(PlanBase):
    """A stratum (第二十五条): objects matching ``where`` (first match wins).

    ``where`` maps an object field (area, industry, risk, credit, kind …) to the
    list of accepted values; an empty ``where`` matches every object and so acts
    as the default stratum.  Exactly one of ``ratio`` (a decimal, 0 < r ≤ 1) or
    ``count`` is given.
    """

    name: str
    where: dict[str, list[str]] = Field(default_factory=dict)
    ratio: str | None = None
    count: int | None = None


class Window(PlanBase):
    start: dt.date
    end: dt.date


class TeamRule(PlanBase):
    """第十四条: 2–5 members, one leader, at least 2 qualified."""

    size: int = 3
    min_qualified: int = 2
    max_per_day: int = 1
    max_per_round: int | None = None
    size_reason: str = ""  # required when size is outside 2–5


class ExpertRule(PlanBase):
    per_team: int = 0
    specialties: list[str] = Field(default_factory=list)
    max_per_day: int = 1


class Schedule(PlanBase):
    group_by: Literal["area"] | None = None


class Contact(PlanBase):
    name: str = ""
    phone: str = ""
    address: str = ""


class RegistryPaths(PlanBase):
    """Registry files, relative to the plan file."""

    items: str
    objects: str
    inspectors: str
    experts: str | None = None
    calendar: str | None = None


class InspectorPool(PlanBase):
    """Which inspectors of the registry form the plan's pool (empty: all active)."""

    units: list[str] = Field(default_factory=list)
    ids: list[str] = Field(default_factory=list)


class Plan(PlanBase):
    """抽查工作方案 (第十条): approved before work, with its 文号."""

    id: str
    title: str
    doc_no: str = ""           # 公开文号, e.g. 信应急〔2026〕5号
    unit: str                  # 检查单位
    approved_by: str = ""
    approved_on: dt.date | None = None
    registries: RegistryPaths
    items: list[str]
    population: dict[str, list[str]] = Field(default_factory=dict)  # field -> accepted values
    strata: list[Stratum]
    cooldown: int = 0          # months: skip objects drawn in earlier rounds within this
    window: Window
    notice_date: dt.date
    team: TeamRule = Field(default_factory=TeamRule)
    experts: ExpertRule = Field(default_factory=ExpertRule)
    inspector_pool: InspectorPool = Field(default_factory=InspectorPool)
    schedule: Schedule = Field(default_factory=Schedule)
    public_random_source: str
    random_date: dt.date | None = None  # the day the public random value appears (开奖日)
    materials: list[str] = Field(default_factory=list)  # 应准备的材料 (第十一条)
    attendees: list[str] = Field(default_factory=list)  # 到场配合人员 (第十一条)
    contact: Contact = Field(default_factory=Contact)
    rounds_dir: str = "../rounds"

    _path: Path | None = PrivateAttr(default=None)
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)  # dotted key -> YAML line

    @property
    def path(self) -> Path | None:
        return self._path


@dataclass
class Workspace:
    """A plan with every registry it names, loaded and validated."""

    plan: Plan
    plan_path: Path
    items: list[Item]
    objects: list[Object]
    inspectors: list[Inspector]
    experts: list[Expert]
    calendar: Any  # shuijie.core.calendar.WorkCalendar
    files: dict[str, Path] = field(default_factory=dict)  # role -> resolved path (plan, items, …)

    @property
    def rounds_dir(self) -> Path:
        return (self.plan_path.parent / self.plan.rounds_dir).resolve()

    def item_map(self) -> dict[str, Item]:
        return {i.id: i for i in self.items}

    def object_map(self) -> dict[str, Object]:
        return {o.id: o for o in self.objects}

    def inspector_map(self) -> dict[str, Inspector]:
        return {p.id: p for p in self.inspectors}

    def expert_map(self) -> dict[str, Expert]:
        return {e.id: e for e in self.experts}
