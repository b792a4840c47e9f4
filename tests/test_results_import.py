"""Storing imported results and publishing (第十七、十九条), on a hand-built round.

``shuijie.rounds`` (load_round / add_files) is replaced by a small stand-in that
follows the contract, so these tests exercise the import logic itself: every
import kept, differences need --replace, an identical re-import stores nothing,
a bad sheet leaves the round byte for byte unchanged.  The end-to-end test runs
the real round writer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from test_results_core import GOOD, IDS, PERSON, fill, make_round

from shuijie.core.errors import InputError
from shuijie.papers.entry_sheet import write_entry_sheet
from shuijie.stages import publish as publish_stage
from shuijie.stages import results as results_stage
from shuijie.stages import status as status_stage
from shuijie.stages import summary as summary_stage
from shuijie.stages.publish import publish
from shuijie.stages.results import import_results
from shuijie.stages.review import review
from shuijie.stages.status import round_status
from shuijie.stages.summary import write_summary


def snapshot_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def fake_round(tmp_path, monkeypatch):
    ws, record = make_round(tmp_path)
    rd = tmp_path / "rounds" / ws.plan.id
    rd.mkdir(parents=True)
    (rd / "draw.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    write_entry_sheet(rd, ws, record)

    def add_files(round_dir: Path, files: dict[str, bytes]) -> None:
        for rel, data in files.items():
            p = Path(round_dir) / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
        manifest = {str(p.relative_to(round_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
                    for p in sorted(Path(round_dir).rglob("*")) if p.is_file() and p.name != "manifest.json"}
        (Path(round_dir) / "manifest.json").write_text(json.dumps({"files": manifest}, sort_keys=True))

    for stage in (results_stage, publish_stage, summary_stage):  # the round store, faked
        if hasattr(stage, "add_files"):
            monkeypatch.setattr(stage, "add_files", add_files)
        monkeypatch.setattr(stage, "load_round", lambda round_dir: (record, ws))
    # status reads only draw.json and the plan (and calendar) kept in inputs/
    assert not hasattr(status_stage, "load_round")
    (rd / "inputs").mkdir()
    (rd / "inputs" / "p.yaml").write_text(
        yaml.safe_dump(ws.plan.model_dump(mode="json", exclude_none=True), allow_unicode=True), encoding="utf-8")
    (rd / "inputs" / "index.json").write_text('{"plan": "p.yaml"}', encoding="utf-8")
    return ws, record, rd


def test_import_store_history_and_noop(fake_round):
    ws, record, rd = fake_round
    f = fill(rd / "结果录入表.xlsx", {2: GOOD[2], 3: GOOD[3]})
    res = import_results(rd, f)
    assert res.status == "stored" and res.number == 1 and res.added == [IDS[0], IDS[1]]
    assert res.missing == [PERSON, IDS[3]] and res.results_date == "2026-02-27"
    stored = json.loads((rd / "results.json").read_text(encoding="utf-8"))
    assert stored["results_date"] == "2026-02-27" and sorted(stored["results"]) == sorted(IDS[:2])
    assert (rd / "results" / "import-001.xlsx").read_bytes() == f.read_bytes()
    hist = json.loads((rd / "results" / "import-001.json").read_text(encoding="utf-8"))
    assert hist["added"] == [IDS[0], IDS[1]] and hist["source_name"] == "filled.xlsx"
    manifest = json.loads((rd / "manifest.json").read_text())["files"]
    assert manifest["results.json"] == hashlib.sha256((rd / "results.json").read_bytes()).hexdigest()

    before = snapshot_bytes(rd)
    again = import_results(rd, f)
    assert again.status == "unchanged" and snapshot_bytes(rd) == before

    # the rest arrives later: added without --replace, results date moves on
    f2 = fill(rd / "结果录入表.xlsx", {4: GOOD[4], 5: GOOD[5]})
    res2 = import_results(rd, f2)
    assert res2.number == 2 and res2.added == [PERSON, IDS[3]] and res2.missing == []
    assert res2.results_date == "2026-03-09"


def test_changed_result_needs_replace(fake_round):
    ws, record, rd = fake_round
    import_results(rd, fill(rd / "结果录入表.xlsx", {3: GOOD[3]}))
    before = snapshot_bytes(rd)
    changed = fill(rd / "结果录入表.xlsx", {3: {**GOOD[3], "检查结果": "未发现开展本次抽查涉及的经营活动"}})
    with pytest.raises(InputError) as exc:
        import_results(rd, changed)
    p = exc.value.problems[0]
    assert p.code == "results_would_change" and p.params["field"] == "outcomes"
    assert p.params["before"] == ["未发现问题"]
    assert snapshot_bytes(rd) == before
    res = import_results(rd, changed, replace=True)
    assert res.status == "stored" and res.changed[0]["after"] == ["未发现开展本次抽查涉及的经营活动"]
    stored = json.loads((rd / "results.json").read_text(encoding="utf-8"))
    assert stored["results"][IDS[1]]["outcomes"] == ["未发现开展本次抽查涉及的经营活动"]
    assert (rd / "results" / "import-001.json").is_file() and (rd / "results" / "import-002.json").is_file()


def test_bad_sheet_leaves_round_unchanged(fake_round):
    ws, record, rd = fake_round
    import_results(rd, fill(rd / "结果录入表.xlsx", {3: GOOD[3]}))
    before = snapshot_bytes(rd)
    bad = fill(rd / "结果录入表.xlsx", {2: {**GOOD[2], "立案号": None}, 4: GOOD[4]})
    with pytest.raises(InputError):
        import_results(rd, bad)
    assert snapshot_bytes(rd) == before


def test_publish_refuses_missing_then_partial_then_late(fake_round):
    ws, record, rd = fake_round
    import_results(rd, fill(rd / "结果录入表.xlsx", {2: GOOD[2], 3: GOOD[3]}))
    with pytest.raises(InputError) as exc:
        publish(rd, date=dt.date(2026, 3, 10))
    assert {p.code for p in exc.value.problems} == {"publish_not_approved_pending"}  # 第十九条: reviewed first
    review(rd, approve=True, by="李四", date=dt.date(2026, 3, 10))
    with pytest.raises(InputError) as exc:
        publish(rd, date=dt.date(2026, 3, 10))
    assert {p.code for p in exc.value.problems} == {"publish_missing"}
    assert len(exc.value.problems) == 2
    doc = publish(rd, partial=True, date=dt.date(2026, 3, 10))
    assert doc["partial"] and doc["left_out"] == [PERSON, IDS[3]] and doc["late_by"] == 0
    s = openpyxl.load_workbook(rd / "公示表（结果）.xlsx")["抽查结果公示"]
    h = next(r for r in range(1, 10) if s.cell(row=r, column=1).value == "序号")  # below the title lines
    assert s.max_row == h + 2 and s.cell(row=h - 1, column=1).value.endswith("公示日期：2026年3月10日")
    # everything in; results date 2026-03-09 -> publish by 2026-04-07 (清明 4-4..4-6)
    import_results(rd, fill(rd / "结果录入表.xlsx", GOOD))
    with pytest.raises(InputError) as exc:  # new results: pending again
        publish(rd, date=dt.date(2026, 4, 9))
    assert {p.code for p in exc.value.problems} == {"publish_not_approved_pending"}
    review(rd, approve=True, by="李四", date=dt.date(2026, 4, 9))
    doc = publish(rd, date=dt.date(2026, 4, 9))
    assert doc["publish_by"] == "2026-04-07" and doc["late_by"] == 2 and not doc["partial"]
    pub = json.loads((rd / "publication.json").read_text(encoding="utf-8"))
    assert pub["date"] == "2026-04-09" and pub["late_by"] == 2
    assert (rd / "results" / "publish-001.json").is_file() and (rd / "results" / "publish-002.json").is_file()
    before = snapshot_bytes(rd)
    assert publish(rd, date=dt.date(2026, 4, 9))["status"] == "unchanged"
    assert snapshot_bytes(rd) == before
    st = round_status(rd, dt.date(2026, 4, 10))
    assert st.stage == "published" and st.published_late_by == 2 and st.overdue["publish"]


def test_summary_command_core_writes_files(fake_round):
    ws, record, rd = fake_round
    import_results(rd, fill(rd / "结果录入表.xlsx", GOOD))
    summary = write_summary(rd)
    assert summary["checked"] == 4
    assert (rd / "检查结果汇总.xlsx").is_file() and (rd / "风险等级调整建议.xlsx").is_file()
    wb = openpyxl.load_workbook(rd / "检查结果汇总.xlsx")
    assert dict((r[0].value, r[1].value) for r in wb["按检查结果"].iter_rows(min_row=2))["未发现问题"] == 2


def test_status_stages_over_time(fake_round):
    ws, record, rd = fake_round
    # notice 2026-02-13; first day 02-26 -> notify by 2026-02-13 (Spring Festival 02-15..02-23, 02-14 make-up day)
    st = round_status(rd, dt.date(2026, 2, 12))
    assert st.stage == "drawn" and st.notify_by == ws.calendar.add_workdays(dt.date(2026, 2, 26), -5).isoformat()
    assert round_status(rd, dt.date(2026, 2, 20)).stage == "notified"
    st = round_status(rd, dt.date(2026, 3, 3))
    assert st.stage == "checked" and st.archive_by == "2026-03-11" and not st.overdue["archive"]
    st = round_status(rd, dt.date(2026, 3, 12))
    assert st.overdue["archive"]  # no results 7 working days after the last check
    import_results(rd, fill(rd / "结果录入表.xlsx", GOOD))
    st = round_status(rd, dt.date(2026, 3, 12))
    assert st.stage == "results_in" and st.publish_by == "2026-04-07" and not st.overdue["archive"]
    assert round_status(rd, dt.date(2026, 4, 8)).overdue["publish"]
    assert not round_status(rd, dt.date(2026, 4, 7)).overdue["publish"]
    (rd / "void.json").write_text("{}")
    assert round_status(rd, dt.date(2026, 4, 8)).stage == "void"
    with pytest.raises(InputError) as exc:
        import_results(rd, fill(rd / "结果录入表.xlsx", GOOD))
    assert exc.value.problems[0].code == "round_void"
