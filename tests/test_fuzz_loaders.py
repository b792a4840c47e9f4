"""Hostile input (issue 6): every loader under random bytes, random YAML, random workbooks and CSV.

``check_plan`` (the ``check`` command's core) must never raise for what a clerk (or an
attacker) can put in a registry or plan file: it returns problems, each with a message
that renders in both languages.  A few CLI runs check exit code 0 or 2 and one JSON
document.  A YAML alias bomb and a zip-bomb .xlsx are refused within bounded time and
memory (a child process limited to 1 GiB of address space).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from shuijie.registries.check import check_plan

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "shuijie" / "example"
PLAN_NAME = "2026-Q1-危化.yaml"
ROLES = ["items", "objects", "inspectors", "experts", "calendar"]
FUZZ = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

_BASE = Path(tempfile.mkdtemp(prefix="shuijie-fuzz-"))


def _fresh_ws(tag: str) -> Path:
    ws = _BASE / tag
    if ws.exists():
        shutil.rmtree(ws)
    shutil.copytree(EXAMPLE, ws)
    return ws


def _point(ws: Path, role: str, name: str) -> Path:
    """Make the plan read ``role`` from ``registries/<name>``; return that path."""
    plan = ws / "plans" / PLAN_NAME
    text = plan.read_text("utf-8")
    lines = [f"  {role}: ../registries/{name}" if ln.startswith(f"  {role}: ") else ln for ln in text.split("\n")]
    plan.write_text("\n".join(lines), "utf-8")
    return ws / "registries" / name


def _check(ws: Path) -> list:
    """check_plan must return (never raise); every problem renders in zh and en."""
    _, problems = check_plan(ws / "plans" / PLAN_NAME)
    for p in problems:
        assert p.text("zh") and p.text("en")
    return problems


# ---------------------------------------------------------------- strategies

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.text(max_size=30),
                    st.floats(allow_nan=True, allow_infinity=True), st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
                    st.sampled_from(["WH-01", "91411502MALX2Q6T1C", "危险化学品经营", "高", "2027-01-01", "worked",
                                     "二级机构", "true", "=1+1", "", " ", "\u0000", "０.５"]))
KEYS = ["id", "name", "object_id", "reason", "recusals", "areas", "specialties", "holidays", "workdays", "years",
        "industry", "risk", "qualified", "can_lead", "unit_type", "license", "strata", "where", "ratio", "count",
        "window", "start", "end", "team", "size", "registries", "items", "population", "cooldown", "experts"]
yaml_docs = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5),
    st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8), st.integers(0, 3000)), inner, max_size=6)),
    max_leaves=25)


def _yaml_text(doc) -> str:
    try:
        return yaml.safe_dump(doc, allow_unicode=True)
    except Exception:
        return repr(doc)


HEADERS = ["统一社会信用代码", "名称", "地址", "负责人", "联系方式", "区域", "行业", "类型", "风险等级", "信用等级",
           "编号", "姓名", "性别", "职务", "执法证号", "所在单位", "专业领域", "事项名称", "id", "name", "", None, 7]
cells = st.one_of(st.none(), st.text(max_size=20), st.integers(-10**18, 10**18), st.booleans(),
                  st.floats(allow_nan=False, allow_infinity=False),
                  st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)),
                  st.sampled_from(["=1+1", "=A1", "91411502MALX2Q6T1C", "411502199001011234", "高", "是"]))
sheets = st.tuples(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=8),
                   st.lists(st.lists(cells, max_size=8), max_size=8),
                   st.booleans(), st.booleans())


def _workbook_bytes(header, rows, recusal_sheet, merged) -> bytes:
    wb = openpyxl.Workbook()
    s = wb.active
    s.title = "Sheet1"
    if header:
        s.append(header)
    for r in rows:
        s.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in r])
    if merged and rows:
        s.merge_cells("A2:B2")
    if recusal_sheet:
        r = wb.create_sheet("回避")
        r.append(["人员编号", "检查对象", "回避情形"])
        for row in rows[:3]:
            r.append(row[:3])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- properties


@FUZZ
@given(role=st.sampled_from(ROLES + ["plan"]), suffix=st.sampled_from([".yaml", ".xlsx", ".csv"]),
       data=st.binary(max_size=400))
def test_random_bytes_never_crash(role, suffix, data):
    ws = _fresh_ws("bytes")
    if role == "plan":
        (ws / "plans" / PLAN_NAME).write_bytes(data)
    else:
        if role == "calendar":
            suffix = ".yaml"
        _point(ws, role, f"{role}-fuzz{suffix}").write_bytes(data)
    _check(ws)


@FUZZ
@given(role=st.sampled_from(ROLES + ["plan"]), doc=yaml_docs)
def test_random_yaml_never_crashes(role, doc):
    ws = _fresh_ws("yaml")
    text = _yaml_text(doc)
    if role == "plan":
        (ws / "plans" / PLAN_NAME).write_text(text, "utf-8")
    else:
        _point(ws, role, f"{role}-fuzz.yaml").write_text(text, "utf-8")
    _check(ws)


@FUZZ
@given(role=st.sampled_from(ROLES), doc=st.lists(yaml_docs, min_size=1, max_size=4))
def test_random_records_in_a_real_registry_never_crash(role, doc):
    """Real records with random ones appended: the per-field validation paths."""
    ws = _fresh_ws("records")
    path = ws / "registries" / f"{role}.yaml"
    if role == "calendar":
        path.write_text(_yaml_text({"holidays": doc, "workdays": doc[:1], "years": {2027: {"holidays": doc}}}),
                        "utf-8")
    else:
        real = yaml.safe_load(path.read_text("utf-8")) or []
        path.write_text(_yaml_text(real[:3] + doc), "utf-8")
    _check(ws)


@FUZZ
@given(role=st.sampled_from(["items", "objects", "inspectors", "experts"]), sheet=sheets)
def test_random_workbooks_never_crash(role, sheet):
    ws = _fresh_ws("xlsx")
    _point(ws, role, f"{role}-fuzz.xlsx").write_bytes(_workbook_bytes(*sheet))
    _check(ws)


@FUZZ
@given(rows=st.lists(st.lists(st.text(max_size=15), max_size=8), max_size=8), bom=st.booleans(),
       header=st.lists(st.sampled_from(HEADERS[:10] + ["", "x"]), max_size=10))
def test_random_csv_never_crashes(rows, bom, header):
    ws = _fresh_ws("csv")
    import csv

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    _point(ws, "objects", "objects-fuzz.csv").write_bytes((b"\xef\xbb\xbf" if bom else b"") +
                                                          buf.getvalue().encode("utf-8", "surrogatepass"))
    _check(ws)


def test_objects_csv_with_and_without_bom_load_the_same(tmp_path):
    """The objects registry as CSV (Excel's "CSV UTF-8" writes a BOM): same records either way."""
    from python_calamine import CalamineWorkbook

    ws = _fresh_ws("csvbom")
    rows = CalamineWorkbook.from_path(str(ws / "registries" / "objects.xlsx")).get_sheet_by_index(0).to_python()
    import csv

    buf = io.StringIO()
    csv.writer(buf).writerows([[("" if c is None else str(c)) for c in r] for r in rows])
    loaded = []
    for bom in (b"", b"\xef\xbb\xbf"):
        _point(ws, "objects", "objects.csv").write_bytes(bom + buf.getvalue().encode("utf-8"))
        got, problems = check_plan(ws / "plans" / PLAN_NAME)
        assert problems == [] and got is not None, [p.text("en") for p in problems]
        loaded.append([(o.id, o.name, o.area) for o in got.objects.every_record()])
    assert loaded[0] == loaded[1] and len(loaded[0]) == len(rows) - 1


@pytest.mark.parametrize("name,data", [
    ("objects.xlsx", b"PK\x03\x04broken"),
    ("objects.csv", b"\xff\xfe\x00bad utf-16"),
    ("objects.yaml", b"- id: [unclosed"),
    ("objects.yaml", b"a: !!python/object/apply:os.system ['echo pwned']"),
])
def test_cli_check_exit_2_and_one_json_document(name, data):
    ws = _fresh_ws("cli")
    _point(ws, "objects", name).write_bytes(data)
    p = subprocess.run([sys.executable, "-m", "shuijie", "check", str(ws / "plans" / PLAN_NAME), "--json"],
                       capture_output=True, timeout=120)
    assert p.returncode == 2, p.stderr
    doc = json.loads(p.stdout)
    assert doc["exit_code"] == 2 and doc["problems"] and b"Traceback" not in p.stderr


# ---------------------------------------------------------------- bombs, in a memory-limited child

LIMITED = textwrap.dedent("""
    import resource, sys, json
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    from pathlib import Path
    from shuijie.registries.check import check_plan
    _, problems = check_plan(Path(sys.argv[1]))
    print(json.dumps([p.code for p in problems]))
""")


def _run_limited(plan: Path) -> tuple[list[str], float]:
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", LIMITED, str(plan)], capture_output=True, text=True, timeout=60)
    took = time.perf_counter() - t
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout), took


def test_yaml_alias_bomb_is_refused_fast_in_bounded_memory():
    ws = _fresh_ws("yamlbomb")
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    bomb = "\n".join(lines) + "\n"
    for role in ("inspectors", "calendar"):
        _point(ws, role, f"{role}-bomb.yaml").write_text(bomb, "utf-8")
    (ws / "plans" / "bomb.yaml").write_text(bomb, "utf-8")
    codes, took = _run_limited(ws / "plans" / PLAN_NAME)
    assert "yaml_alias" in codes and took < 20, (codes, took)
    codes, took = _run_limited(ws / "plans" / "bomb.yaml")
    assert codes and took < 20, (codes, took)


def _zip_bomb_xlsx(path: Path, gib: float) -> None:
    """A real workbook whose sheet1.xml is padded with ``gib`` GiB of whitespace (deflated ~1000:1)."""
    wb = openpyxl.Workbook()
    wb.active.append(["统一社会信用代码", "名称"])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(buf)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, data)
                continue
            head, sep, tail = data.partition(b"<sheetData>")
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            with out.open(zi, "w", force_zip64=True) as fh:
                fh.write(head + sep)
                block = b" " * (1 << 24)
                for _ in range(int(gib * 64)):
                    fh.write(block)
                fh.write(tail)


def test_zip_bomb_xlsx_is_refused_fast_in_bounded_memory(tmp_path):
    ws = _fresh_ws("zipbomb")
    bomb = _point(ws, "objects", "objects-bomb.xlsx")
    _zip_bomb_xlsx(bomb, 0.25)
    info = zipfile.ZipFile(bomb).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 1 << 28 and info.compress_size < 2 << 20  # >256 MiB from <2 MiB
    codes, took = _run_limited(ws / "plans" / PLAN_NAME)
    assert "xlsx_bomb" in codes and took < 20, (codes, took)
