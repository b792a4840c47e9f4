"""Writing the quarterly plan (第十条) without knowing YAML: docs/plan.md covers every key, the
JSON Schema, ``plan new`` (flags, answers on stdin, a pseudo-terminal), ``plan next``, and
messages that name strata by their names."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from shuijie.cli import app
from shuijie.core.models import Plan
from shuijie.core.rules.deadlines import notify_by
from shuijie.registries.calendar_file import load_calendar
from shuijie.registries.check import check_plan
from shuijie.registries.init import init_workspace
from shuijie.registries.plan_tools import (
    SCHEMA_LINE,
    plan_keys,
    plan_schema,
    plan_schema_text,
)
from shuijie.stages.plan_new import earliest_start, quarter_end, workspace_choices

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_PLAN = "2026-Q1-危化.yaml"
runner = CliRunner()


@pytest.fixture()
def ws(tmp_path: Path) -> Path:
    init_workspace(tmp_path / "ws", yaml=True)
    return tmp_path / "ws"


def _cli(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The command as a script runs it: a child process, stdin not a terminal."""
    return subprocess.run([sys.executable, "-m", "shuijie", *args], cwd=cwd, capture_output=True, text=True,
                          input=stdin if stdin is not None else "", env=_env())


def _env() -> dict[str, str]:
    import os
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO)
    env["COLUMNS"] = "200"
    return env


def _check_codes(path: Path) -> list[str]:
    _, problems = check_plan(path)
    return [p.code for p in problems]


# ---------------------------------------------------------------- docs/plan.md


def test_docs_mention_every_key_of_the_plan_model():
    text = (REPO / "docs" / "plan.md").read_text("utf-8")
    keys = plan_keys()
    assert len(keys) > 40 and "team.size_reason" in keys and "strata.where" in keys
    missing = [k for k in keys if f"`{k}`" not in text]
    assert missing == [], f"docs/plan.md does not document: {missing}"


def test_docs_annotated_example_is_a_plan_that_passes_check(ws: Path):
    text = (REPO / "docs" / "plan.md").read_text("utf-8")
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert block.startswith(SCHEMA_LINE)
    path = ws / "plans" / "docs-example.yaml"
    path.write_text(block, "utf-8")
    # the annotated example reads the objects registry as Excel (as the repo's example plan does)
    shutil.copy(REPO / "shuijie" / "example" / "registries" / "objects.xlsx", ws / "registries" / "objects.xlsx")
    assert _check_codes(path) == []


# ---------------------------------------------------------------- the schema


def _objects(node):
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            yield node
        for v in node.values():
            yield from _objects(v)
    elif isinstance(node, list):
        for v in node:
            yield from _objects(v)


def test_schema_closes_every_object_level():
    schema = plan_schema()
    objects = list(_objects(schema))
    assert len(objects) >= 10
    for node in objects:
        if "properties" in node:  # a record of the plan: no key but its own
            assert node["additionalProperties"] is False, node.get("title")
        else:  # population / where: keys are object fields only
            assert set(node["propertyNames"]["enum"]) >= {"area", "industry", "risk", "credit"}
            assert "id" not in node["propertyNames"]["enum"]
    # Chinese descriptions on the keys, from the model
    assert "第十一条" in schema["properties"]["notice_date"]["description"]
    assert schema["$defs"]["Schedule"]["properties"]["group_by"]["anyOf"][0]["const"] == "area"


def _as_json(path: Path) -> dict:
    return json.loads(json.dumps(yaml.safe_load(path.read_text("utf-8")), default=str, ensure_ascii=False))


def test_schema_validates_the_example_plan_and_rejects_misspelt_keys():
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(plan_schema())
    plan = _as_json(REPO / "shuijie" / "example" / "plans" / EXAMPLE_PLAN)
    assert list(validator.iter_errors(plan)) == []
    plan["team"]["sise"] = 3
    plan["doc_num"] = "x"
    plan["population"]["industy"] = ["危险化学品经营"]
    plan["strata"][0]["ratio"] = "1.5"
    errors = list(validator.iter_errors(plan))
    text = " ".join(e.message for e in errors)
    assert "sise" in text and "doc_num" in text and "industy" in text and "1.5" in text
    assert len(errors) == 4


def test_the_model_refuses_a_misspelt_key_and_check_names_it(ws: Path):
    with pytest.raises(Exception, match="extra_forbidden|Extra inputs"):
        Plan.model_validate({**_as_json(ws / "plans" / EXAMPLE_PLAN), "notice_data": "2026-02-24"})
    path = ws / "plans" / EXAMPLE_PLAN
    path.write_text(path.read_text("utf-8").replace("  size: 3\n", "  sise: 3\n"), "utf-8")
    _, problems = check_plan(path)
    assert [(p.code, p.column) for p in problems] == [("key_unknown", "team.sise")]


def test_init_writes_the_schema_and_the_example_plan_names_it(ws: Path):
    schema = ws / "plans" / "plan.schema.json"
    assert schema.read_bytes() == plan_schema_text().encode("utf-8")
    assert (REPO / "shuijie" / "example" / "plans" / "plan.schema.json").read_bytes() == schema.read_bytes()
    assert (ws / "plans" / EXAMPLE_PLAN).read_text("utf-8").splitlines()[0] == SCHEMA_LINE
    r = runner.invoke(app, ["plan", "schema"])
    assert r.exit_code == 0 and r.stdout == plan_schema_text()


# ---------------------------------------------------------------- plan new

FLAGS = [
    "--set", "title=2026年第三季度烟花爆竹经营单位“双随机、一公开”抽查",
    "--set", "doc_no=信应急〔2026〕21号", "--set", "unit=信阳市应急管理局",
    "--set", "approved_by=信阳市应急管理局局长办公会", "--set", "approved_on=2026-07-01",
    "--set", "items=AQ-01、AQ-02", "--set", "population.industry=烟花爆竹经营",
    "--set", "strata.高风险.where.risk=高、较高", "--set", "strata.高风险.count=2",
    "--set", "strata.一般.ratio=0.3",
    "--set", "window.start=2026-08-10", "--set", "window.end=2026-08-28", "--set", "notice_date=2026-08-03",
    "--set", "public_random_source=中国福利彩票“福彩3D”第2026200期开奖号码",
]


def test_plan_new_from_flags_only_writes_a_commented_plan_that_passes_check(ws: Path):
    r = _cli("plan", "new", "plans/2026-Q3-烟花.yaml", *FLAGS, "--json", cwd=ws)
    doc = json.loads(r.stdout)
    assert r.returncode == 0, doc
    path = ws / "plans" / "2026-Q3-烟花.yaml"
    text = path.read_text("utf-8")
    assert text.splitlines()[0] == SCHEMA_LINE
    assert "# 告知日期：须在检查开始日前至少 5 个工作日（第十一条）\nnotice_date: 2026-08-03\n" in text
    data = yaml.safe_load(text)
    assert data["id"] == "2026-Q3-烟花"  # from the file name
    assert data["registries"]["objects"] == "../registries/objects.yaml"
    assert data["strata"] == [{"name": "高风险", "where": {"risk": ["高", "较高"]}, "count": 2},
                              {"name": "一般", "ratio": "0.3"}]
    assert _check_codes(path) == []
    assert _cli("check", str(path), cwd=ws).returncode == 0


def test_plan_new_from_an_existing_plan_and_a_bad_flag(ws: Path):
    r = _cli("plan", "new", "plans/b.yaml", "--from", f"plans/{EXAMPLE_PLAN}", "--set", "id=2026-Q1-b",
             "--set", "team.sise=3", "--set", "oops", cwd=ws)
    assert r.returncode == 2 and "team.sise" in r.stderr and "oops" in r.stderr
    assert not (ws / "plans" / "b.yaml").exists()
    r = _cli("plan", "new", "plans/b.yaml", "--from", f"plans/{EXAMPLE_PLAN}", "--set", "id=2026-Q1-b",
             "--set", "strata.高风险.ratio=0.4", cwd=ws)
    assert r.returncode == 0, r.stderr
    data = yaml.safe_load((ws / "plans" / "b.yaml").read_text("utf-8"))
    assert data["strata"][0]["ratio"] == "0.4" and data["id"] == "2026-Q1-b"
    example = yaml.safe_load((ws / "plans" / EXAMPLE_PLAN).read_text("utf-8"))
    assert data["window"] == example["window"] and data["notice_date"] == example["notice_date"]


def test_plan_new_never_overwrites(ws: Path):
    path = ws / "plans" / EXAMPLE_PLAN
    before = path.read_bytes()
    r = _cli("plan", "new", str(path), "--from", str(path), cwd=ws)
    assert r.returncode == 2 and "已经存在" in r.stderr
    assert path.read_bytes() == before


def test_plan_new_missing_values_write_nothing_and_list_every_one(ws: Path):
    r = _cli("plan", "new", "plans/c.yaml", "--json", cwd=ws)
    doc = json.loads(r.stdout)
    assert r.returncode == 2
    assert {p["column"] for p in doc["problems"]} >= {"title", "unit", "items", "strata", "window", "notice_date"}
    assert not (ws / "plans" / "c.yaml").exists()


def _answers(ws: Path) -> list[str]:
    """Answers to every question of ``plan new`` for a plan with no ``--from``, in order."""
    choices = workspace_choices(ws / "plans" / "x.yaml", {
        "items": "../registries/items.yaml", "objects": "../registries/objects.yaml",
        "inspectors": "../registries/inspectors.yaml", "experts": "../registries/experts.yaml",
        "calendar": "../registries/calendar.yaml"})
    fields = list(choices.values)
    item_ids = [i.id for i in choices.items]

    def num(values: list[str], *picked: str) -> str:
        return ",".join(str(values.index(v) + 1) for v in picked)

    return [
        "",                                   # id: the file name
        "2026年第三季度工贸企业“双随机、一公开”抽查",
        "信应急(2026)30号",                    # refused: 〔〕 expected ...
        "信应急〔2026〕30号",                  # ... asked again
        "信阳市应急管理局", "信阳市应急管理局局长办公会", "2026-07-01",
        num(item_ids, "AQ-01", "GM-01"),
        num(fields, "industry"), num(choices.values["industry"], "工贸"),
        "高风险", num(fields, "risk"), num(choices.values["risk"], "高", "较高"), "2", "y",
        "其余", "", "0.25",                   # the last stratum: no field
        "0",                                  # cooldown
        "2026-08-03",                         # notice
        "",                                   # start: the proposed earliest
        "",                                   # end: four working weeks
        "3", "2", "1", "",                    # team
        "",                                   # pool units: all
        "0",                                  # experts
        "1",                                  # group by area
        "中国福利彩票“福彩3D”第2026210期开奖号码",
        "2026-07-30",                         # random_date: before the notice
        "营业执照、安全管理制度", "主要负责人", "工贸科", "0376-6200000", "信阳市",
    ]


def test_plan_new_stops_cleanly_when_the_answers_run_out(ws: Path, monkeypatch):
    monkeypatch.chdir(ws)
    r = runner.invoke(app, ["plan", "new", "plans/short.yaml", "--ask"], input="\n".join(_answers(ws)[:5]) + "\n")
    assert r.exit_code == 2 and "未写入任何文件" in r.output + (r.stderr if r.stderr_bytes else "")
    assert not (ws / "plans" / "short.yaml").exists()


def test_plan_new_asks_and_proposes_the_earliest_start(ws: Path, monkeypatch):
    monkeypatch.chdir(ws)
    answers = _answers(ws)
    r = runner.invoke(app, ["plan", "new", "plans/2026-Q3-工贸.yaml", "--ask"], input="\n".join(answers) + "\n")
    assert r.exit_code == 0, r.output
    assert "〔〕" in r.output  # the malformed 文号 was explained, then asked again
    data = yaml.safe_load((ws / "plans" / "2026-Q3-工贸.yaml").read_text("utf-8"))
    cal = load_calendar(ws / "registries" / "calendar.yaml")
    start = earliest_start(cal, dt.date(2026, 8, 3))
    assert start == dt.date(2026, 8, 10) and notify_by(cal, start) == dt.date(2026, 8, 3)
    assert data["window"]["start"] == start
    assert len(cal.workdays_between(start, data["window"]["end"])) == 20
    assert data["items"] == ["AQ-01", "GM-01"] and data["population"] == {"industry": ["工贸"]}
    assert data["strata"] == [{"name": "高风险", "where": {"risk": ["高", "较高"]}, "count": 2},
                              {"name": "其余", "ratio": "0.25"}]
    assert data["doc_no"] == "信应急〔2026〕30号" and data["schedule"] == {"group_by": "area"}
    assert _check_codes(ws / "plans" / "2026-Q3-工贸.yaml") == []


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_plan_new_on_a_terminal(ws: Path):
    pexpect = pytest.importorskip("pexpect")
    answers = _answers(ws)
    child = pexpect.spawn(sys.executable, ["-m", "shuijie", "plan", "new", "plans/2026-Q3-工贸.yaml"],
                          cwd=str(ws), env=_env(), encoding="utf-8", timeout=30)
    child.expect("方案编号")
    child.sendline(answers[0])
    for a in answers[1:]:
        child.expect(r": $")
        child.sendline(a)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    path = ws / "plans" / "2026-Q3-工贸.yaml"
    assert yaml.safe_load(path.read_text("utf-8"))["window"]["start"] == dt.date(2026, 8, 10)
    assert _check_codes(path) == []


def test_earliest_start_leaves_five_working_days_after_any_notice():
    cal = load_calendar(REPO / "registries" / "calendar.yaml")
    d = dt.date(2026, 1, 1)
    while d < dt.date(2026, 12, 1):
        start = earliest_start(cal, d)
        assert cal.is_workday(start) and notify_by(cal, start) >= d
        before = cal.add_workdays(start, -1)
        assert before <= d or notify_by(cal, before) < d
        d += dt.timedelta(days=1)


# ---------------------------------------------------------------- plan next


def test_plan_next_moves_the_plan_to_the_next_quarter(ws: Path):
    r = _cli("plan", "next", f"plans/{EXAMPLE_PLAN}", "--json", cwd=ws)
    doc = json.loads(r.stdout)
    assert r.returncode == 0, doc
    path = ws / "plans" / "2026-Q2-危化.yaml"
    assert doc["path"] == str(Path("plans") / "2026-Q2-危化.yaml")
    old = yaml.safe_load((ws / "plans" / EXAMPLE_PLAN).read_text("utf-8"))
    new = yaml.safe_load(path.read_text("utf-8"))
    assert new["id"] == "2026-Q2-危化" and "第二季度" in new["title"] and "第一季度" not in new["title"]
    assert new["doc_no"] == "" and new["approved_by"] == "" and new["approved_on"] is None
    cal = load_calendar(ws / "registries" / "calendar.yaml")
    w, w0 = new["window"], old["window"]
    assert dt.date(2026, 4, 1) <= new["notice_date"] < w["start"] <= w["end"] <= dt.date(2026, 6, 30)
    assert len(cal.workdays_between(w["start"], w["end"])) == len(cal.workdays_between(w0["start"], w0["end"]))
    same_offset = len(cal.workdays_between(dt.date(2026, 4, 1), w["start"])) == \
        len(cal.workdays_between(dt.date(2026, 1, 4), w0["start"]))  # Sunday 1-04: a make-up working day
    # the same offset from the quarter's first working day, unless that would run past the quarter:
    # then the window ends on its last working day (Q2 has more holidays than Q1)
    assert same_offset or w["end"] == quarter_end(cal, 2026, 2) == dt.date(2026, 6, 30)
    before = len(cal.workdays_between(old["notice_date"], w0["start"]))  # the same distance before the window
    assert len(cal.workdays_between(new["notice_date"], w["start"])) == before
    assert len(cal.workdays_between(new["random_date"], w["start"])) == \
        len(cal.workdays_between(old["random_date"], w0["start"]))
    for k in ("strata", "items", "population", "team", "experts", "materials", "registries"):
        assert new[k] == old[k], k
    changed = {c["key"]: (c["old"], c["new"]) for c in doc["changes"]}
    assert changed["window.start"] == (w0["start"].isoformat(), w["start"].isoformat())
    assert sorted(_check_codes(path)) == ["plan_approved_on_missing", "plan_approver_missing",
                                          "plan_doc_no_missing"]
    text = path.read_text("utf-8")
    text = text.replace("doc_no: ''", "doc_no: 信应急〔2026〕15号").replace(
        "approved_by: ''", "approved_by: 局长办公会").replace("approved_on:", "approved_on: 2026-05-06", 1)
    path.write_text(text, "utf-8")
    assert _check_codes(path) == []
    assert _cli("plan", "next", f"plans/{EXAMPLE_PLAN}", cwd=ws).returncode == 2  # never overwrites


def test_plan_next_into_a_year_the_calendar_does_not_know(ws: Path):
    src = ws / "plans" / "2026-Q4-危化.yaml"
    text = (ws / "plans" / EXAMPLE_PLAN).read_text("utf-8")
    old = yaml.safe_load(text)
    moved = {old["window"]["start"]: "2026-11-09", old["window"]["end"]: "2026-11-27",
             old["notice_date"]: "2026-10-30", old["random_date"]: "2026-10-29"}
    for before, after in moved.items():
        assert before.isoformat() in text
        text = text.replace(before.isoformat(), after)
    src.write_text(text.replace("id: 2026-Q1-危化", "id: 2026-Q4-危化"), "utf-8")
    r = _cli("plan", "next", str(src), "--json", cwd=ws)
    doc = json.loads(r.stdout)
    assert r.returncode == 2
    assert [p["code"] for p in doc["problems"]] == ["date_unknown"]
    assert "calendar.yaml" in doc["problems"][0]["message"] and "2027" in doc["problems"][0]["message"]
    assert not (ws / "plans" / "2027-Q1-危化.yaml").exists()
    cal = ws / "registries" / "calendar.yaml"
    cal.write_text(cal.read_text("utf-8").replace("years: {}", "years:\n  2027:\n    holidays: [2027-01-01]"),
                   "utf-8")
    r = _cli("plan", "next", str(src), "--json", cwd=ws)
    assert r.returncode == 0, r.stdout
    new = yaml.safe_load((ws / "plans" / "2027-Q1-危化.yaml").read_text("utf-8"))
    assert new["title"].startswith("2027年第一季度")
    assert dt.date(2027, 1, 1) < new["notice_date"] < new["window"]["start"] < new["window"]["end"] < \
        dt.date(2027, 4, 1)


# ---------------------------------------------------------------- strata by name in messages


def test_messages_name_strata_by_their_names(ws: Path):
    path = ws / "plans" / EXAMPLE_PLAN
    text = path.read_text("utf-8")
    path.write_text(text.replace("ratio: '0.2'", "ratio: '1.5'").replace("    - C\n", "    - Z\n"), "utf-8")
    _, problems = check_plan(path)
    columns = {p.column for p in problems}
    assert "strata「一般」.ratio" in columns and "strata「信用较差」.where.credit" in columns
    assert not any(c and "strata." in c and c.split(".")[1].isdigit() for c in columns)
    path.write_text(text.replace("count: 2", "count: 两户"), "utf-8")
    _, problems = check_plan(path)
    assert [(p.code, p.column) for p in problems] == [("int_invalid", "strata「信用较差」.count")]
