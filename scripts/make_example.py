"""Generate the example workspace (deterministic: same bytes on every run).

    python scripts/make_example.py            # writes shuijie/example/ and the repo-root copies

The example is a fictional but realistic 信阳市应急管理局 workspace: 64 objects in the
ten 县区 across several industries (valid GB 32100 / GB 11643 check characters,
computed here), 24 inspectors (局机关科室 and the 二级机构 执法支队 with areas), 10
experts, 8 check items, recusals, a calendar file and the plan
plans/2026-Q1-危化.yaml, and registries/lists.yaml (the allowed values the drop-downs are made
of).  Registries are written both as YAML and as Excel (``init`` copies one form); the plan
reads objects from Excel and the rest from YAML.  No randomness: every "random"
looking choice comes from SHA-256 of a fixed label.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import yaml
from openpyxl.worksheet.datavalidation import DataValidation

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import datetime as dt  # noqa: E402

from openpyxl.utils import get_column_letter  # noqa: E402

from shuijie.core.ids import id_check_char, uscc_for_serial  # noqa: E402
from shuijie.papers.xlsx import CENTER, HEADER_FONT, new_workbook, put, save  # noqa: E402
from shuijie.registries.plan_tools import SCHEMA_FILE, plan_schema_text  # noqa: E402

WHEN = dt.date(2026, 1, 5)
AREAS = {  # 县区 → 行政区划代码
    "浉河区": "411502", "平桥区": "411503", "罗山县": "411521", "光山县": "411522",
    "新县": "411523", "商城县": "411524", "固始县": "411525", "潢川县": "411526",
    "淮滨县": "411527", "息县": "411528",
}
AREA_NAMES = list(AREAS)
RISKS = ["高", "较高", "一般", "低"]
CREDITS = ["A", "B", "C", "D"]
INDUSTRIES = ["危险化学品经营", "危险化学品生产", "工贸", "非煤矿山", "烟花爆竹经营"]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红海斌鹏飞云峰宇浩凯"


def h(label: str) -> int:
    return int.from_bytes(hashlib.sha256(label.encode()).digest()[:8], "big")


def pick(seq, label: str):
    return seq[h(label) % len(seq)]


def person_name(label: str) -> str:
    n = h(label)
    name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n // 97) % len(GIVEN)]
    if (n // 9973) % 3:
        name += GIVEN[(n // 7919) % len(GIVEN)]
    return name


def uscc(label: str, area_code: str, prefix: str = "91") -> str:
    return uscc_for_serial(h(label), prefix + area_code + "MA")


def id_number(label: str, area_code: str, birth: str) -> str:
    seq = f"{h(label) % 900 + 100:03d}"
    first17 = area_code + birth + seq
    return first17 + id_check_char(first17)


def phone(label: str) -> str:
    return "13" + str(h(label) % 10) + f"{h(label + 'p') % 100000000:08d}"


# ---------------------------------------------------------------- objects

CHEM_WORDS = ["恒信", "华豫", "申达", "信诚", "中原", "豫南", "鑫源", "大别山", "淮河", "茶都", "金桥",
              "润泽", "宏远", "顺达", "瑞丰", "兴隆", "永安", "天元", "博瑞", "汇通", "新特", "长江"]
SUFFIX = {
    "危险化学品经营": ["化工贸易有限公司", "石化销售有限公司", "化工有限公司", "气体经销有限公司"],
    "危险化学品生产": ["化工股份有限公司", "精细化工有限公司", "气体有限公司"],
    "工贸": ["木业有限公司", "粉末冶金有限公司", "纺织有限公司", "食品有限公司", "机械制造有限公司"],
    "非煤矿山": ["矿业有限公司", "石料开采有限公司", "建材矿业有限公司"],
    "烟花爆竹经营": ["烟花爆竹批发有限公司", "烟花爆竹零售店"],
}
ROADS = ["新华路", "工区路", "民权路", "中山路", "浉河大道", "羊山大道", "新七大街", "息州大道", "正阳路", "淮河路",
         "产业集聚区纬二路", "循环经济产业园经三路"]
LICENSE = {
    "危险化学品经营": ("危险化学品经营许可证", "豫信危化经字〔{y}〕{n:06d}"),
    "危险化学品生产": ("安全生产许可证", "（豫）WH安许证字〔{y}〕{n:04d}"),
    "非煤矿山": ("安全生产许可证", "（豫）FM安许证字〔{y}〕{n:04d}"),
    "烟花爆竹经营": ("烟花爆竹经营许可证", "（豫信）YH经字〔{y}〕{n:04d}"),
}


def make_objects() -> list[dict]:
    plan = []  # (industry, count)
    plan += [("危险化学品经营", 22), ("危险化学品生产", 8), ("工贸", 14), ("非煤矿山", 10), ("烟花爆竹经营", 10)]
    out = []
    used_names = set()
    k = 0
    for industry, count in plan:
        for j in range(count):
            k += 1
            label = f"obj-{industry}-{j}"
            area = AREA_NAMES[(j * 3 + len(industry)) % len(AREA_NAMES)]
            code = AREAS[area]
            natural = industry == "烟花爆竹经营" and j in (7, 8, 9)
            if natural:
                owner = person_name(label + "owner")
                name = f"{area.rstrip('区县')}{owner}烟花爆竹零售点"
                oid = id_number(label, code, f"19{70 + h(label) % 25}{h(label) % 12 + 1:02d}{h(label) % 28 + 1:02d}")
                kind = "个体"
            else:
                while True:
                    word = pick(CHEM_WORDS, label + str(len(used_names)))
                    base = "信阳" if area in ("浉河区", "平桥区") else area.rstrip("区县")
                    name = f"{base}{word}{pick(SUFFIX[industry], label)}"
                    if name not in used_names:
                        break
                    label += "'"
                prefix = "91"
                if industry == "工贸" and j == 5:
                    prefix = "N2"   # 农民专业合作社 (登记管理部门 N, 类别 2): a code that starts with a letter
                oid = uscc(label, code, prefix)
                kind = "农民专业合作社" if prefix == "N2" else "企业"
                if prefix == "N2":
                    name = f"{area.rstrip('区县')}{word}农产品加工专业合作社"
                owner = person_name(label + "owner")
            used_names.add(name)
            risk_w = {"危险化学品生产": [0, 0, 1, 1, 2], "危险化学品经营": [0, 1, 1, 2, 2, 2, 3],
                      "非煤矿山": [0, 1, 1, 2], "烟花爆竹经营": [1, 2, 2, 3], "工贸": [1, 2, 2, 3, 3]}[industry]
            risk = RISKS[pick(risk_w, label + "risk")]
            credit = CREDITS[pick([0, 0, 0, 1, 1, 1, 1, 2, 3], label + "credit")]
            rec = {
                "id": oid, "name": name,
                "address": f"信阳市{area}{pick(ROADS, label + 'road')}{h(label) % 300 + 1}号",
                "principal": owner, "phone": phone(label), "area": area, "industry": industry,
                "kind": kind, "risk": risk, "credit": credit,
            }
            if industry in LICENSE:
                lname, fmt = LICENSE[industry]
                rec["license_name"] = lname
                rec["license_no"] = fmt.format(y=2022 + h(label) % 4, n=h(label + "lic") % 9000 + 100)
            out.append(rec)
    out.sort(key=lambda r: (AREA_NAMES.index(r["area"]), INDUSTRIES.index(r["industry"]), r["id"]))
    return out


# ---------------------------------------------------------------- people

UNITS_BUREAU = ["危险化学品安全监督管理科", "安全生产基础科", "政策法规科", "应急指挥中心"]
UNIT_SECONDARY = "信阳市应急管理综合行政执法支队"


def make_inspectors(objects: list[dict]) -> list[dict]:
    out = []
    titles = ["科长", "副科长", "一级主任科员", "二级主任科员", "四级主任科员", "科员"]
    for i in range(14):
        pid = f"J{i + 1:03d}"
        qualified = i not in (11, 12, 13)
        rec = {
            "id": pid, "name": person_name(pid), "gender": "男" if h(pid) % 3 else "女",
            "title": titles[min(i // 2, len(titles) - 1)],
            "cert_no": f"41150020{h(pid) % 10000:04d}" if qualified else "",
            "unit": UNITS_BUREAU[i % len(UNITS_BUREAU)], "unit_type": "局机关",
            "qualified": qualified, "can_lead": qualified and i < 7, "areas": [],
        }
        if not qualified:
            rec["note"] = "从事日常监管工作，尚未取得行政执法证"
        out.append(rec)
    groups = [["浉河区", "平桥区"], ["罗山县", "光山县", "新县"], ["商城县", "固始县"],
              ["潢川县", "淮滨县", "息县"]]
    for i in range(12):
        pid = f"Z{i + 1:03d}"
        g = i % 4
        rec = {
            "id": pid, "name": person_name(pid), "gender": "男" if h(pid) % 4 else "女",
            "title": "大队长" if i < 4 else "执法队员",
            "cert_no": f"41150030{h(pid) % 10000:04d}",
            "unit": f"{UNIT_SECONDARY}{'一二三四'[g]}大队", "unit_type": "二级机构",
            "qualified": True, "can_lead": i < 4, "areas": list(groups[g]),
        }
        out.append(rec)
    out[9]["active"] = False
    out[9]["note"] = "2026年1月起借调，暂不参加抽查"
    by_ind = {}
    for o in objects:
        by_ind.setdefault(o["industry"], []).append(o)
    chem = by_ind["危险化学品经营"]
    out[0]["recusals"] = [{"object_id": chem[2]["id"], "reason": "worked", "note": "2015—2018年曾在该公司任安全员"}]
    out[3]["recusals"] = [{"object_id": chem[5]["id"], "reason": "interest", "note": "配偶在该公司任财务负责人"}]
    out[15]["recusals"] = [
        {"object_id": chem[1]["id"], "reason": "jurisdiction", "note": "曾任该区安监站站长"},
        {"object_id": by_ind["危险化学品生产"][1]["id"], "reason": "part_time", "note": "在该公司兼任安全顾问（已报备）"},
    ]
    return out


def make_experts(objects: list[dict]) -> list[dict]:
    specs = [["危险化学品", "化工工艺"], ["危险化学品", "消防"], ["化工工艺", "电气"], ["危险化学品"],
             ["非煤矿山", "地质"], ["非煤矿山", "爆破"], ["烟花爆竹"], ["工贸", "粉尘防爆"],
             ["工贸", "有限空间"], ["电气", "特种设备"]]
    employers = ["河南省化工研究所有限责任公司", "信阳师范大学化学化工学院", "信阳市安全生产技术服务中心",
                 "中国平煤神马集团安全技术服务公司", "河南省安全科学技术研究院", "信阳职业技术学院"]
    titles = ["高级工程师", "正高级工程师", "教授", "副教授", "注册安全工程师"]
    out = []
    for i, sp in enumerate(specs):
        pid = f"E{i + 1:03d}"
        out.append({"id": pid, "name": person_name(pid), "specialties": sp,
                    "employer": pick(employers, pid), "title": pick(titles, pid), "phone": phone(pid)})
    chem = [o for o in objects if o["industry"] == "危险化学品生产"]
    out[1]["recusals"] = [{"object_id": chem[0]["id"], "reason": "part_time", "note": "受聘为该公司技术顾问"}]
    return out


def make_items() -> list[dict]:
    return [
        {"id": "WH-01", "name": "危险化学品经营单位安全生产条件检查",
         "basis": "《危险化学品安全管理条例》第三十四条、第三十五条；《危险化学品经营许可证管理办法》第六条",
         "target": "危险化学品经营单位", "content": "经营许可证有效性、储存场所及设施、安全管理制度、从业人员培训及持证情况",
         "method": "实地检查", "license": True, "industries": ["危险化学品经营"]},
        {"id": "WH-02", "name": "危险化学品生产企业安全生产许可条件检查",
         "basis": "《安全生产许可证条例》第二条、第六条；《危险化学品生产企业安全生产许可证实施办法》第八条",
         "target": "危险化学品生产企业", "content": "安全生产许可证有效性、重大危险源管控、工艺安全、应急预案",
         "method": "实地检查", "license": True, "industries": ["危险化学品生产"]},
        {"id": "AQ-01", "name": "安全生产主体责任落实情况检查",
         "basis": "《中华人民共和国安全生产法》第四条、第二十一条、第二十五条",
         "target": "生产经营单位", "content": "全员安全生产责任制、安全管理机构及人员配备、安全投入、教育培训",
         "method": "实地检查", "license": False, "industries": []},
        {"id": "AQ-02", "name": "安全风险分级管控和隐患排查治理情况检查",
         "basis": "《中华人民共和国安全生产法》第四十一条；《安全生产事故隐患排查治理暂行规定》第八条",
         "target": "生产经营单位", "content": "风险辨识评估、管控措施、隐患排查台账及整改闭环",
         "method": "实地检查", "license": False, "industries": []},
        {"id": "AQ-03", "name": "生产安全事故应急预案管理情况检查",
         "basis": "《中华人民共和国安全生产法》第八十一条；《生产安全事故应急预案管理办法》第五条",
         "target": "生产经营单位", "content": "应急预案编制、评审、备案、演练及应急物资配备",
         "method": "书面检查", "license": False, "industries": []},
        {"id": "FM-01", "name": "非煤矿山安全生产条件检查",
         "basis": "《中华人民共和国矿山安全法》第七条；《非煤矿矿山企业安全生产许可证实施办法》第六条",
         "target": "非煤矿山企业", "content": "安全生产许可证、边坡及排土场管理、爆破作业、提升运输",
         "method": "实地检查", "license": True, "industries": ["非煤矿山"]},
        {"id": "YH-01", "name": "烟花爆竹经营单位安全条件检查",
         "basis": "《烟花爆竹安全管理条例》第十七条、第十八条；《烟花爆竹经营许可实施办法》第六条",
         "target": "烟花爆竹批发、零售经营单位", "content": "经营许可证、储存场所、限量存放、防火防爆措施",
         "method": "实地检查", "license": True, "industries": ["烟花爆竹经营"]},
        {"id": "GM-01", "name": "工贸企业粉尘防爆和有限空间作业安全检查",
         "basis": "《工贸企业粉尘防爆安全规定》第十条；《工贸企业有限空间作业安全规定》第六条",
         "target": "工贸企业", "content": "粉尘防爆措施、除尘系统、有限空间作业审批及监护",
         "method": "实地检查", "license": False, "industries": ["工贸"]},
    ]


def make_plan() -> dict:
    return {
        "id": "2026-Q1-危化",
        "title": "2026年第一季度危险化学品经营企业“双随机、一公开”抽查",
        "doc_no": "信应急〔2026〕8号",
        "unit": "信阳市应急管理局",
        "approved_by": "信阳市应急管理局局长办公会",
        "approved_on": dt.date(2026, 2, 10),
        "registries": {
            "items": "../registries/items.yaml",
            "objects": "../registries/objects.xlsx",
            "inspectors": "../registries/inspectors.yaml",
            "experts": "../registries/experts.yaml",
            "calendar": "../registries/calendar.yaml",
        },
        "items": ["WH-01", "AQ-01", "AQ-02", "AQ-03"],
        "population": {"industry": ["危险化学品经营"]},
        "strata": [
            {"name": "高风险", "where": {"risk": ["高", "较高"]}, "ratio": "0.5"},
            {"name": "信用较差", "where": {"credit": ["C", "D"]}, "count": 2},
            {"name": "一般", "ratio": "0.2"},
        ],
        "cooldown": 6,
        "window": {"start": dt.date(2026, 3, 9), "end": dt.date(2026, 4, 3)},
        "notice_date": dt.date(2026, 2, 27),
        "team": {"size": 3, "min_qualified": 2, "max_per_day": 1, "max_per_round": 3},
        "experts": {"per_team": 1, "specialties": ["危险化学品", "化工工艺"], "max_per_day": 1},
        "schedule": {"group_by": "area"},
        "public_random_source": "中国福利彩票“福彩3D”第2026050期开奖号码（2026年2月26日开奖）",
        "random_date": dt.date(2026, 2, 26),
        "materials": ["危险化学品经营许可证及营业执照复印件", "安全生产责任制及安全管理制度",
                      "主要负责人、安全管理人员培训合格证明", "隐患排查治理台账", "应急预案及演练记录"],
        "attendees": ["主要负责人", "安全管理人员"],
        "contact": {"name": "危险化学品安全监督管理科", "phone": "0376-6201234",
                    "address": "信阳市羊山新区新七大街应急管理局大楼"},
        "rounds_dir": "../rounds",
    }


# ---------------------------------------------------------------- writers


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # never write anchors: the loader refuses them
        return True


def dump_yaml(data, header: str) -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120,
                     default_flow_style=False)
    return header + body


OBJ_HEADERS = [("id", "统一社会信用代码"), ("name", "名称"), ("address", "地址"), ("principal", "负责人"),
               ("phone", "联系方式"), ("area", "区域"), ("industry", "行业"), ("kind", "类型"),
               ("risk", "风险等级"), ("credit", "信用等级"), ("license_name", "许可文件名称"),
               ("license_no", "许可文号"), ("note", "备注")]
INSP_HEADERS = [("id", "编号"), ("name", "姓名"), ("gender", "性别"), ("title", "职务"), ("cert_no", "执法证号"),
                ("unit", "所在单位"), ("unit_type", "单位类型"), ("qualified", "执法资格"), ("can_lead", "可任组长"),
                ("areas", "执法区域"), ("active", "在岗"), ("note", "备注")]
EXP_HEADERS = [("id", "编号"), ("name", "姓名"), ("specialties", "专业领域"), ("employer", "工作单位"),
               ("title", "职称"), ("phone", "联系方式"), ("active", "在库"), ("note", "备注")]
ITEM_HEADERS = [("id", "编号"), ("name", "抽查事项"), ("basis", "检查依据"), ("target", "检查对象"),
                ("content", "检查内容"), ("method", "检查方式"), ("license", "许可类"), ("industries", "适用行业"),
                ("note", "备注")]
REC_HEADERS = ["人员编号", "检查对象", "回避情形", "说明"]
REASON_ZH = {"worked": "曾工作过", "part_time": "兼职", "jurisdiction": "曾管辖", "interest": "利害关系", "other": "其他"}


def _cell(rec: dict, f: str, default=""):
    v = rec.get(f, default)
    if isinstance(v, list):
        return "、".join(v)
    if isinstance(v, bool):
        return "是" if v else "否"
    return v


def _sheet(ws, headers, records, widths, bool_defaults=None):
    bool_defaults = bool_defaults or {}
    for c, (_, title) in enumerate(headers, start=1):
        put(ws, 1, c, title, font=HEADER_FONT, align=CENTER)
    for r, rec in enumerate(records, start=2):
        for c, (f, _) in enumerate(headers, start=1):
            put(ws, r, c, _cell(rec, f, bool_defaults.get(f, "")), number_format="@")
    for c, w in enumerate(widths, start=1):
        ws.ws.column_dimensions[get_column_letter(c)].width = w
    ws.ws.freeze_panes = "A2"


def _dropdown(ws, col: int, values: list[str], rows: int = 2000) -> None:
    dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="请从下拉列表中选择",
                        error="请从下拉列表中选择，或修改模板中的可选值。")
    letter = get_column_letter(col)
    dv.add(f"{letter}2:{letter}{rows}")
    ws.ws.add_data_validation(dv)


def _recusal_sheet(wb, people: list[dict]) -> None:
    ws = wb.create_sheet("回避")
    rows = []
    for p in people:
        for r in p.get("recusals", []):
            rows.append({"p": p["id"], "o": r["object_id"], "r": REASON_ZH[r["reason"]], "n": r.get("note", "")})
    _sheet(ws, [("p", REC_HEADERS[0]), ("o", REC_HEADERS[1]), ("r", REC_HEADERS[2]), ("n", REC_HEADERS[3])],
           rows, [12, 24, 14, 36])
    _dropdown(ws, 3, list(REASON_ZH.values()))


def write_all(dest: Path) -> None:
    reg = dest / "registries"
    plans = dest / "plans"
    reg.mkdir(parents=True, exist_ok=True)
    plans.mkdir(parents=True, exist_ok=True)
    objects = make_objects()
    inspectors = make_inspectors(objects)
    experts = make_experts(objects)
    items = make_items()

    note = "# 示例数据（虚构），由 scripts/make_example.py 生成。每条记录一项；编号一律为文本（加引号）。\n"
    (reg / "objects.yaml").write_text(dump_yaml(objects, "# 检查对象名录库（第八条）\n" + note), encoding="utf-8")
    (reg / "inspectors.yaml").write_text(dump_yaml(inspectors, "# 执法检查人员名录库（第九条）；recusals 为回避（第十五条）\n" + note), encoding="utf-8")
    (reg / "experts.yaml").write_text(dump_yaml(experts, "# 检查专家库（第十二条）\n" + note), encoding="utf-8")
    (reg / "items.yaml").write_text(dump_yaml(items, "# 抽查事项清单（第六、七条）\n" + note), encoding="utf-8")
    (reg / "calendar.yaml").write_text(CALENDAR, encoding="utf-8")
    kinds = sorted({o.get("kind", "") for o in objects if o.get("kind")})
    (reg / "lists.yaml").write_text(dump_yaml(
        {"区域": AREA_NAMES, "行业": INDUSTRIES, "类型": kinds, "风险等级": RISKS, "信用等级": CREDITS}, LISTS_HEADER),
        encoding="utf-8")

    wb = new_workbook()
    ws = wb.active
    ws.title = "检查对象"
    _sheet(ws, OBJ_HEADERS, objects, [22, 34, 40, 10, 14, 10, 16, 10, 10, 10, 22, 28, 16])
    _dropdown(ws, 6, AREA_NAMES)
    _dropdown(ws, 7, INDUSTRIES)
    _dropdown(ws, 9, RISKS)
    _dropdown(ws, 10, CREDITS)
    save(wb, reg / "objects.xlsx", WHEN)

    wb = new_workbook()
    ws = wb.active
    ws.title = "执法检查人员"
    _sheet(ws, INSP_HEADERS, inspectors, [8, 10, 6, 14, 16, 36, 10, 10, 10, 24, 8, 30],
           {"active": True})
    _dropdown(ws, 7, ["局机关", "二级机构"])
    for c in (8, 9, 11):
        _dropdown(ws, c, ["是", "否"])
    _recusal_sheet(wb, inspectors)
    save(wb, reg / "inspectors.xlsx", WHEN)

    wb = new_workbook()
    ws = wb.active
    ws.title = "检查专家"
    _sheet(ws, EXP_HEADERS, experts, [8, 10, 24, 34, 16, 14, 8, 20], {"active": True})
    _dropdown(ws, 7, ["是", "否"])
    _recusal_sheet(wb, experts)
    save(wb, reg / "experts.xlsx", WHEN)

    wb = new_workbook()
    ws = wb.active
    ws.title = "抽查事项清单"
    _sheet(ws, ITEM_HEADERS, items, [8, 30, 50, 20, 40, 10, 8, 18, 12])
    _dropdown(ws, 6, ["实地检查", "书面检查"])
    _dropdown(ws, 7, ["是", "否"])
    save(wb, reg / "items.xlsx", WHEN)

    plan = make_plan()
    (plans / "2026-Q1-危化.yaml").write_text(dump_yaml(plan, PLAN_HEADER), encoding="utf-8")
    # the plan's JSON Schema, named by the plan's first line: editors complete and check its keys
    (plans / SCHEMA_FILE).write_bytes(plan_schema_text().encode("utf-8"))


CALENDAR = """\
# 工作日历补充文件。chinesecalendar 已包含截至 2026 年的法定节假日和调休上班日；
# 这里可以补充或覆盖：
#   holidays: 额外的休息日（任意年份）
#   workdays: 额外的工作日（任意年份）
#   years:    整年声明（仅对 chinesecalendar 还没有数据的年份有效，如 2027 年），
#             该年周一至周五为工作日，holidays 中的日期除外，workdays 中的日期（调休上班）另计为工作日。
#             chinesecalendar 更新后已有该年数据时，以 chinesecalendar 为准，shuijie check 会提示不一致的日期。
# 例如，国务院办公厅公布 2027 年放假安排后，按通知逐日填写（以下仅为示意，须以正式通知为准；
# 调休上班日都是周六或周日）：
# years:
#   2027:
#     holidays: [2027-01-01, 2027-01-02, 2027-01-03,
#                2027-02-05, 2027-02-06, 2027-02-07, 2027-02-08, 2027-02-09, 2027-02-10, 2027-02-11, 2027-02-12,
#                2027-04-03, 2027-04-04, 2027-04-05,
#                2027-05-01, 2027-05-02, 2027-05-03, 2027-05-04, 2027-05-05,
#                2027-06-09,
#                2027-09-15,
#                2027-10-01, 2027-10-02, 2027-10-03, 2027-10-04, 2027-10-05, 2027-10-06, 2027-10-07]
#     workdays: [2027-01-31, 2027-02-20, 2027-05-08, 2027-09-26, 2027-10-09]
holidays: []
workdays: []
years: {}
"""

LISTS_HEADER = """\
# 本工作区允许的值（名录中的区域、行业、类型、风险等级、信用等级只能取这些值；
# 方案的 population、strata.where，人员的执法区域，事项的适用行业也按此检查）。
# Excel 名录的下拉列表由此生成。写错一个字（如“浉河”写成“浉河区”之外的写法）会被 shuijie check 指出并给出最接近的值。
"""

PLAN_HEADER = """\
# yaml-language-server: $schema=./plan.schema.json
# 抽查工作方案（第十条）：经批准后依据本方案开展工作。路径相对于本文件所在目录。
# 示例数据（虚构），由 scripts/make_example.py 生成。
# strata 按顺序匹配（先匹配者优先）；每层填写 ratio（比例，小数）或 count（户数）之一（第二十五条）。
# notice_date 须在检查开始日前至少 5 个工作日（第十一条），且不早于公开随机数产生之日 random_date（通知书写明抽中的对象）；
# team.size 2–5 人，至少 2 人具有执法资格（第十四条）。
"""


def main() -> None:
    example = ROOT / "shuijie" / "example"
    for sub in ("registries", "plans"):
        if (example / sub).exists():
            shutil.rmtree(example / sub)
    write_all(example)
    for sub in ("registries", "plans"):
        if (ROOT / sub).exists():
            shutil.rmtree(ROOT / sub)
        shutil.copytree(example / sub, ROOT / sub)
    print(f"wrote {example} and the repo-root copies registries/ plans/")


if __name__ == "__main__":
    main()
