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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from shuijie.core.ids import is_id_card_number
from shuijie.core.rules.recusal import RecusalReason


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
        "name": ("抽查事项", "事项名称", "检查事项", "抽查事项名称"),
        "basis": ("检查依据", "依据", "抽查依据", "实施依据"),
        "target": ("检查对象", "抽查对象"),
        "content": ("检查内容", "内容", "抽查内容"),
        "method": ("检查方式", "方式", "抽查方式"),
        "category": ("执法门类", "抽查类别", "事项类别"),
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
    category: str = ""  # 执法门类 / 抽查类别: inspectors with a 执法门类 join only rounds within it
    note: str = ""


class Object(Record):
    """检查对象 (第八条). ``id`` is the 统一社会信用代码, or 身份证号码 for a natural person."""

    HEADERS: ClassVar[dict[str, tuple[str, ...]]] = {
        "id": ("统一社会信用代码", "统一社会信用代码（身份证号码）", "统一社会信用代码(身份证号码)",
               "身份证号码", "代码", "统一社会信用代码/注册号", "统一社会信用代码（注册号）", "社会信用代码",
               "注册号", "行政相对人编码"),
        "name": ("名称", "名称（姓名）", "名称(姓名)", "检查对象名称", "姓名", "企业名称", "单位名称",
                 "企业（单位）名称", "市场主体名称", "行政相对人名称"),
        "address": ("地址", "住所", "经营场所", "住所（经营场所）", "住所地址", "经营地址", "生产经营地址",
                    "注册地址"),
        "principal": ("负责人", "法定代表人", "主要负责人", "法定代表人（负责人）", "法定代表人/负责人"),
        "phone": ("联系方式", "联系电话", "电话", "手机号", "手机号码"),
        "area": ("区域", "县区", "所在区域", "所属区域", "所属行政区划", "行政区划", "所属县区", "属地"),
        "industry": ("行业", "行业类别", "所属行业", "行业类型"),
        "kind": ("类型", "对象类型", "企业类型", "市场主体类型"),
        "risk": ("风险等级",),
        "credit": ("信用等级",),
        "license_name": ("许可文件名称", "批准文件名称", "许可证名称"),
        "license_no": ("许可文号", "批准文号", "许可证号", "许可证编号", "许可文件编号"),
        "status": ("登记状态", "经营状态"),
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
    status: str = ""  # 登记状态 (存续, 在业, 注销 …); empty: not given (core.rules.status)
    note: str = ""

    @property
    def is_person(self) -> bool:
        """A natural person (identified by a GB 11643 ID number, not a USCC)."""
        return is_id_card_number(self.id)


class Inspector(Record):
    """执法检查人员 (第九条)."""

    HEADERS: ClassVar[dict[str, tuple[str, ...]]] = {
        "id": ("编号", "人员编号", "单位工号", "工号"),
        "name": ("姓名",),
        "gender": ("性别",),
        "title": ("职务", "担任职务", "具体职务"),
        "cert_no": ("执法证号", "行政执法证号", "执法证编号", "执法证件号", "行政执法证编号", "证件编号",
                    "省执法证编号"),
        "cert_expiry": ("执法证有效期", "有效期至", "执法证有效期至", "有效期"),
        "cert_status": ("执法人员状态", "执法证状态"),
        "unit": ("所在单位", "单位", "工作单位", "所属单位", "所在业务部门（机构）", "所在科室"),
        "unit_type": ("单位类型",),
        "qualified": ("执法资格", "具有执法资格"),
        "can_lead": ("可任组长",),
        "areas": ("执法区域",),
        "scope": ("执法门类", "执法事项范围", "岗位大类"),
        "active": ("在岗", "是否在岗"),
        "note": ("备注",),
    }

    id: str
    name: str
    gender: str
    title: str
    cert_no: str = ""
    cert_expiry: str = ""  # 执法证有效期 (YYYY-MM-DD); empty: not given (core.rules.qualification)
    cert_status: str = ""  # 执法人员状态 (有效, 注销, 失效 …)
    unit: str
    unit_type: Literal["局机关", "二级机构"] = "局机关"
    qualified: bool = True
    can_lead: bool = False
    areas: list[str] = Field(default_factory=list)  # empty: anywhere (局机关); 二级机构 must name areas
    scope: list[str] = Field(default_factory=list)  # 执法门类: empty: every item (core.rules.qualification)
    active: bool = True
    note: str = ""
    recusals: list[Recusal] = Field(default_factory=list)


class Expert(Record):
    """检查专家 (第十二条)."""

    HEADERS: ClassVar[dict[str, tuple[str, ...]]] = {
        "id": ("编号", "专家编号"),
        "name": ("姓名", "专家姓名"),
        "specialties": ("专业领域", "专业", "专业类别"),
        "employer": ("工作单位",),
        "title": ("职称", "技术职称"),
        "phone": ("联系方式", "联系电话", "手机号码", "手机号"),
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
#
# ``description`` texts are Chinese on purpose: they are what the clerk reads in the plan's
# JSON Schema (``shuijie plan schema``, an editor's completion) and in the comments that
# ``shuijie plan new`` writes (docs/plan.md lists every key).


class PlanBase(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Stratum(PlanBase):
    """A stratum (第二十五条): objects matching ``where`` (first match wins).

    ``where`` maps an object field (area, industry, risk, credit, kind …) to the
    list of accepted values; an empty ``where`` matches every object and so acts
    as the default stratum.  Exactly one of ``ratio`` (a decimal, 0 < r ≤ 1) or
    ``count`` is given.
    """

    model_config = ConfigDict(json_schema_extra={
        "description": "分层（第二十五条）：按顺序匹配，先匹配者优先；ratio 与 count 二选一。"})

    name: str = Field(description="层的名称，如“高风险”；各层不得重名，提示信息用它指称该层")
    where: dict[str, list[str]] = Field(
        default_factory=dict,
        description="本层条件：检查对象字段（area 区域、industry 行业、risk 风险等级、credit 信用等级、kind 类型等）"
                    "→ 可接受的值（须为名录中已有的值）；留空则匹配其余全部对象")
    ratio: str | None = Field(None, description="抽取比例，小数，0 < 比例 ≤ 1，如 '0.2'（与 count 二选一）")
    count: int | None = Field(None, description="抽取户数（与 ratio 二选一）")


class Window(PlanBase):
    model_config = ConfigDict(json_schema_extra={"description": "检查时间（第十一条：告知检查时间）"})

    start: dt.date = Field(description="检查开始日期，如 2026-03-02；须在告知日期后至少 5 个工作日")
    end: dt.date = Field(description="检查结束日期（含），不早于开始日期")


class TeamRule(PlanBase):
    """第十四条: 2–5 members, one leader, at least 2 qualified."""

    model_config = ConfigDict(json_schema_extra={
        "description": "检查组（第十四条）：一般 2 至 5 人，组长 1 名，具有执法资格者不少于 2 人"})

    size: int = Field(3, description="每组人数，一般 2 至 5 人（第十四条）")
    min_qualified: int = Field(2, description="每组具有执法资格的人数下限，不少于 2（第十四条）")
    max_per_day: int = Field(1, description="每名检查人员每天最多参加的检查组数")
    max_per_round: int | None = Field(None, description="每名检查人员本轮最多参加的检查组数（留空不限）")
    size_reason: str = Field("", description="每组人数不在 2 至 5 人时必须说明理由（第十四条“一般”）")


class ExpertRule(PlanBase):
    model_config = ConfigDict(json_schema_extra={"description": "检查专家（第十二条：根据需要从专家库随机抽取）"})

    per_team: int = Field(0, description="每组抽取专家人数；0 为不抽专家")
    specialties: list[str] = Field(default_factory=list,
                                   description="所需专业领域（须为专家库中已有的值）；留空则不限")
    max_per_day: int = Field(1, description="每名专家每天最多参加的检查组数")


class Schedule(PlanBase):
    model_config = ConfigDict(json_schema_extra={"description": "检查日程的安排方式"})

    group_by: Literal["area"] | None = Field(
        None, description="按什么归并同一天的检查：area（同一区域的对象排在同一天）；留空不归并")


class Contact(PlanBase):
    model_config = ConfigDict(json_schema_extra={"description": "告知书上的联系人（第十一条）"})

    name: str = Field("", description="联系人或承办科室")
    phone: str = Field("", description="联系电话")
    address: str = Field("", description="联系地址")


class RegistryPaths(PlanBase):
    """Registry files, relative to the plan file."""

    model_config = ConfigDict(json_schema_extra={
        "description": "名录文件，路径相对于本方案文件所在目录（.yaml、.xlsx 或 .csv）"})

    items: str = Field(description="抽查事项清单（第六、七条），如 ../registries/items.yaml")
    objects: str = Field(description="检查对象名录库（第八条），如 ../registries/objects.xlsx")
    inspectors: str = Field(description="执法检查人员名录库（第九条），如 ../registries/inspectors.yaml")
    experts: str | None = Field(None, description="检查专家库（第十二条）；抽专家时必填")
    calendar: str | None = Field(None, description="工作日历补充文件（法定节假日以外的调整；"
                                                   "chinesecalendar 尚无数据的年份须在此声明）")


class InspectorPool(PlanBase):
    """Which inspectors of the registry form the plan's pool (empty: all active)."""

    model_config = ConfigDict(json_schema_extra={
        "description": "本轮检查人员的范围（第十二条）；都留空则为名录中全部在岗人员"})

    units: list[str] = Field(default_factory=list,
                             description="只从这些所在单位中抽取（须为人员名录中已有的单位）")
    ids: list[str] = Field(default_factory=list, description="只从这些人员编号中抽取（须为人员名录中已有的编号）")


class Plan(PlanBase):
    """抽查工作方案 (第十条): approved before work, with its 文号."""

    model_config = ConfigDict(json_schema_extra={
        "description": "“双随机、一公开”抽查工作方案（第十条）：经批准后依据本方案开展工作"})

    id: str = Field(description="方案编号，也是本轮文件夹名，如 2026-Q1-危化")
    title: str = Field(description="方案标题，如 2026年第一季度危险化学品经营企业“双随机、一公开”抽查")
    doc_no: str = Field("", description="公开文号（第十九条），如 信应急〔2026〕8号；用六角括号〔〕")
    unit: str = Field(description="检查单位，如 信阳市应急管理局")
    inspecting_unit: str = Field(
        "", description="检查实施机关（第三条）：实际开展本轮检查的内设机构或二级机构，"
                        "公示系统录入表写它；留空为检查单位 unit")
    check_type: Literal["定向", "不定向"] | None = Field(
        None, description="抽查类型（国家企业信用信息公示系统）：定向 或 不定向；留空时，方案限定了检查对象范围"
                          "（population）为定向，否则为不定向")
    plan_no: str = Field("", description="抽查计划编号（国家企业信用信息公示系统）；留空为方案编号 id")
    plan_name: str = Field("", description="抽查计划名称（国家企业信用信息公示系统）；留空为方案标题 title")
    task_no: str = Field("", description="抽查任务编号（国家企业信用信息公示系统）；留空为方案编号 id")
    task_name: str = Field("", description="抽查任务名称（国家企业信用信息公示系统）；留空为方案标题 title")
    approved_by: str = Field("", description="批准机关或会议（第十条），如 信阳市应急管理局局长办公会")
    approved_on: dt.date | None = Field(None, description="批准日期（第十条），不晚于告知日期")
    registries: RegistryPaths = Field(description="名录文件")
    items: list[str] = Field(description="本轮抽查事项的编号（须为抽查事项清单中的编号，第七条）")
    population: dict[str, list[str]] = Field(
        default_factory=dict,
        description="检查对象范围：检查对象字段（area 区域、industry 行业、risk、credit、kind 等）→ 可接受的值"
                    "（须为名录中已有的值）；留空则为名录中全部对象")
    strata: list[Stratum] = Field(description="分层抽取（第二十五条），按顺序匹配，先匹配者优先")
    cooldown: int = Field(0, description="冷却期（月）：此前各轮在此期限内已抽中的对象本轮不再抽取；0 为不设")
    window: Window = Field(description="检查时间")
    notice_date: dt.date = Field(description="告知日期：须在检查开始日前至少 5 个工作日（第十一条）")
    team: TeamRule = Field(default_factory=TeamRule, description="检查组（第十四条）")
    experts: ExpertRule = Field(default_factory=ExpertRule, description="检查专家（第十二条）")
    inspector_pool: InspectorPool = Field(default_factory=InspectorPool, description="检查人员范围")
    schedule: Schedule = Field(default_factory=Schedule, description="检查日程的安排方式")
    public_random_source: str = Field(
        description="公开随机数来源（第十三条）：事先确定、抽取时尚未产生的公开数值，如某期彩票开奖号码")
    random_date: dt.date | None = Field(None, description="公开随机数产生之日（如开奖日）：检查通知书写明抽中的对象，告知日期不得早于此日（第十一、十二条）")
    materials: list[str] = Field(default_factory=list, description="检查对象应准备的材料（第十一条）")
    attendees: list[str] = Field(default_factory=list, description="检查对象到场配合检查的人员（第十一条）")
    contact: Contact = Field(default_factory=Contact, description="联系人（第十一条）")
    rounds_dir: str = Field("../rounds", description="各轮抽取结果的文件夹，相对于本方案文件所在目录")
    publish_population: bool = Field(
        False, description="在「抽取结果」网页中嵌入检查对象总体文件，供公众在浏览器中复算（分层可能透露风险等级，默认不嵌入；"
                           "含身份证号码时从不嵌入）")
    publish_drawn_list: bool = Field(True, description="在「抽取结果」网页中列出抽中的检查对象及检查日期")

    _path: Path | None = PrivateAttr(default=None)
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)  # dotted key -> YAML line

    @property
    def path(self) -> Path | None:
        return self._path
