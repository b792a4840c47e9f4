"""Results sheet (结果录入表), its validation, the 公示表 and the summary, on a hand-built round.

第十六、十九、二十五、二十六条.  The workspace and draw record here are built in code
(the contract shape of draw.json), so these tests do not depend on the draw.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest

from shuijie.core.calendar import WorkCalendar
from shuijie.core.errors import InputError
from shuijie.core.ids import is_id_card_number as is_id_card
from shuijie.core.models import Expert, Inspector, Item, Object, Plan
from shuijie.core.objects import ObjectTable
from shuijie.core.workspace import Workspace
from shuijie.papers.entry_sheet import ENTRY_HEADERS, write_entry_sheet
from shuijie.papers.publication_sheet import (
    build_publication_workbook,
    write_publication_sheet,
)
from shuijie.papers.rows import BLANK_PUBLICATION_FILE, ENTRY_FILE, scrub
from shuijie.papers.xlsx import to_bytes
from shuijie.registries.outcomes import DEFAULT_OUTCOMES, load_outcomes
from shuijie.stages.results import parse_date, parse_results_sheet
from shuijie.stages.summary import build_summary, summary_files
from shuijie.store.rounds import ENTRY_ORIGINAL

PERSON = "411502198001010010"
IDS = ["91411503MA40000039", "91411502MA4000002P", PERSON, "91411502MA40000077"]
DATES = ["2026-02-26", "2026-02-27", "2026-02-28", "2026-03-02"]
ID_CARD_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
PHONE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)|(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")


def make_round(tmp_path: Path, outcomes_yaml: str | None = None) -> tuple[Workspace, dict]:
    reg = tmp_path / "registries"
    reg.mkdir(parents=True, exist_ok=True)
    (reg / "items.yaml").write_text("[]\n", encoding="utf-8")
    if outcomes_yaml is not None:
        (reg / "outcomes.yaml").write_text(outcomes_yaml, encoding="utf-8")
    plan = Plan.model_validate({
        "id": "2026-Q1-test", "title": "2026年第一季度危险化学品抽查", "doc_no": "信应急〔2026〕5号",
        "unit": "信阳市应急管理局", "approved_by": "王局长", "approved_on": "2026-02-10",
        "registries": {"items": "../registries/items.yaml", "objects": "x", "inspectors": "y"},
        "items": ["I01", "I02", "I03"], "strata": [{"name": "高风险", "ratio": "0.5"}, {"name": "一般", "count": 2}],
        "window": {"start": "2026-02-26", "end": "2026-03-06"}, "notice_date": "2026-02-13",
        "public_random_source": "福彩3D",
        "contact": {"name": "李四", "phone": "0376-6221234"},
    })
    items = [Item(id="I01", name="安全生产责任制落实情况", basis="《安全生产法》第二十二条", content="责任制"),
             Item(id="I02", name="危险化学品储存情况", basis="《危险化学品安全管理条例》", content="储存",
                  industries=["危险化学品"]),
             Item(id="I03", name="应急预案", basis="《生产安全事故应急条例》", content="预案")]
    def obj(i, name, area, industry, risk, phone):
        return Object(id=i, name=name, address="信阳市某路1号", principal="张三", phone=phone, area=area,
                      industry=industry, risk=risk)
    objects = [obj(IDS[0], "信阳甲化工有限公司", "平桥区", "危险化学品", "较大风险", "13812345678"),
               obj(IDS[1], "信阳乙加油站", "浉河区", "危险化学品", "重大风险", "0376-6123456"),
               obj(PERSON, "王五（个体）", "浉河区", "工贸", "一般风险", "13900001111"),
               obj(IDS[3], "信阳丁商贸有限公司", "浉河区", "工贸", "低风险", "15000002222"),
               obj("91411503MA4000004C", "未抽中公司", "平桥区", "工贸", "低风险", "")]
    inspectors = [Inspector(id=f"J00{k}", name=n, gender="男", title="科员", cert_no=f"豫41150{k}", unit="局机关",
                            can_lead=(k == 1)) for k, n in ((1, "赵一"), (2, "钱二"), (3, "孙三"))]
    experts = [Expert(id="X01", name="周专家", specialties=["危险化学品"], phone="13700003333")]
    ws = Workspace(plan=plan, plan_path=tmp_path / "plans" / "p.yaml", items=items,
                   objects=ObjectTable.from_records(objects),
                   inspectors=inspectors, experts=experts, calendar=WorkCalendar(),
                   files={"items": reg / "items.yaml"})
    record = {
        "algorithm": "shuijie-draw/1", "plan_id": plan.id,
        "selected": [{"object_id": o, "stratum": "高风险" if k < 2 else "一般", "ticket": "00", "date": d}
                     for k, (o, d) in enumerate(zip(IDS, DATES))],
        "teams": [{"object_id": o, "date": d, "inspectors": ["J002", "J001", "J003"], "leader": "J001",
                   "experts": ["X01"] if k == 0 else []} for k, (o, d) in enumerate(zip(IDS, DATES))],
    }
    return ws, record


def fill(path: Path, rows: dict[int, dict[str, object]], items: dict[int, dict[str, object]] | None = None) -> Path:
    """Fill the sheet as a clerk would: rows keyed by Excel row, values by header."""
    wb = openpyxl.load_workbook(path)
    s = wb["检查结果"]
    cols = {s.cell(row=1, column=c).value: c for c in range(1, s.max_column + 1)}
    for r, values in rows.items():
        for h, v in values.items():
            s.cell(row=r, column=cols[h]).value = v
    if items:
        s2 = wb["逐项检查情况"]
        cols2 = {s2.cell(row=1, column=c).value: c for c in range(1, s2.max_column + 1)}
        for r, values in items.items():
            for h, v in values.items():
                s2.cell(row=r, column=cols2[h]).value = v
    out = path.parent.parent / "filled.xlsx"  # outside the round folder, as a clerk's download
    wb.save(out)
    return out


GOOD = {
    2: {"检查日期": dt.datetime(2026, 2, 26), "检查结果": "发现问题已责令改正", "发现问题情况": "储罐区未设置警示标识",
        "是否立案": "是", "立案号": "信应急立〔2026〕3号"},
    3: {"检查日期": "2026年2月27日", "检查结果": "未发现问题", "是否立案": "否"},
    4: {"检查日期": "2026/2/28", "检查结果": "通过登记的住所(经营场所)无法联系"},
    5: {"检查日期": dt.datetime(2026, 3, 9), "检查结果": "未发现问题", "备注": "因企业停产检修顺延至3月9日"},
}


@pytest.fixture
def drawn(tmp_path):
    ws, record = make_round(tmp_path)
    dest = tmp_path / "round"
    dest.mkdir()
    paths = write_entry_sheet(dest, ws, record)
    return ws, record, dest, paths


def test_entry_sheet_layout(drawn):
    ws, record, dest, paths = drawn
    assert paths == [dest / ENTRY_FILE, dest / ENTRY_ORIGINAL]  # working copy, sealed blank original
    assert paths[0].read_bytes() == paths[1].read_bytes()
    wb = openpyxl.load_workbook(paths[0])
    s = wb["检查结果"]
    assert tuple(c.value for c in s[1]) == ENTRY_HEADERS
    assert [s.cell(row=r, column=2).value for r in range(2, 6)] == IDS
    assert all(s.cell(row=r, column=2).data_type == "s" for r in range(2, 6))  # ids stay text
    assert s.cell(row=2, column=5).value == "2026-02-26"
    col = {h: openpyxl.utils.get_column_letter(i) for i, h in enumerate(ENTRY_HEADERS, start=1)}
    # 实际检查人员 pre-filled with the drawn team's inspectors, leader first
    assert s[f"{col['实际检查人员']}2"].value == "赵一、钱二、孙三"
    assert s.max_row == 5
    # drop-downs: outcomes (three columns) from the hidden options sheet, 是否立案/是否完结 是/否
    opts = wb["选项"]
    assert opts.sheet_state == "hidden"
    assert [opts.cell(row=i, column=1).value for i in range(1, 14)] == [o.name for o in DEFAULT_OUTCOMES]
    dvs = {str(dv.sqref): dv for dv in s.data_validations.dataValidation}
    for h in ("检查结果", "检查结果（二）", "检查结果（三）"):
        assert dvs[f"{col[h]}2:{col[h]}55"].formula1 == "'选项'!$A$1:$A$13"
        assert dvs[f"{col[h]}2:{col[h]}55"].showErrorMessage
    assert dvs[f"{col['是否立案']}2:{col['是否立案']}55"].formula1 == '"是,否"'
    assert dvs[f"{col['是否完结']}2:{col['是否完结']}55"].formula1 == '"是,否"'
    methods = dvs[f"{col['核查方式']}2:{col['核查方式']}55"]
    assert methods.formula1 == "'选项'!$D$1:$D$6" and not methods.showErrorMessage  # several may be typed
    assert [opts.cell(row=i, column=4).value for i in range(1, 7)] == [
        "实地检查", "书面检查", "行政部门检查结果或专业意见", "检验检测", "网络监测", "委托专业机构辅助"]
    # sheet 2: object x applicable item (I02 only for 危险化学品)
    s2 = wb["逐项检查情况"]
    pairs = [(s2.cell(row=r, column=2).value, s2.cell(row=r, column=4).value) for r in range(2, s2.max_row + 1)]
    assert pairs == [(IDS[0], "I01"), (IDS[0], "I02"), (IDS[0], "I03"), (IDS[1], "I01"), (IDS[1], "I02"),
                     (IDS[1], "I03"), (PERSON, "I01"), (PERSON, "I03"), (IDS[3], "I01"), (IDS[3], "I03")]


def test_entry_sheet_is_reproducible(drawn, tmp_path):
    ws, record, dest, paths = drawn
    other = tmp_path / "again"
    other.mkdir()
    again = write_entry_sheet(other, ws, record)
    assert again[0].read_bytes() == paths[0].read_bytes()


def test_custom_outcomes_file(tmp_path):
    ws, record = make_round(tmp_path, "outcomes:\n  - 未发现问题\n  - name: 存在隐患\n    problem: true\n"
                                      "risk_levels: [低风险, 一般风险, 较大风险, 重大风险]\n")
    ol = load_outcomes(ws)
    assert ol.names == ["未发现问题", "存在隐患"]
    assert ol.find("存在隐患").raise_risk
    dest = tmp_path / "r"
    dest.mkdir()
    wb = openpyxl.load_workbook(write_entry_sheet(dest, ws, record)[0])
    assert [c.value for c in wb["选项"]["A"]][:3] == ["未发现问题", "存在隐患", None]
    dv = wb["检查结果"].data_validations.dataValidation[0]
    assert dv.formula1 == "'选项'!$A$1:$A$2"


def test_bad_outcomes_file(tmp_path):
    ws, _ = make_round(tmp_path, "outcomes: 未发现问题\n")
    with pytest.raises(InputError) as exc:
        load_outcomes(ws)
    assert exc.value.problems[0].code == "outcomes_file_bad"


def test_parse_good_sheet(drawn):
    ws, record, dest, paths = drawn
    f = fill(paths[0], GOOD, items={2: {"是否符合": "不符合", "发现问题情况": "未设警示标识"},
                                   3: {"是否符合": "符合"}})
    res = parse_results_sheet(f, ws, record)
    assert sorted(res) == sorted(IDS)
    assert res[IDS[0]] == {"date": "2026-02-26", "outcomes": ["发现问题已责令改正"], "findings": "储罐区未设置警示标识",
                           "methods": [], "inspectors": ["J001", "J002", "J003"], "followup": "",
                           "closed": None, "closed_on": None,
                           "filed": True, "case_no": "信应急立〔2026〕3号", "note": "",
                           "items": {"I01": {"compliant": "不符合", "findings": "未设警示标识"},
                                     "I02": {"compliant": "符合", "findings": ""}}}
    assert res[IDS[1]]["date"] == "2026-02-27"
    assert res[PERSON]["outcomes"] == ["通过登记的住所（经营场所）无法联系"]  # ASCII brackets accepted
    assert res[PERSON]["filed"] is False
    assert res[IDS[3]]["date"] == "2026-03-09"  # outside the window, explained in 备注


def test_a_sheet_stating_a_wrong_size_is_read_whole(drawn, tmp_path):
    """The importer reads the sheet as it streams by (openpyxl read-only): a workbook whose
    <dimension> understates the used range (some programs write A1, or nothing) still gives
    every row and column, as Excel shows them."""
    import re
    import zipfile

    ws, record, dest, paths = drawn
    f = fill(paths[0], GOOD, items={2: {"是否符合": "不符合", "发现问题情况": "未设警示标识"},
                                   3: {"是否符合": "符合"}})
    expected = parse_results_sheet(f, ws, record)
    for ref in (b'<dimension ref="A1"/>', b'<dimension ref="B2:C3"/>', b""):
        wrong = tmp_path / f"wrong-{len(ref)}.xlsx"
        with zipfile.ZipFile(f) as src, zipfile.ZipFile(wrong, "w", zipfile.ZIP_DEFLATED) as out:
            for info in src.infolist():
                data = src.read(info)
                if info.filename.startswith("xl/worksheets/sheet"):
                    data, n = re.subn(rb"<dimension [^>]*/>", ref, data)
                    assert n == 1
                out.writestr(info, data)
        assert parse_results_sheet(wrong, ws, record) == expected


def test_partial_sheet(drawn):
    ws, record, dest, paths = drawn
    f = fill(paths[0], {3: GOOD[3]})
    assert list(parse_results_sheet(f, ws, record)) == [IDS[1]]


@pytest.mark.parametrize("rows, code, row, column", [
    ({2: {"统一社会信用代码": "91411500MA0000000X", **GOOD[3]}}, "results_unknown_object", 2, "统一社会信用代码"),
    ({2: {**GOOD[3], "检查结果": "基本合格"}}, "results_outcome_unknown", 2, "检查结果"),
    ({3: {**GOOD[3], "是否立案": "是"}}, "results_case_no_missing", 3, "立案号"),
    ({4: {**GOOD[3], "检查日期": "2026-02-30"}}, "results_date_bad", 4, "检查日期"),
    ({4: {**GOOD[3], "检查日期": "2月27"}}, "results_date_bad", 4, "检查日期"),
    ({5: {**GOOD[3], "检查日期": dt.datetime(2026, 3, 20)}}, "results_date_outside", 5, "检查日期"),
    ({2: {**GOOD[3], "检查日期": "=DATE(2026,2,27)"}}, "results_formula", 2, "检查日期"),
    ({3: {**GOOD[3], "是否立案": "否", "立案号": "X1"}}, "results_case_no_unfiled", 3, "是否立案"),
    ({2: {**GOOD[2], "发现问题情况": None}}, "results_findings_missing", 2, "发现问题情况"),
    ({3: {"检查结果": "未发现问题"}}, "results_date_missing", 3, "检查日期"),
    ({3: {"统一社会信用代码": IDS[0], **GOOD[3]}, 2: GOOD[2]}, "results_duplicate_object", 3, "统一社会信用代码"),
])
def test_bad_rows(drawn, rows, code, row, column):
    ws, record, dest, paths = drawn
    f = fill(paths[0], rows)
    with pytest.raises(InputError) as exc:
        parse_results_sheet(f, ws, record)
    found = [(p.code, p.row, p.column) for p in exc.value.problems]
    assert (code, row, column) in found, found


def test_blank_row_in_the_middle(drawn):
    ws, record, dest, paths = drawn
    wb = openpyxl.load_workbook(paths[0])
    s = wb["检查结果"]
    s.insert_rows(4)
    for r, values in {2: GOOD[2], 3: GOOD[3], 6: GOOD[5]}.items():
        for h, v in values.items():
            s.cell(row=r, column=ENTRY_HEADERS.index(h) + 1).value = v
    f = paths[0].with_name("blank.xlsx")
    wb.save(f)
    with pytest.raises(InputError) as exc:
        parse_results_sheet(f, ws, record)
    assert [(p.code, p.row) for p in exc.value.problems] == [("results_blank_row", 4)]


def test_every_problem_reported_at_once(drawn):
    ws, record, dest, paths = drawn
    f = fill(paths[0], {2: {**GOOD[2], "检查结果": "合格"}, 3: {**GOOD[3], "检查日期": "昨天"},
                        4: {**GOOD[3], "是否立案": "是"}})
    with pytest.raises(InputError) as exc:
        parse_results_sheet(f, ws, record)
    assert sorted(p.row for p in exc.value.problems) == [2, 3, 4]


def test_item_rows_need_a_result(drawn):
    ws, record, dest, paths = drawn
    f = fill(paths[0], {2: GOOD[2]}, items={5: {"是否符合": "不符合"}, 3: {"是否符合": "合格"}})
    with pytest.raises(InputError) as exc:
        parse_results_sheet(f, ws, record)
    assert sorted((p.code, p.row) for p in exc.value.problems) == [
        ("results_compliance_bad", 3), ("results_item_without_result", 5)]


def test_unreadable_workbook(drawn, tmp_path):
    ws, record, dest, paths = drawn
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(InputError) as exc:
        parse_results_sheet(bad, ws, record)
    assert exc.value.problems[0].code == "results_xlsx_unreadable"
    ole = tmp_path / "enc.xlsx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(InputError):
        parse_results_sheet(ole, ws, record)


@pytest.mark.parametrize("text, expected", [
    ("2026-03-02", dt.date(2026, 3, 2)), ("2026/3/2", dt.date(2026, 3, 2)), ("2026.03.02", dt.date(2026, 3, 2)),
    ("2026年3月2日", dt.date(2026, 3, 2)), ("20260302", dt.date(2026, 3, 2)), (20260302, dt.date(2026, 3, 2)),
    (dt.datetime(2026, 3, 2, 0, 0), dt.date(2026, 3, 2)), ("2026-13-01", None), ("3月2日", None), (46083.0, None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_publication_blank_and_filled(drawn, tmp_path):
    ws, record, dest, paths = drawn
    blank = write_publication_sheet(dest, ws, record)
    assert blank == [dest / BLANK_PUBLICATION_FILE]
    s = openpyxl.load_workbook(blank[0])["抽查结果公示"]
    # 抽查事项 differs between objects here (a column); 公开文号 stands once above the table
    h = next(r for r in range(1, 10) if s.cell(row=r, column=1).value == "序号")
    assert [c.value for c in s[h]] == ["序号", "抽查事项", "检查对象名称（姓名）",
                                       "统一社会信用代码（身份证号码）", "检查时间", "检查人员", "执法证号", "检查结果"]
    assert s.cell(row=h - 1, column=1).value.startswith("公开文号：")
    assert s.cell(row=h + 1, column=5).value in (None, "") and s.cell(row=h + 1, column=8).value in (None, "")
    f = fill(paths[0], GOOD)
    res = parse_results_sheet(f, ws, record)
    wb = openpyxl.load_workbook(io.BytesIO(to_bytes(
        build_publication_workbook(ws, record, res, published_on=dt.date(2026, 3, 20), only_with_results=True))))
    s = wb["抽查结果公示"]
    h = next(r for r in range(1, 10) if s.cell(row=r, column=1).value == "序号")
    assert s.cell(row=h - 1, column=1).value.endswith("公示日期：2026年3月20日")
    row = [c.value for c in s[h + 3]]  # the natural person, 3rd drawn
    assert row[2] == "王五（个体）" and row[3] == "411502********0010"
    assert row[4] == "2026年2月28日" and row[7] == "通过登记的住所（经营场所）无法联系"
    assert [c.value for c in s[h + 1]][5:7] == ["赵一\n钱二\n孙三", "豫411501\n豫411502\n豫411503"]
    g = wb["国家企业信用信息公示系统"]
    assert [c.value for c in g[1]] == ["序号", "抽查计划编号", "抽查计划名称", "抽查任务编号", "抽查任务名称", "抽查类型",
                                       "检查实施机关", "市场主体名称", "统一社会信用代码/注册号", "抽查完成日期", "检查结果"]
    task = ["2026-Q1-test", "2026年第一季度危险化学品抽查"] * 2
    assert [c.value for c in g[2]] == [1, *task, "不定向", "信阳市应急管理局", "信阳甲化工有限公司", IDS[0], "2026-02-26",
                                       "发现问题已责令改正"]
    # the natural person is not there (keyed by ID number): on the by-name sheet, without any number
    assert [c.value for c in g["I"]][1:] == [IDS[0], IDS[1], IDS[3]]
    n = wb["公示系统·按名称录入"]
    assert [c.value for c in n[2]][:4] == [1, "王五（个体）", "2026-02-28", "通过登记的住所（经营场所）无法联系"]
    assert not any(PERSON[:6] in str(c.value) for row in n.iter_rows() for c in row)
    for sheet in wb.worksheets:
        for r in sheet.iter_rows():
            for c in r:
                text = "" if c.value is None else str(c.value)
                assert not ID_CARD_RE.search(text) and not PHONE_RE.search(text), text


def test_scrub_free_text():
    assert is_id_card(PERSON) and not is_id_card(IDS[0])
    s = scrub(f"联系人王五 {PERSON} 电话13812345678 或 0376-6221234")
    assert not ID_CARD_RE.search(s) and not PHONE_RE.search(s)
    assert "王五" in s


def test_summary_counts_and_risk_file(drawn):
    ws, record, dest, paths = drawn
    f = fill(paths[0], GOOD, items={2: {"是否符合": "不符合", "发现问题情况": "x"}})
    res = parse_results_sheet(f, ws, record)
    summary = build_summary(ws, record, res, load_outcomes(ws))
    assert summary["by_outcome"]["未发现问题"] == 2 and summary["by_outcome"]["发现问题已责令改正"] == 1
    assert summary["by_outcome"]["不配合检查情节严重"] == 0
    assert summary["by_stratum"]["高风险"] == {"drawn": 2, "checked": 2, "problems": 1, "filed": 1}
    assert summary["by_area"]["浉河区"]["drawn"] == 3
    assert summary["by_item"]["I01"]["不符合"] == 1 and summary["by_item"]["I01"]["checked"] == 4
    assert summary["by_item"]["I02"]["checked"] == 2
    assert [x["object_id"] for x in summary["flagged"]] == [IDS[0]]
    # 较大风险 -> 重大风险 (filed); the unreachable person 一般风险 -> 较大风险
    assert [(x["object_id"], x["risk_from"], x["risk_to"]) for x in summary["raise_risk"]] == [
        (IDS[0], "较大风险", "重大风险"), (PERSON, "一般风险", "较大风险")]
    files = summary_files(ws, summary)
    out = dest / "风险等级调整建议.xlsx"
    out.write_bytes(files["风险等级调整建议.xlsx"])
    s = openpyxl.load_workbook(out).active
    headers = [c.value for c in s[1]]
    assert headers[:4] == ["统一社会信用代码", "名称", "地址", "负责人"] and "风险等级" in headers
    r2 = {h: c.value for h, c in zip(headers, s[2])}
    assert r2["统一社会信用代码"] == IDS[0] and r2["风险等级"] == "重大风险" and "第二十五条" in r2["备注"]
    assert s.max_row == 3
