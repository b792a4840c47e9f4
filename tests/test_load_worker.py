"""A provincial objects CSV read in two parts at once (issue 15; shuijie.registries.load,
``_SecondPart``): a forked child reads and checks the records after the file's middle.

Forced on (SHUIJIE_LOAD_WORKER=1) on small files, the table, the lines' offsets and every
problem (caps and 另有 … 处 included) must be exactly those of one process (forced off), for
problems in both parts, for a file that turns out irregular only after the middle (then read
the careful way, as without the child), for quoted fields, and where there is no fork.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from shuijie.cli import app
from shuijie.core.errors import ProblemList
from shuijie.core.ids import uscc_for_serial
from shuijie.core import forking
from shuijie.registries import load
from shuijie.registries.load import _gc_paused, load_objects
from shuijie.registries.tables import CsvStream

HEADERS = ["统一社会信用代码", "名称", "地址", "负责人", "联系方式", "区域", "行业", "类型", "风险等级", "信用等级",
           "许可文件名称", "许可文号", "备注"]
AREAS = ["浉河区", "平桥区", "罗山县", "光山县", "新县"]
N = 2400  # past CsvStream.HEAD (1,000 records read before the split is chosen)


def row(i: int) -> list[str]:
    return [uscc_for_serial(i), f"信阳市第{i}号化工贸易有限公司", f"信阳市{AREAS[i % 5]}新华路{i}号", "张三",
            f"138{i:08d}", AREAS[i % 5], "危险化学品经营", "企业", "一般", "B",
            "危险化学品经营许可证" if i % 3 else "", f"豫信危化经字〔2024〕{i:07d}" if i % 3 else "", ""]


def lines(n: int = N) -> list[str]:
    """The file's lines (header first), each ending in \\r\\n as Excel writes them."""
    return [",".join(HEADERS) + "\r\n"] + [",".join(row(i)) + "\r\n" for i in range(n)]


def write(path: Path, text: list[str] | bytes) -> Path:
    path.write_bytes(text if isinstance(text, bytes) else "\ufeff".encode() + "".join(text).encode())
    return path


def set_cell(text: list[str], line: int, col: int, value: Any) -> None:
    """Cell ``col`` of line ``line`` set to ``value`` (a string, or a function of the old one)."""
    cells = text[line - 1].split(",")
    cells[col] = value(cells[col]) if callable(value) else value
    text[line - 1] = ",".join(cells)


def middle_line(path: Path) -> int:
    """The 1-based line the child starts at (as ``_SecondPart.start`` chooses it)."""
    data = path.read_bytes()
    head_end = 0
    for _ in range(CsvStream.HEAD + 1):
        head_end = data.index(b"\n", head_end) + 1
    split = data.index(b"\n", head_end + (len(data) - head_end) * load._FIRST_PART // 100 - 1) + 1
    return data.count(b"\n", 0, split) + 1


class Spy(forking.Forked):
    """Counts the children started and the results they sent."""
    started = 0
    sent = 0

    def __init__(self, *a, **k):
        Spy.started += 1
        super().__init__(*a, **k)

    def result(self):
        got = super().result()
        Spy.sent += 1
        return got


@pytest.fixture
def spy(monkeypatch):
    Spy.started = Spy.sent = 0
    monkeypatch.setattr(load, "Forked", Spy)
    return Spy


def loaded(path: Path, env: str, monkeypatch) -> tuple:
    monkeypatch.setenv(load.LOAD_WORKER_ENV, env)
    probs = ProblemList()
    with _gc_paused():
        table = load_objects(path, "objects.csv", probs, {}, ("note",))
    offsets = getattr(table.source, "offsets", None)
    return (table.ids, table.rows.tolist(), table._fields, {k: bytes(v) for k, v in table._filled.items()},
            None if offsets is None else offsets.tolist(), [{**p.to_dict(), "params": p.params} for p in probs.items],
            table)


def same_both_ways(path: Path, monkeypatch, spy) -> tuple:
    one = loaded(path, "0", monkeypatch)
    assert spy.started == 0
    two = loaded(path, "1", monkeypatch)
    assert one[:-1] == two[:-1]
    return one, two


def test_a_clean_file_is_read_in_two_parts(tmp_path, monkeypatch, spy):
    p = write(tmp_path / "objects.csv", lines())
    one, two = same_both_ways(p, monkeypatch, spy)
    assert spy.started == spy.sent == 1
    assert len(two[0]) == N and two[1][-1] == N + 1 and one[5] == []
    # pass two reads records of both parts at their offsets
    table = two[-1]
    last = table.records([N - 1, 3])
    assert [r.id for r in last] == [uscc_for_serial(N - 1), uscc_for_serial(3)]
    assert last[0].src.row == N + 1 and last[0].license_no == (f"豫信危化经字〔2024〕{N - 1:07d}" if (N - 1) % 3 else "")
    assert [o.id for o in table.every_record()] == table.ids


def test_problems_in_both_parts_and_a_cap_spread_over_them(tmp_path, monkeypatch, spy):
    text = lines()
    mid = middle_line(write(tmp_path / "objects.csv", text))
    bad = list(range(1100, 1100 + 40)) + list(range(mid + 5, mid + 45))  # 80 bad check characters: 30 past the cap
    for ln in bad:
        set_cell(text, ln, 0, lambda oid: oid[:-1] + ("0" if oid[-1] != "0" else "1"))
    for ln in (1200, mid + 100):  # a required 名称 missing, once in each part
        set_cell(text, ln, 1, " ")
    for ln in range(mid + 200, mid + 260):  # a code over the cap after the middle only
        set_cell(text, ln, 0, "123")
    p = write(tmp_path / "objects.csv", text)
    one, two = same_both_ways(p, monkeypatch, spy)
    assert spy.sent == 1
    problems = one[5]
    codes = [p["code"] for p in problems]
    more = {p["params"]["code"]: p["params"]["count"] for p in problems if p["code"] == "more_of_same"}
    assert len(more) == 2 and sorted(more.values()) == [10, 30]
    assert [p["row"] for p in problems if p["code"] == "field_required"] == [1200, mid + 100]
    assert len(codes) == 50 + 50 + 2 + 2 and len(two[0]) == N - 80 - 2 - 60


def test_a_duplicate_id_across_the_parts(workspace: Path, monkeypatch, spy):
    text = lines()
    p = workspace / "registries" / "objects.csv"
    mid = middle_line(write(p, text))
    text[mid + 10] = text[40]  # line mid + 11 repeats line 41
    write(p, text)
    plan = workspace / "plans" / "2026-Q1-危化.yaml"
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    data["registries"]["objects"] = "../registries/objects.csv"
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    runner = CliRunner()
    out = {}
    for env in ("0", "1"):
        monkeypatch.setenv(load.LOAD_WORKER_ENV, env)
        res = runner.invoke(app, ["check", str(plan), "--json"])
        out[env] = (res.exit_code, json.loads(res.stdout))
    assert out["0"] == out["1"] and spy.sent == 1
    dup = [p for p in out["1"][1]["problems"] if p["code"] == "duplicate_id"]
    assert [p["row"] for p in dup] == [mid + 11] and uscc_for_serial(39) in dup[0]["message"]


def _irregular_after_middle(tmp_path: Path, how: str) -> Path:
    text = lines()
    mid = middle_line(write(tmp_path / "objects.csv", text))
    if how == "blank row":
        text[mid + 20] = ",,,,\r\n"
    elif how == "footer":
        text.append("合计,2400,,,,,,,,,,,\r\n")
    elif how == "bare cr":
        text[mid + 20] = text[mid + 20].replace("张三", "张\r三")
    elif how == "blank rows just before the middle":
        for ln in range(mid - 3, mid):  # as long as the records they replace: the middle stays
            text[ln - 1] = " " * (len(text[ln - 1].encode()) - 2) + "\r\n"
    elif how == "bad utf-8":
        data = "\ufeff".encode() + "".join(text).encode()
        at = data.index(uscc_for_serial(mid + 30).encode())
        return write(tmp_path / "objects.csv", data[:at] + b"\xff" + data[at + 1:])
    p = write(tmp_path / "objects.csv", text)
    assert how == "footer" or middle_line(p) == mid
    return p


@pytest.mark.parametrize("how", ["blank row", "footer", "bare cr", "blank rows just before the middle", "bad utf-8"])
def test_irregular_only_after_the_middle(tmp_path, monkeypatch, spy, how):
    p = _irregular_after_middle(tmp_path, how)
    one, _ = same_both_ways(p, monkeypatch, spy)
    assert spy.sent == 1  # the child found it (or this process, at the seam): read the careful way
    assert one[4] is None  # as without the child: not streamed, no offsets
    if how in ("blank row", "bad utf-8", "blank rows just before the middle"):
        assert one[5], how  # today's messages (row_blank, encoding)


def test_a_quoted_field_across_the_middle_keeps_one_process(tmp_path, monkeypatch, spy):
    text = lines()
    mid = middle_line(write(tmp_path / "objects.csv", text))
    # a 备注 with line ends in it, from before the middle to after it
    set_cell(text, mid - 2, -1, '"' + "\r\n".join(["注"] * 8) + '"\r\n')
    p = write(tmp_path / "objects.csv", text)
    one, _ = same_both_ways(p, monkeypatch, spy)
    assert spy.started == 1 and spy.sent == 0  # started, then stopped when the '"' was seen
    assert one[5] == [] and len(one[0]) == N and one[1][-1] == N + 8


def test_quoted_fields_after_the_middle_only(tmp_path, monkeypatch, spy):
    text = lines()
    mid = middle_line(write(tmp_path / "objects.csv", text))
    for ln in (mid + 3, N - 5):
        set_cell(text, ln, 1, '"名称, 带逗号\r\n第二行"')
    p = write(tmp_path / "objects.csv", text)
    _, two = same_both_ways(p, monkeypatch, spy)
    assert spy.sent == 1
    table = two[-1]
    i = N - 5 - 2  # the record of line N - 5, one line further down (the first quoted record has two)
    assert table.rows[i] == N - 5 + 1 and table.records([i])[0].name == "名称, 带逗号\r\n第二行"


def test_without_fork(tmp_path, monkeypatch, spy):
    p = write(tmp_path / "objects.csv", lines())
    monkeypatch.delattr(os, "fork")
    one, _ = same_both_ways(p, monkeypatch, spy)
    assert spy.started == 0 and len(one[0]) == N


def test_a_failing_child_leaves_its_part_to_this_process(tmp_path, monkeypatch, spy):
    text = lines()
    mid = middle_line(write(tmp_path / "objects.csv", text))
    text[mid + 7] = text[mid + 7].replace("张三", "")  # a problem of the child's part
    p = write(tmp_path / "objects.csv", text)
    parent = os.getpid()
    real = load._part_columns

    def flaky(*a, **k):
        if os.getpid() != parent:
            raise MemoryError("the child ran out")
        return real(*a, **k)

    monkeypatch.setattr(load, "_part_columns", flaky)
    one, _ = same_both_ways(p, monkeypatch, spy)
    assert spy.started == 1 and spy.sent == 0
    assert [p["row"] for p in one[5]] == [mid + 8]


def test_the_switch_and_the_size(tmp_path, monkeypatch, spy):
    p = write(tmp_path / "objects.csv", lines())
    monkeypatch.delenv(load.LOAD_WORKER_ENV, raising=False)
    probs = ProblemList()
    load_objects(p, "objects.csv", probs, {}, ())
    assert spy.started == 0  # below LOAD_WORKER_FROM
    monkeypatch.setattr(load, "LOAD_WORKER_FROM", 1000)
    load_objects(p, "objects.csv", probs, {}, ())
    assert spy.started == 1
    monkeypatch.setenv(load.LOAD_WORKER_ENV, "0")
    load_objects(p, "objects.csv", probs, {}, ())
    assert spy.started == 1 and probs.items == []


def test_not_while_another_thread_runs(tmp_path, monkeypatch, spy):
    p = write(tmp_path / "objects.csv", lines())
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        one, _ = same_both_ways(p, monkeypatch, spy)
    finally:
        stop.set()
        other.join()
    assert spy.started == 0 and len(one[0]) == N


def test_a_fork_that_fails_leaves_the_part_to_this_process(tmp_path, monkeypatch, spy):
    p = write(tmp_path / "objects.csv", lines())
    fds = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None

    def no_fork():
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    one, _ = same_both_ways(p, monkeypatch, spy)
    assert spy.started == 1 and spy.sent == 0 and len(one[0]) == N
    assert fds is None or len(os.listdir("/proc/self/fd")) == fds  # the pipe closed
