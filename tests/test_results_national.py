"""Results as the national system takes them, through the CLI on the example workspace (第十七、十九、二十六条).

The clerk fills the round's working copy 结果录入表.xlsx where it lies (verify stays green),
several outcomes for one object and item results, imports with ``shuijie results ROUND``,
publish is refused until ``shuijie review --approve``; every bad row exits 2 naming the row.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import fill_results_sheet
from test_end_to_end import drawn_template, round_dir, run, ws  # noqa: F401 (fixtures)

from shuijie.papers.publication_sheet import build_publication_workbook
from shuijie.papers.rows import ID_CARD_RE, MOBILE_RE
from shuijie.papers.xlsx import to_bytes
from shuijie.store.rounds import load_round


def fill_in_place(ws: Path, edit=None) -> Path:
    rd = round_dir(ws)
    wb, s, cols = fill_results_sheet(rd)
    s.cell(row=2, column=cols["检查结果"]).value = "发现问题经责令已改正"          # a platform's spelling
    s.cell(row=2, column=cols["检查结果（二）"]).value = "未按规定公示应当公示的信息"
    s.cell(row=2, column=cols["发现问题情况"]).value = "储罐区未设置警示标识"
    s.cell(row=2, column=cols["核查方式"]).value = "实地检查、书面检查"
    s.cell(row=2, column=cols["是否立案"]).value = "是"
    s.cell(row=2, column=cols["立案号"]).value = "信应急立〔2026〕3号"
    s.cell(row=2, column=cols["后续处置措施"]).value = "责令限期整改"
    s.cell(row=2, column=cols["是否完结"]).value = "否"
    items = wb["逐项检查情况"]
    icols = {c.value: c.column for c in items[1]}
    items.cell(row=2, column=icols["是否符合"]).value = "不符合"
    items.cell(row=2, column=icols["发现问题情况"]).value = "未设警示标识"
    items.cell(row=3, column=icols["是否符合"]).value = "符合"
    if edit:
        edit(s, cols, items, icols)
    wb.save(rd / "结果录入表.xlsx")  # in place: the clerk's working copy
    return rd


def test_fill_in_place_review_publish(ws, monkeypatch):
    rd = fill_in_place(ws)
    assert run("verify", str(rd))[0] == 0  # the filled working copy is not sealed
    monkeypatch.chdir(ws)
    # a file argument is resolved from the current folder; the round's copy is found by the hint
    code, doc = run("results", str(rd.relative_to(ws)), "结果录入表.xlsx")
    assert code == 2 and doc["problems"][0]["code"] == "results_file_in_round"
    code, doc = run("results", str(rd.relative_to(ws)), "--by", "张三", "--date", "2026-04-03")
    assert code == 0, doc
    warned = {p["code"] for p in doc["problems"]}
    assert warned == {"results_outcome_normalised"}
    stored = json.loads((rd / "results.json").read_text("utf-8"))["results"]
    first = json.loads((rd / "draw.json").read_text("utf-8"))["selected"][0]["object_id"]
    r1 = stored[first]
    assert r1["outcomes"] == ["未按规定公示应当公示的信息", "发现问题已责令改正"]  # national order and wording
    assert r1["methods"] == ["实地检查", "书面检查"] and r1["closed"] is False and r1["followup"] == "责令限期整改"
    assert sorted(v["compliant"] for v in r1["items"].values()) == ["不符合", "符合"]
    history = json.loads((rd / "results" / "import-001.json").read_text("utf-8"))
    assert history["source_sha256"] == hashlib.sha256((rd / "结果录入表.xlsx").read_bytes()).hexdigest()
    assert history["by"] == "张三" and history["date"] == "2026-04-03"

    code, st = run("status", "rounds", "--today", "2026-04-06")
    r = st["rounds"][0]
    assert r["review"] == "pending" and r["open_followups"] == 1 and r["cases"] == 1
    code, doc = run("publish", str(rd), "--date", "2026-04-06")
    assert code == 2 and doc["problems"][0]["code"] == "publish_not_approved_pending"
    assert not (rd / "公示表（结果）.xlsx").exists()
    code, doc = run("review", str(rd), "--return", "--by", "李四", "--reason", "第2行请补充整改期限",
                    "--date", "2026-04-06")
    assert code == 0 and doc["state"] == "returned"
    assert run("status", "rounds", "--today", "2026-04-06")[1]["rounds"][0]["review"] == "returned"
    code, doc = run("publish", str(rd), "--date", "2026-04-06")
    assert code == 2 and doc["problems"][0]["code"] == "publish_not_approved_returned"
    code, doc = run("review", str(rd), "--approve", "--by", "李四", "--date", "2026-04-07")
    assert code == 0 and doc["state"] == "approved"
    code, doc = run("publish", str(rd), "--date", "2026-04-08")
    assert code == 0, doc
    assert doc["review"]["by"] == "李四"
    reviews = sorted((rd / "results").glob("review-*.json"))
    assert [json.loads(p.read_text("utf-8"))["decision"] for p in reviews] == ["returned", "approved"]
    assert run("verify", str(rd))[0] == 0
    code, st = run("status", "rounds", "--today", "2026-04-09")
    assert st["rounds"][0]["stage"] == "published" and st["rounds"][0]["review"] == "approved"
    code, summ = run("summary", str(rd))
    assert [f["object_id"] for f in summ["summary"]["open_followups"]] == [first]
    assert [c["case_no"] for c in summ["summary"]["cases"]] == ["信应急立〔2026〕3号"]

    g = openpyxl.load_workbook(rd / "公示表（结果）.xlsx")["国家企业信用信息公示系统"]
    row = [c.value for c in g[2]]
    assert row[5] == "定向" and row[8] == first and row[10] == "未按规定公示应当公示的信息；发现问题已责令改正"
    items = openpyxl.load_workbook(rd / "公示表（结果）.xlsx")["公示系统·检查事项结果"]
    assert [c.value for c in items[2]][3:] == [first, items.cell(row=2, column=5).value, "不符合"]
    # nothing published holds an ID-card or phone number
    for rel in json.loads((rd / "publication.json").read_text("utf-8"))["published_files"]:
        path = rd / rel
        if path.suffix == ".xlsx":
            text = "\n".join(str(c.value) for s in openpyxl.load_workbook(path).worksheets
                             for r in s.iter_rows() for c in r if c.value is not None)
        else:
            text = path.read_text("utf-8")
        assert not ID_CARD_RE.search(text) and not MOBILE_RE.search(text), rel


def _set(sheet: str, row: int, header: str, value):
    def edit(s, cols, items, icols):
        target, c = (s, cols) if sheet == "main" else (items, icols)
        target.cell(row=row, column=c[header]).value = value
    return edit


@pytest.mark.parametrize("edit, code, row, column", [
    (_set("main", 2, "检查结果（二）", "未发现问题"), "results_outcome_mixed", 2, "检查结果"),
    (_set("main", 3, "检查结果", "基本合格"), "results_outcome_unknown", 3, "检查结果"),
    (_set("main", 2, "是否完结", "是"), "results_closed_date_missing", 2, "完结日期"),
    (_set("main", 4, "实际检查人员", "不存在的人"), "results_inspector_unknown", 4, "实际检查人员"),
    (_set("main", 4, "核查方式", "电话询问"), "results_method_unknown", 4, "核查方式"),
])
def test_bad_rows_exit_2_with_the_row(ws, edit, code, row, column):
    rd = fill_in_place(ws, edit)
    rc, doc = run("results", str(rd))
    errors = [p for p in doc["problems"] if p["code"] != "results_outcome_normalised"]
    assert rc == 2 and [(p["code"], p["row"], p["column"]) for p in errors] == [(code, row, column)]
    assert not (rd / "results.json").exists()


def test_item_not_compliant_under_no_problem(ws):
    def edit(s, cols, items, icols):
        for h in ("检查结果", "检查结果（二）", "发现问题情况", "是否立案", "立案号", "后续处置措施", "是否完结"):
            s.cell(row=2, column=cols[h]).value = None
        s.cell(row=2, column=cols["检查结果"]).value = "未发现问题"
        s.cell(row=2, column=cols["是否立案"]).value = "否"
    rd = fill_in_place(ws, edit)
    rc, doc = run("results", str(rd))
    assert rc == 2
    assert [(p["code"], p["row"]) for p in doc["problems"]] == [("results_item_contradicts", 2)]


def test_inspecting_unit_and_check_type_from_the_plan(ws):
    rd = round_dir(ws)
    record, w = load_round(rd)
    plan2 = w.plan.model_copy(update={"inspecting_unit": "信阳市应急管理局危险化学品安全监督管理科",
                                      "check_type": "不定向", "task_no": "T-7", "task_name": "一季度危化抽查"})
    wb = openpyxl.load_workbook(io.BytesIO(to_bytes(build_publication_workbook(dataclasses.replace(w, plan=plan2), record, {}))))
    row = [c.value for c in wb["国家企业信用信息公示系统"][2]]
    assert row[1:7] == [w.plan.id, w.plan.title, "T-7", "一季度危化抽查", "不定向",
                        "信阳市应急管理局危险化学品安全监督管理科"]


def test_the_blank_working_copy_is_not_an_unchanged_import(ws):
    rd = round_dir(ws)
    rc, doc = run("results", str(rd))
    assert rc == 2 and [p["code"] for p in doc["problems"]] == ["results_sheet_empty"]
    assert not (rd / "results.json").exists()
