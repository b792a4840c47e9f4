"""rounds.py and the CLI: commit, draw, verify, void; atomic, locked, never overwritten."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import SPEC_VECTORS
from test_snapshot import INSPECTORS, OBJECTS
from typer.testing import CliRunner

from shuijie.cli import app
from shuijie.core.draw import SNAPSHOT_FILES
from shuijie.core.errors import InputError, VerifyError
from shuijie.stages import draw_round
from shuijie.stages.verify import verify as verify_round
from shuijie.store import rounds

RANDOM = ["2026-02-25 dice: 3 1 4 1 5 9"]
runner = CliRunner()


def write_workspace(root: Path, plan_id: str = "2026-Q1-example", **plan_over) -> Path:
    """A YAML workspace with the spec vector's content; returns the plan path."""
    reg = root / "registries"
    reg.mkdir(parents=True, exist_ok=True)
    (root / "plans").mkdir(exist_ok=True)
    items = [{"id": "WH-01", "name": "危险化学品企业安全生产条件检查", "basis": "《危险化学品安全管理条例》",
              "target": "危险化学品生产经营单位", "content": "安全生产许可条件落实情况", "method": "实地检查"}]
    objects = [{"id": oid, "name": f"信阳{oid[-4:]}化工有限公司", "address": f"信阳市{area}工业路{n}号",
                "principal": "张三", "phone": "0376-6000000", "area": area, "industry": "危险化学品", "risk": risk}
               for n, (oid, area, risk) in enumerate(OBJECTS, start=1)]
    insp = []
    for pid, ut, q, lead, areas in INSPECTORS:
        rec = {"id": pid, "name": f"检查员{pid}", "gender": "男", "title": "科员", "cert_no": f"豫A{pid}",
               "unit": "信阳市应急管理局", "unit_type": ut, "qualified": q, "can_lead": lead, "areas": areas}
        insp.append(rec)
    insp[4]["recusals"] = [{"object_id": "91411502MA4000001L", "reason": "worked"}]
    insp[0]["recusals"] = [{"object_id": "91411502MA4000002P", "reason": "interest"}]
    experts = [
        {"id": "X01", "name": "专家一", "specialties": ["危险化学品"],
         "recusals": [{"object_id": "91411503MA40000039", "reason": "part_time"}]},
        {"id": "X02", "name": "专家二", "specialties": ["危险化学品", "工贸"]},
        {"id": "X03", "name": "专家三", "specialties": ["非煤矿山"]},
    ]
    for name, data in (("items", items), ("objects", objects), ("inspectors", insp), ("experts", experts)):
        (reg / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    plan = {
        "id": plan_id, "title": "2026年第一季度危险化学品双随机抽查", "doc_no": "信应急〔2026〕5号",
        "unit": "信阳市应急管理局", "approved_by": "李局长", "approved_on": "2026-02-02",
        "registries": {"items": "../registries/items.yaml", "objects": "../registries/objects.yaml",
                       "inspectors": "../registries/inspectors.yaml", "experts": "../registries/experts.yaml"},
        "items": ["WH-01"], "population": {"industry": ["危险化学品"]},
        "strata": [{"name": "高风险", "where": {"risk": ["高"]}, "ratio": "0.5"}, {"name": "一般", "count": 2}],
        "window": {"start": "2026-02-26", "end": "2026-03-02"}, "notice_date": "2026-02-12",
        "team": {"size": 3, "min_qualified": 2, "max_per_day": 1},
        "experts": {"per_team": 1, "specialties": ["危险化学品"], "max_per_day": 1},
        "schedule": {"group_by": "area"}, "public_random_source": "2026-02-25 在纪检人员见证下当众掷骰子",
        "rounds_dir": "../rounds",
    }
    plan.update(plan_over)
    path = root / "plans" / f"{plan_id}.yaml"
    path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.fixture
def ws_plan(tmp_path: Path) -> Path:
    return write_workspace(tmp_path / "ws")


def round_of(plan: Path, plan_id: str = "2026-Q1-example") -> Path:
    return plan.parent.parent / "rounds" / plan_id


def cli(*args: str) -> tuple[int, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.output


def test_commit_then_draw_reproduces_spec_vector_and_verifies(ws_plan):
    expected = json.loads((SPEC_VECTORS / "example-round" / "expected-draw.json").read_text("utf-8"))
    code, out = cli("commit", str(ws_plan), "--json")
    assert code == 0, out
    doc = json.loads(out)
    assert doc["commitment"] == expected["commitment"]
    assert "掷骰子" in doc["public_random_source"]
    rd = round_of(ws_plan)
    assert sorted(os.listdir(rd / "snapshot")) == sorted(SNAPSHOT_FILES)
    for name in SNAPSHOT_FILES:
        assert (rd / "snapshot" / name).read_bytes() == (SPEC_VECTORS / "example-round" / "snapshot" / name).read_bytes()
    assert not (rd / "draw.json").exists()

    code, out = cli("draw", str(ws_plan), "--random", RANDOM[0], "--json")
    assert code == 0, out
    record = json.loads((rd / "draw.json").read_text("utf-8"))
    for key in ("commitment", "seed", "strata", "selected"):
        assert record[key] == expected[key]
    assert [{k: t[k] for k in expected["teams"][0]} for t in record["teams"]] == expected["teams"]
    assert record["committed_separately"] is True and record["unmatched"] == 0
    assert json.loads(out)["seed"] == expected["seed"]
    # inputs/ keeps byte copies of plan and registries
    index = json.loads((rd / "inputs" / "index.json").read_text("utf-8"))
    assert index["plan"] == ws_plan.name
    assert (rd / "inputs" / index["objects"]).read_bytes() == (ws_plan.parent.parent / "registries" / "objects.yaml").read_bytes()
    # manifest: every file but itself, with its sha256
    manifest = json.loads((rd / "manifest.json").read_text("utf-8"))["files"]
    assert sorted(manifest) == sorted(rounds.sealed_files(rd))  # all but itself and the working copy
    assert "结果录入表.xlsx" not in manifest and "原件/结果录入表（空白）.xlsx" in manifest
    code, out = cli("verify", str(rd))
    assert code == 0, out


def test_draw_without_commit_says_so_and_matches(tmp_path):
    a = write_workspace(tmp_path / "a")
    b = write_workspace(tmp_path / "b")
    draw_round.commit(a)
    draw_round.draw(a, RANDOM)
    draw_round.draw(b, RANDOM)
    ra, rb = (json.loads((round_of(p) / "draw.json").read_text("utf-8")) for p in (a, b))
    assert ra["committed_separately"] is True and rb["committed_separately"] is False
    rb["committed_separately"] = True
    assert ra == rb
    assert (round_of(a) / "commitment.json").read_bytes() == (round_of(b) / "commitment.json").read_bytes()


def test_two_runs_identical_bytes(tmp_path):
    a = write_workspace(tmp_path / "a")
    b = write_workspace(tmp_path / "b")
    draw_round.draw(a, RANDOM)
    draw_round.draw(b, RANDOM)
    fa, fb = rounds.list_files(round_of(a)), rounds.list_files(round_of(b))
    assert fa == fb
    for rel in fa:
        assert (round_of(a) / rel).read_bytes() == (round_of(b) / rel).read_bytes(), rel


def test_round_never_redrawn(ws_plan):
    draw_round.draw(ws_plan, RANDOM)
    before = (round_of(ws_plan) / "draw.json").read_bytes()
    code, out = cli("draw", str(ws_plan), "--random", "other", "--json")
    assert code == 2 and json.loads(out)["problems"][0]["code"] == "round_drawn"
    code, _ = cli("commit", str(ws_plan))
    assert code == 2
    assert (round_of(ws_plan) / "draw.json").read_bytes() == before


def test_draw_refuses_when_registry_changed_after_commit(ws_plan):
    draw_round.commit(ws_plan)
    rd = round_of(ws_plan)
    files_before = {rel: (rd / rel).read_bytes() for rel in rounds.list_files(rd)}
    reg = ws_plan.parent.parent / "registries" / "inspectors.yaml"
    data = yaml.safe_load(reg.read_text("utf-8"))
    data[6]["can_lead"] = True  # J003 made a leader after the commitment
    reg.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(InputError) as exc:
        draw_round.draw(ws_plan, RANDOM)
    p = exc.value.problems[0]
    assert p.code == "commit_changed" and p.params["files"] == "inspectors.csv"
    assert "inspectors.csv" in p.message("zh")
    code, _ = cli("draw", str(ws_plan), "--random", RANDOM[0])
    assert code == 2
    assert {rel: (rd / rel).read_bytes() for rel in rounds.list_files(rd)} == files_before
    # a non-snapshot change (a phone number) is fine: the commitment covers the snapshot only
    reg.write_text(yaml.safe_dump(yaml.safe_load(reg.read_text("utf-8")) and [
        {**d, "can_lead": False} if d["id"] == "J003" else d for d in data], allow_unicode=True), "utf-8")
    draw_round.draw(ws_plan, RANDOM)


def test_random_required_and_not_blank(ws_plan):
    code, out = cli("draw", str(ws_plan), "--json")
    assert code == 2 and json.loads(out)["problems"][0]["code"] == "random_required"
    code, out = cli("draw", str(ws_plan), "--random", "  ", "--json")
    assert code == 2 and json.loads(out)["problems"][0]["code"] == "random_blank"
    assert not round_of(ws_plan).exists()


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    i = len(data) // 2
    data[i] = data[i] ^ 0x01
    path.write_bytes(bytes(data))


def test_one_changed_byte_in_population_is_named(ws_plan):
    draw_round.draw(ws_plan, RANDOM)
    rd = round_of(ws_plan)
    pop = rd / "snapshot" / "population.csv"
    pop.write_bytes(pop.read_bytes().replace(b"91411503MA4000006J", b"91411503MA4000006K"))
    code, out = cli("verify", str(rd), "--json")
    assert code == 1
    doc = json.loads(out)
    assert "snapshot/population.csv" in doc["differs"]
    code, out = cli("verify", str(rd))
    assert code == 1 and "snapshot/population.csv" in out


def test_every_file_of_the_round_is_checked(tmp_path):
    plan = write_workspace(tmp_path / "ws")
    draw_round.draw(plan, RANDOM)
    rd = round_of(plan)
    files = rounds.sealed_files(rd)  # the clerk's working copy 结果录入表.xlsx is not sealed
    assert len(files) > 20
    for rel in files:  # one changed byte in every file at once: each is named
        _flip(rd / rel)
    with pytest.raises(VerifyError) as exc:
        verify_round(rd)
    named = {p.file for p in exc.value.problems}
    assert set(files) <= named, set(files) - named
    for rel in files:
        _flip(rd / rel)  # flip back
    verify_round(rd)
    _flip(rd / "manifest.json")
    with pytest.raises(VerifyError) as exc:
        verify_round(rd)
    assert exc.value.problems


def test_verify_draws_again_in_a_child_with_the_same_findings(ws_plan, monkeypatch):
    """At scale verify draws again (3.) in a forked child while it rebuilds the snapshot from
    inputs/ (4.): a speed trick that finds the same differences, in the same order."""
    from shuijie.core import forking
    from shuijie.stages import verify as V

    if not forking.can_fork():
        pytest.skip("this machine cannot fork (or has one core): both runs would be serial")
    draw_round.draw(ws_plan, RANDOM)
    rd = round_of(ws_plan)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    monkeypatch.setenv(V.VERIFY_WORKER_ENV, "1")
    verify_round(rd)
    assert forks == [1]
    record = rd / "draw.json"
    record.write_bytes(record.read_bytes().replace(b'"J002"', b'"J003"', 1))
    objects = next(p for p in (rd / "inputs").iterdir() if p.name.startswith("objects"))
    _flip(objects)
    found = {}
    for switch in ("1", "0"):
        monkeypatch.setenv(V.VERIFY_WORKER_ENV, switch)
        with pytest.raises(VerifyError) as exc:
            verify_round(rd)
        found[switch] = [(p.code, p.file, p.params) for p in exc.value.problems]
    assert forks == [1, 1]
    assert found["1"] == found["0"]
    codes = [c for c, _, _ in found["1"]]
    assert codes.index("verify_record") < codes.index("verify_inputs")  # 3. before 4., as in one process
    monkeypatch.delenv(V.VERIFY_WORKER_ENV)
    assert V._record_beside({"population.csv": b"x" * V.VERIFY_WORKER_FROM})
    assert not V._record_beside({"population.csv": b"x" * (V.VERIFY_WORKER_FROM - 1)})


def test_verify_regenerates_the_papers_in_shared_memory_when_it_has_room(ws_plan, tmp_path, monkeypatch):
    from shuijie.stages import verify as V

    draw_round.draw(ws_plan, RANDOM)
    rd = round_of(ws_plan)
    files = rounds.sealed_files(rd)
    shm = tmp_path / "shm"
    shm.mkdir()
    monkeypatch.setattr(V, "SHARED_MEMORY", shm)
    for var in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.delenv(var, raising=False)
    assert V._scratch(rd, files) == str(shm)
    used = []
    real = V.tempfile.TemporaryDirectory
    monkeypatch.setattr(V.tempfile, "TemporaryDirectory", lambda **k: used.append(k.get("dir")) or real(**k))
    verify_round(rd)
    assert str(shm) in used and not any(shm.iterdir())  # used, and left empty
    size = sum((rd / rel).stat().st_size for rel in files)
    Usage = type(shutil.disk_usage(shm))
    monkeypatch.setattr(V.shutil, "disk_usage", lambda p: Usage(10 * size, 0, 2 * size))  # no room to spare
    assert V._scratch(rd, files) is None
    monkeypatch.setattr(V.shutil, "disk_usage", lambda p: Usage(10 * size, 0, 2 * size + (64 << 20)))
    assert V._scratch(rd, files) == str(shm)
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the user's choice of temporary folder wins
    assert V._scratch(rd, files) is None
    monkeypatch.delenv("TMPDIR")
    monkeypatch.setattr(V, "SHARED_MEMORY", tmp_path / "none")  # Windows, macOS
    assert V._scratch(rd, files) is None


def test_changes_are_found_even_with_a_rewritten_manifest(tmp_path):
    """Someone who also rewrites manifest.json is still caught by recomputation."""
    plan = write_workspace(tmp_path / "ws")
    draw_round.draw(plan, RANDOM)
    rd = round_of(plan)
    pristine = tmp_path / "pristine"
    shutil.copytree(rd, pristine)
    paper = next(f for f in rounds.list_files(rd) if f.endswith(".docx"))
    for rel, old, new in [("draw.json", b'"J002"', b'"J003"'),
                          ("snapshot/population.csv", b"91411503MA4000006J", b"91411503MA4000006K"),
                          ("commitment.json", b'"commitment": "25', b'"commitment": "26'),
                          (paper, None, None)]:
        shutil.rmtree(rd)
        shutil.copytree(pristine, rd)
        if old is None:
            _flip(rd / rel)
        else:
            data = (rd / rel).read_bytes()
            assert old in data, rel
            (rd / rel).write_bytes(data.replace(old, new, 1))
        (rd / "manifest.json").write_bytes(rounds.manifest_bytes(rd))
        with pytest.raises(VerifyError) as exc:
            verify_round(rd)
        assert rel in {p.file for p in exc.value.problems}, rel


def test_unlisted_and_missing_files_are_named(ws_plan):
    draw_round.draw(ws_plan, RANDOM)
    rd = round_of(ws_plan)
    (rd / "extra.txt").write_text("x")
    (rd / "inputs" / "index.json").unlink()
    with pytest.raises(VerifyError) as exc:
        verify_round(rd)
    named = {(p.code, p.file) for p in exc.value.problems}
    assert ("verify_unlisted", "extra.txt") in named and ("verify_missing", "inputs/index.json") in named


def test_infeasible_draw_exits_3_and_writes_nothing(ws_plan):
    text = ws_plan.read_text("utf-8").replace("size: 3", "size: 8\n  size_reason: 测试")
    ws_plan.write_text(text, "utf-8")
    code, out = cli("draw", str(ws_plan), "--random", RANDOM[0], "--json")
    assert code == 3, out
    p = json.loads(out)["problems"][0]
    assert p["code"] == "draw_infeasible_team" and "2026-02-26" in p["message"]
    rdir = ws_plan.parent.parent / "rounds"
    assert [n for n in os.listdir(rdir) if not n.endswith(".lock")] == []


def test_void_keeps_files_and_blocks_reuse(ws_plan):
    draw_round.draw(ws_plan, RANDOM)
    rd = round_of(ws_plan)
    code, out = cli("void", str(rd), "--json")
    assert code == 2 and json.loads(out)["problems"][0]["code"] == "void_reason_required"
    code, out = cli("void", str(rd), "--reason", "公开随机数来源有误")
    assert code == 0, out
    assert json.loads((rd / "void.json").read_text("utf-8"))["reason"] == "公开随机数来源有误"
    assert (rd / "draw.json").exists()
    verify_round(rd)  # void.json is in the manifest
    code, out = cli("draw", str(ws_plan), "--random", "x", "--json")
    assert code == 2 and json.loads(out)["problems"][0]["code"] == "round_voided"
    code, out = cli("void", str(rd), "--reason", "again", "--json")
    assert code == 2 and json.loads(out)["problems"][0]["code"] == "void_already"


def test_add_files_updates_manifest_and_protects_core(ws_plan):
    draw_round.draw(ws_plan, RANDOM)
    rd = round_of(ws_plan)
    rounds.add_files(rd, {"results/import-001.json": b'{"n": 1}\n'})
    manifest = json.loads((rd / "manifest.json").read_text("utf-8"))
    assert "results/import-001.json" in manifest["files"] and manifest["added"] == ["results/import-001.json"]
    verify_round(rd)
    for bad in ("draw.json", "snapshot/population.csv", "inputs/x.yaml", "../escape.txt", "/abs", "manifest.json"):
        with pytest.raises(InputError):
            rounds.add_files(rd, {bad: b"x"})
    assert not (rd.parent / "escape.txt").exists()
    record, ws = rounds.load_round(rd)
    assert record["plan_id"] == ws.plan.id == "2026-Q1-example"


def test_lock_refuses_a_second_command(ws_plan):
    rd = round_of(ws_plan)
    with rounds.round_lock(rd.parent, rd.name):
        code, out = cli("draw", str(ws_plan), "--random", RANDOM[0], "--json")
    assert code == 2 and json.loads(out)["problems"][0]["code"] == "round_busy"
    draw_round.draw(ws_plan, RANDOM)


def test_interrupted_swap_is_repaired(ws_plan):
    draw_round.commit(ws_plan)
    rd = round_of(ws_plan)
    # killed between "old aside" and "new in": the next command puts the old one back
    os.rename(rd, rd.with_name(f".{rd.name}.old-99999"))
    (rd.parent / f".{rd.name}.tmp-99999").mkdir()
    draw_round.draw(ws_plan, RANDOM)
    assert json.loads((rd / "draw.json").read_text("utf-8"))["committed_separately"] is True
    assert sorted(os.listdir(rd.parent)) == [f".{rd.name}.lock", rd.name]


def test_cooldown_across_rounds(tmp_path):
    root = tmp_path / "ws"
    a = write_workspace(root, "2025-Q4-例")
    draw_round.draw(a, RANDOM)
    drawn = [s["object_id"] for s in json.loads((round_of(a, "2025-Q4-例") / "draw.json").read_text("utf-8"))["selected"]]
    # the same dates are within 1 month before a window starting 2026-03-02
    b = write_workspace(root, "2026-Q1-b", cooldown=1,
                        window={"start": "2026-03-02", "end": "2026-03-06"}, notice_date="2026-02-13")
    draw_round.draw(b, RANDOM)
    rb = round_of(b, "2026-Q1-b")
    rec = json.loads((rb / "draw.json").read_text("utf-8"))
    assert sorted(c["object_id"] for c in rec["cooldown_excluded"]) == sorted(drawn)
    pop = (rb / "snapshot" / "population.csv").read_text("utf-8")
    assert not any(o in pop for o in drawn)
    # verify uses the recorded exclusions, not the other rounds
    shutil.rmtree(round_of(a, "2025-Q4-例"))
    verify_round(rb)


def _spawn_draw(plan: Path, pause: str) -> subprocess.Popen:
    env = dict(os.environ, SHUIJIE_FAULT_PAUSE=pause)
    return subprocess.Popen([sys.executable, "-m", "shuijie", "draw", str(plan), "--random", RANDOM[0], "--json"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_marker(proc: subprocess.Popen) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stderr.readline()
        if b"shuijie-fault-pause" in line or not line:
            return
    raise AssertionError("no pause marker")


def test_killed_draw_leaves_no_round_folder(ws_plan):
    proc = _spawn_draw(ws_plan, "papers:60")
    _wait_marker(proc)
    rdir = ws_plan.parent.parent / "rounds"
    assert any(n.startswith(".2026-Q1-example.tmp-") for n in os.listdir(rdir))  # killed mid-write
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (rdir / "2026-Q1-example").exists()
    draw_round.draw(ws_plan, RANDOM)  # the next run cleans the dead temp folder and draws
    assert sorted(os.listdir(rdir)) == [".2026-Q1-example.lock", "2026-Q1-example"]
    verify_round(rdir / "2026-Q1-example")


def test_concurrent_draws_give_one_round_and_one_refusal(ws_plan):
    first = _spawn_draw(ws_plan, "papers:3")
    _wait_marker(first)
    second = _spawn_draw(ws_plan, "")
    out2, _ = second.communicate(timeout=60)
    out1, _ = first.communicate(timeout=60)
    assert first.returncode == 0, out1
    # refused while the first holds the lock, or (a slow start under load) after it finished
    assert second.returncode == 2 and json.loads(out2)["problems"][0]["code"] in ("round_busy", "round_drawn")
    verify_round(round_of(ws_plan))


def _reorder(value, rnd, top_list: bool):
    if isinstance(value, dict):
        keys = list(value)
        rnd.shuffle(keys)
        return {k: _reorder(value[k], rnd, False) for k in keys}
    if isinstance(value, list) and top_list:
        value = list(value)
        rnd.shuffle(value)
    if isinstance(value, list):
        return [_reorder(v, rnd, False) for v in value]
    return value


@pytest.mark.parametrize("seed", [1, 2])
def test_shuffled_registry_rows_and_yaml_keys_change_no_byte(tmp_path, seed):
    import random
    rnd = random.Random(seed)
    a = write_workspace(tmp_path / "a")
    b = write_workspace(tmp_path / "b")
    for path in sorted((tmp_path / "b").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        # registry rows shuffled; every mapping's keys (plan and records) reordered
        path.write_text(yaml.safe_dump(_reorder(data, rnd, isinstance(data, list)), allow_unicode=True,
                                       sort_keys=False), "utf-8")
    assert (tmp_path / "a" / "registries" / "objects.yaml").read_bytes() != \
        (tmp_path / "b" / "registries" / "objects.yaml").read_bytes()
    draw_round.draw(a, RANDOM)
    draw_round.draw(b, RANDOM)
    for rel in ["draw.json", "commitment.json", *(f"snapshot/{n}" for n in SNAPSHOT_FILES)]:
        assert (round_of(a) / rel).read_bytes() == (round_of(b) / rel).read_bytes(), rel


def test_example_plan_draws_verifies_and_catches_one_byte(workspace):
    plans = sorted((workspace / "plans").glob("*.yaml"))
    if not plans:
        pytest.skip("the example workspace is not in the repo yet")
    plan = plans[0]
    code, out = cli("draw", str(plan), "--random", "2026-02-26 福彩3D 2026050: 3 7 1", "--json")
    assert code == 0, out
    doc = json.loads(out)
    rd = Path(doc["round_dir"])
    assert rd.parent == workspace / "rounds" and doc["selected"] and doc["committed_separately"] is False
    record = json.loads((rd / "draw.json").read_text("utf-8"))
    core = {"commitment.json", "draw.json", "manifest.json"}
    papers = [f for f in rounds.list_files(rd) if f not in core and f.split("/")[0] not in ("snapshot", "inputs")]
    assert papers and set(doc["papers"]) <= set(papers)
    assert len(record["teams"]) == len(record["selected"]) == sum(s["drawn"] for s in record["strata"])
    code, out = cli("verify", str(rd), "--json")
    assert code == 0, out
    pop = rd / "snapshot" / "population.csv"
    data = bytearray(pop.read_bytes())
    data[len(data) // 2] ^= 0x01
    pop.write_bytes(bytes(data))
    code, out = cli("verify", str(rd), "--json")
    assert code == 1
    assert "snapshot/population.csv" in json.loads(out)["differs"]


def test_verify_a_committed_round_and_a_killed_add_files(ws_plan):
    draw_round.commit(ws_plan)
    rd = round_of(ws_plan)
    code, out = cli("verify", str(rd), "--json")
    assert code == 0 and json.loads(out)["drawn"] is False
    draw_round.draw(ws_plan, RANDOM)
    (rd / ".公示表.xlsx.tmp-4242").write_bytes(b"half")  # a killed add_files
    rounds.add_files(rd, {"results/a.json": b"{}\n"})  # the next command drops it
    assert not (rd / ".公示表.xlsx.tmp-4242").exists()
    verify_round(rd)


def test_commit_twice_same_is_fine_changed_is_refused(ws_plan):
    first = draw_round.commit(ws_plan)
    again = draw_round.commit(ws_plan)
    assert again["already_committed"] and again["commitment"] == first["commitment"]
    text = ws_plan.read_text("utf-8").replace("ratio: '0.5'", "ratio: '0.75'")
    assert text != ws_plan.read_text("utf-8")
    ws_plan.write_text(text, "utf-8")
    code, out = cli("commit", str(ws_plan), "--json", "--lang", "en")
    assert code == 2
    p = json.loads(out)["problems"][0]
    assert p["code"] == "commit_changed" and "parameters.json" in p["message"] and "commitment" in p["message"]


def test_empty_population_is_refused(tmp_path):
    plan = write_workspace(tmp_path / "ws", population={"industry": ["烟花爆竹"]})
    code, out = cli("commit", str(plan), "--json")
    assert code == 2 and json.loads(out)["problems"][0]["code"] in ("population_empty", "snapshot_empty_population")
    assert not round_of(plan).exists()


def test_cli_english_and_chinese_texts(ws_plan):
    code, out = cli("commit", str(ws_plan), "--lang", "en")
    assert code == 0 and "Commitment S: 2536" in out and "Public random source" in out
    code, out = cli("draw", str(ws_plan), "--random", RANDOM[0])
    assert code == 0 and "随机种子 Z：34f25729" in out and "高风险" in out
    code, out = cli("verify", str(round_of(ws_plan)), "--lang", "en")
    assert code == 0 and out.startswith("Verified")


def test_a_round_of_another_version_verifies_without_regenerating_its_papers(tmp_path, monkeypatch):
    """A round drawn by an earlier shuijie keeps verifying after an upgrade: the draw, the
    snapshot and every hash are checked; only the papers (laid out by that version) are not
    regenerated.  A changed paper is still caught by its manifest hash."""
    from shuijie.stages import verify as verify_module

    plan = write_workspace(tmp_path / "ws")
    draw_round.draw(plan, RANDOM)
    rd = round_of(plan)
    same = verify_round(rd)
    assert same["papers_compared"] and same["papers"] and same["written_by"] == verify_module.__version__
    monkeypatch.setattr(verify_module, "__version__", "99.0.0")
    other = verify_round(rd)
    assert not other["papers_compared"] and other["papers"] == [] and other["written_by"] == same["written_by"]
    letter = next(rd.glob("检查通知书/*.docx"))
    _flip(letter)
    with pytest.raises(VerifyError) as exc:
        verify_round(rd)
    assert {p.file for p in exc.value.problems} == {letter.relative_to(rd).as_posix()}
