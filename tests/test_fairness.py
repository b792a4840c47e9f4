"""Fairness of the draw over 2,000 public random values (第二十五条 strata; 第十二条 inspectors).

On a fixed population, each object's selection count is tested against
uniform within its stratum, and each inspector's team count against uniform
where capacity does not bind (everyone qualified, can lead, anywhere; loads
roomy), with a chi-square test at p > 0.001.
"""

from __future__ import annotations

from collections import Counter

import pytest
from scipy.stats import chisquare

from shuijie.core import draw
from shuijie.core.snapshot import csv_bytes, parameters_bytes

SEEDS = 2000


def fixed_snapshot(all_lead: bool = True) -> dict[str, bytes]:
    pop = [(f"A{i:02d}", "甲", "浉河区") for i in range(20)] + [(f"B{i:02d}", "乙", "平桥区") for i in range(10)]
    insp = [(f"P{i:02d}", "1", "1" if all_lead or i % 2 == 0 else "0", "*") for i in range(12)]
    params = {
        "plan_id": "fair", "strata": [{"name": "甲", "ratio": "0.25"}, {"name": "乙", "count": 3}],
        "working_days": ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"],
        "schedule": {"group_by": "area"},
        "team": {"size": 3, "min_qualified": 2, "max_per_day": 100, "max_per_round": None},
        "experts": {"per_team": 0, "specialties": [], "max_per_day": 1},
    }
    return {"parameters.json": parameters_bytes(params), "population.csv": csv_bytes("population.csv", pop),
            "inspectors.csv": csv_bytes("inspectors.csv", insp), "experts.csv": csv_bytes("experts.csv", []),
            "conflicts.csv": csv_bytes("conflicts.csv", [])}


@pytest.mark.slow
def test_objects_and_inspectors_uniform_over_2000_seeds():
    files = fixed_snapshot()
    objects: Counter = Counter()
    inspectors: Counter = Counter()
    leaders: Counter = Counter()
    for i in range(SEEDS):
        rec = draw.run_draw(files, [f"福彩3D {i}"])
        objects.update(s["object_id"] for s in rec["selected"])
        for t in rec["teams"]:
            inspectors.update(t["inspectors"])
            leaders[t["leader"]] += 1
    for prefix, n, k in (("A", 20, 5), ("B", 10, 3)):
        counts = [objects[f"{prefix}{i:02d}"] for i in range(n)]
        assert sum(counts) == SEEDS * k
        p = chisquare(counts).pvalue
        assert p > 0.001, (prefix, counts, p)
    counts = [inspectors[f"P{i:02d}"] for i in range(12)]
    assert sum(counts) == SEEDS * 8 * 3
    assert chisquare(counts).pvalue > 0.001, counts
    lead_counts = [leaders[f"P{i:02d}"] for i in range(12)]
    assert chisquare(lead_counts).pvalue > 0.001, lead_counts


def test_chi_square_would_catch_a_biased_draw():
    """The test above can fail: a draw that favours low ids is rejected by the same check."""
    counts = Counter()
    for i in range(SEEDS):
        ids = sorted(f"A{j:02d}" for j in range(20))
        ticketed = sorted(draw.tickets(("object", str(i)), ids))
        # biased: always keep A00 plus the four smallest tickets of the rest
        chosen = ["A00"] + [oid for _, oid in ticketed if oid != "A00"][:4]
        counts.update(chosen)
    assert chisquare([counts[f"A{j:02d}"] for j in range(20)]).pvalue < 0.001
