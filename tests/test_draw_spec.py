"""DRAW-SPEC.md §1 and §8: the test vectors and the worked example, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SPEC_VECTORS

from shuijie.core import draw
from shuijie.core.errors import InfeasibleError, InputError

EXAMPLE = SPEC_VECTORS / "example-round"
RANDOM = ["2026-02-25 dice: 3 1 4 1 5 9"]


def snapshot_files(root: Path = EXAMPLE / "snapshot") -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in draw.SNAPSHOT_FILES}


def test_enc_and_h_vectors():
    assert draw.enc("a", "数").hex() == "000000016100000003e695b0"
    assert draw.H("object", "00ff", "91411500MA44XXXX0A") == \
        "0af63bbc1d0330c0f694b4b0c7fa4c9652ad22fd497db839707dc370c3989765"
    assert draw.H("seed", "c0ffee", "福彩3D 2026060: 5 8 2") == \
        "380fee0c18c0a487f98c37a7b785d13fb88da62d63ef539dcbb98d9658f6e9af"
    assert draw.enc(12) == draw.enc("12")


def test_tickets_equal_plain_h():
    ids = ["a", "数据", "91411502MA4000001L", ""]
    assert draw.tickets(("object", "z"), ids) == [(draw.H("object", "z", i), i) for i in ids]


def test_example_round_reproduced_exactly():
    expected_bytes = (EXAMPLE / "expected-draw.json").read_bytes()
    expected = json.loads(expected_bytes)
    record = draw.run_draw(snapshot_files(), RANDOM)
    # Spec fields, in the spec vector's key order
    assert list(record)[: len(expected)] == list(expected)
    for key in ("algorithm", "plan_id", "public_random", "commitment", "seed", "strata", "selected"):
        assert record[key] == expected[key], key
    spec_team_keys = list(expected["teams"][0])
    assert [{k: t[k] for k in spec_team_keys} for t in record["teams"]] == expected["teams"]
    assert [list(t)[: len(spec_team_keys)] for t in record["teams"]] == [spec_team_keys] * len(record["teams"])
    # Restricted to the spec's fields, our serialization gives the vector's exact bytes.
    spec_only = {k: record[k] for k in expected}
    spec_only["teams"] = [{k: t[k] for k in spec_team_keys} for t in record["teams"]]
    assert draw.dumps(spec_only) == expected_bytes


def test_example_recusals_and_removed_counts():
    record = draw.run_draw(snapshot_files(), RANDOM)
    by_obj = {t["object_id"]: t for t in record["teams"]}
    # 第十五条: E101 has an interest in ...002P, so it is recorded and removed there
    t = by_obj["91411502MA4000002P"]
    assert t["recused"] == [{"person_id": "E101", "object_id": "91411502MA4000002P", "reason": "interest"}]
    assert t["removed"]["recusal"] == 1 and "E101" not in t["inspectors"]
    # 第九条: 息县... E101/E102 (浉河区) and E201/E202 mixed; for a 平桥区 object only E201, E202 remain of the E's
    t = by_obj["91411503MA40000039"]
    assert t["removed"]["area"] == 2
    assert t["experts_removed"] == {"recusal": 1, "specialty": 1, "day_load": 0}
    assert record["snapshot_sha256"]["population.csv"] == draw.sha256_hex(snapshot_files()["population.csv"])


def test_changing_random_changes_seed_not_commitment():
    a = draw.run_draw(snapshot_files(), RANDOM)
    b = draw.run_draw(snapshot_files(), ["2026-02-25 dice: 3 1 4 1 5 8"])
    assert a["commitment"] == b["commitment"] and a["seed"] != b["seed"]


def test_one_byte_in_snapshot_changes_commitment():
    files = snapshot_files()
    base = draw.commitment(files)
    for name in draw.SNAPSHOT_FILES:
        changed = dict(files)
        changed[name] = files[name] + b"\n"
        assert draw.commitment(changed) != base, name


@pytest.mark.parametrize("ratio,n,k", [("0.5", 4, 2), ("0.1", 25, 3), ("0.3", 10, 3), ("1", 7, 7),
                                        ("0.33", 100, 33), ("0.333", 1000, 333), ("0.0001", 3, 1), ("0", 5, 0)])
def test_stratum_size_exact_ceil(ratio, n, k):
    assert draw.stratum_size(n, {"name": "x", "ratio": ratio}) == k
    assert draw.stratum_size(n, {"name": "x", "count": 2}) == min(2, n)


def test_float_ratio_refused():
    with pytest.raises(InputError):
        draw.stratum_size(10, {"name": "x", "ratio": 0.5})
    with pytest.raises(InputError):
        draw.stratum_size(10, {"name": "x", "ratio": "1e-1"})


def test_infeasible_team_names_object_day_and_counts():
    files = snapshot_files()
    params = json.loads(files["parameters.json"])
    params["team"]["size"] = 8
    files["parameters.json"] = json.dumps(params, ensure_ascii=False).encode()
    with pytest.raises(InfeasibleError) as exc:
        draw.run_draw(files, RANDOM)
    p = exc.value.problems[0]
    assert exc.value.exit_code == 3 and p.code == "draw_infeasible_team"
    population = files["population.csv"].decode()
    assert p.params["object_id"] in population and p.params["date"] == "2026-02-26"  # first object fails
    removed = sum(p.params[k] for k in ("recusal", "area", "day_load", "round_load"))
    assert removed + p.params["candidates"] == p.params["pool"] == 8 and p.params["candidates"] < 8
    assert p.params["object_id"] in p.message("zh") and "2026-02-26" in p.message("en")


def test_infeasible_experts_and_no_days():
    files = snapshot_files()
    params = json.loads(files["parameters.json"])
    params["experts"]["per_team"] = 3
    files["parameters.json"] = json.dumps(params, ensure_ascii=False).encode()
    with pytest.raises(InfeasibleError) as exc:
        draw.run_draw(files, RANDOM)
    assert exc.value.problems[0].code == "draw_infeasible_experts"
    p = exc.value.problems[0]
    assert p.params["specialty"] == 1 and p.params["candidates"] < 3
    assert p.params["recusal"] + p.params["specialty"] + p.params["candidates"] == 3
    params["experts"]["per_team"] = 1
    params["working_days"] = []
    files["parameters.json"] = json.dumps(params, ensure_ascii=False).encode()
    with pytest.raises(InfeasibleError) as exc:
        draw.run_draw(files, RANDOM)
    assert exc.value.problems[0].code == "draw_no_working_days"


def test_malformed_snapshot_is_input_error():
    files = snapshot_files()
    files["population.csv"] = files["population.csv"] + "x,y\n".encode()
    with pytest.raises(InputError) as exc:
        draw.run_draw(files, RANDOM)
    assert exc.value.problems[0].row == 10


def test_smallest_orders_by_ticket_then_id_bytes():
    pairs = [("b", "2"), ("a", "数"), ("a", "Z"), ("c", "0"), ("a", "z")]
    assert draw.smallest(3, pairs) == [("a", "Z"), ("a", "z"), ("a", "数")]  # UTF-8 byte order on ties
    many = [(f"{i:04x}", str(i)) for i in range(500, 0, -1)]
    assert draw.smallest(2, many) == [("0001", "1"), ("0002", "2")]  # heap path
    assert draw.smallest(400, many) == sorted(many)[:400]  # sort path
    assert draw.smallest(0, many) == []
