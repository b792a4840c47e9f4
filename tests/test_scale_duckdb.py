"""The DuckDB selection (shuijie/core/duckdb_select.py, docs/scale.md) selects exactly what
shuijie selects: on the spec vectors, on edge cases of the stratum sizes and id encodings,
and on a 100,000-object round drawn by the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

duckdb = pytest.importorskip("duckdb", reason="the optional 'scale' extra (DuckDB) is not installed")

from conftest import REPO, SHARED_SPEC_VECTORS, SPEC_VECTORS  # noqa: E402

from shuijie.core import duckdb_select as D  # noqa: E402

draw = D.draw  # shuijie's own draw module (shuijie.core.draw)

RANDOM = ["2026-02-25 dice: 3 1 4 1 5 9"]
SCRIPT = REPO / "scripts" / "duckdb_select.py"
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def _vector_dirs() -> list[Path]:
    dirs = sorted(p for p in SPEC_VECTORS.iterdir() if (p / "snapshot").is_dir())
    # shared/ beside the clone, or beside the worktrees' folder (/work/wt/<name> -> /work/shared)
    for shared in dict.fromkeys((SHARED_SPEC_VECTORS, REPO.parent.parent / "shared" / "spec-vectors")):
        if shared.exists():
            dirs += sorted(p for p in shared.iterdir() if (p / "snapshot").is_dir())
    return dirs


def _python_selection(pop: list[tuple[str, str]], strata: list[dict], Z: str) -> dict[str, list[tuple[str, str]]]:
    """shuijie's own §4: tickets + smallest k per stratum."""
    out = {}
    for st in strata:
        ids = [oid for oid, s in pop if s == st["name"]]
        out[st["name"]] = draw.smallest(draw.stratum_size(len(ids), st), draw.tickets(("object", Z), ids))
    return out


def test_spec_hash_vectors_in_sql():
    con = D.connect()
    enc = con.execute("SELECT enc_field('a') || enc_field('数')").fetchone()[0]
    assert enc.hex() == "000000016100000003e695b0"
    h = con.execute("SELECT sha256(enc_field('shuijie-draw/1') || enc_field('object') || enc_field('00ff') "
                    "|| enc_field('91411500MA44XXXX0A'))").fetchone()[0]
    assert h == "0af63bbc1d0330c0f694b4b0c7fa4c9652ad22fd497db839707dc370c3989765"
    h = con.execute("SELECT sha256(enc_field('shuijie-draw/1') || enc_field('seed') || enc_field('c0ffee') "
                    "|| enc_field('福彩3D 2026060: 5 8 2'))").fetchone()[0]
    assert h == draw.H("seed", "c0ffee", "福彩3D 2026060: 5 8 2")


@pytest.mark.parametrize("vector", _vector_dirs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_spec_vectors(vector: Path, tmp_path: Path):
    expected = json.loads((vector / "expected-draw.json").read_text("utf-8"))
    sel = D.select(vector / "snapshot", public_random=expected["public_random"])
    assert sel.seed == expected["seed"]
    assert sel.strata == expected["strata"]
    ranked: dict[str, list[tuple[str, str]]] = {s["name"]: [] for s in expected["strata"]}
    for x in expected["selected"]:
        ranked[x["stratum"]].append((x["ticket"], x["object_id"]))
    assert sel.drawn == {k: sorted(v, key=lambda r: (r[0], r[1].encode())) for k, v in ranked.items()}
    # a round folder: the seed comes from draw.json's public random values; the script agrees
    rnd = tmp_path / "round"
    shutil.copytree(vector / "snapshot", rnd / "snapshot")
    shutil.copyfile(vector / "expected-draw.json", rnd / "draw.json")
    assert D.select_with_duckdb(rnd) == sel.ids()
    p = subprocess.run([sys.executable, str(SCRIPT), str(rnd)], capture_output=True, text=True, env=ENV)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "same as" in p.stdout


def test_edge_cases_csv_and_parquet(tmp_path: Path):
    """Stratum sizes (ratios rounding up, > 1, 0, counts above n, empty strata), ids of
    several UTF-8 byte lengths, rows of a stratum the plan does not list."""
    pop = []
    for i in range(1000):
        oid = ["9141{:014d}".format(i), f"数{i}", f"😀{i}𠀀", f"a{i}", f"é{i:03d}"][i % 5]
        pop.append((oid, ["A", "B", "C", "D", "X"][i % 7 % 5]))
    pop += [("一", "E")]
    strata = [{"name": "A", "ratio": "0.333"}, {"name": "B", "ratio": "0.01"}, {"name": "C", "ratio": "2.5"},
              {"name": "D", "count": 5000}, {"name": "E", "ratio": "0.0001"}, {"name": "F", "count": 3},
              {"name": "G", "ratio": "0"}]
    Z = draw.H("seed", "0" * 64, "edge")
    csv_path = tmp_path / "pop.csv"
    csv_path.write_text("object_id,stratum\n" + "".join(f"{o},{s}\n" for o, s in pop), "utf-8")
    parquet_path = tmp_path / "pop.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{csv_path}', header=true, all_varchar=true)) "
                f"TO '{parquet_path}' (FORMAT parquet)")
    expected = _python_selection(pop, strata, Z)
    for path in (csv_path, parquet_path):
        sel = D.select(path, Z, strata=strata)
        assert sel.drawn == expected, path.name
        assert [s["drawn"] for s in sel.strata] == [len(v) for v in expected.values()]
    assert [s["population"] for s in sel.strata] == [sum(1 for _, s in pop if s == n) for n in "ABCDEFG"]
    with pytest.raises(ValueError):
        D.select(csv_path, Z, strata=[{"name": "A", "ratio": "1/3"}])
    with pytest.raises(ValueError):
        D.select(csv_path, Z, strata=[{"name": "A", "count": 1}, {"name": "A", "count": 2}])
    with pytest.raises(ValueError):
        D.select(csv_path, None, strata=strata)


@pytest.fixture(scope="module")
def round_100k(tmp_path_factory) -> Path:
    """A 100,000-object round (1% drawn) made by ``shuijie draw`` on bench_scale's workspace."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import bench_scale
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    out = tmp_path_factory.mktemp("scale")
    saved, bench_scale.OUT = bench_scale.OUT, out
    try:
        plan = bench_scale.make_workspace(100_000)
    finally:
        bench_scale.OUT = saved
    p = subprocess.run([sys.executable, "-m", "shuijie", "draw", str(plan), "--random", "duckdb", "--json"],
                       capture_output=True, text=True, env=ENV, cwd=out)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    return out / "scale-100000" / "rounds" / "scale-100000"


def test_100k_round_same_as_cli(round_100k: Path):
    record = json.loads((round_100k / "draw.json").read_text("utf-8"))
    sel = D.select(round_100k)
    assert sel.seed == record["seed"] and sel.strata == record["strata"]
    assert sum(s["population"] for s in sel.strata) == 100_000
    by_stratum: dict[str, set[tuple[str, str]]] = {}
    for x in record["selected"]:
        by_stratum.setdefault(x["stratum"], set()).add((x["ticket"], x["object_id"]))
    assert {k: set(v) for k, v in sel.drawn.items()} == by_stratum
    assert sum(len(v) for v in sel.drawn.values()) == 1000
    p = subprocess.run([sys.executable, str(SCRIPT), str(round_100k), "--json"], capture_output=True, text=True,
                       env=ENV)
    assert p.returncode == 0 and json.loads(p.stdout)["matches_draw_json"] is True, p.stdout[-2000:] + p.stderr


def test_script_reports_a_tampered_record(round_100k: Path, tmp_path: Path):
    rnd = tmp_path / "round"
    shutil.copytree(round_100k / "snapshot", rnd / "snapshot")
    record = json.loads((round_100k / "draw.json").read_text("utf-8"))
    record["selected"][0]["object_id"] = "91411500MA44XXXX0A"
    (rnd / "draw.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    p = subprocess.run([sys.executable, str(SCRIPT), str(rnd)], capture_output=True, text=True, env=ENV)
    assert p.returncode == 1 and "DIFFERS" in p.stdout and "91411500MA44XXXX0A" in p.stdout
