#!/usr/bin/env python3
"""A year of quarterly rounds, unattended: commit, draw, verify, status (docs/unattended.md).

    python scripts/quarterly.py TARGET [--year 2026] (--random Q1=VALUE ... | --demo) [--shuijie "python -m shuijie"]

1. ``shuijie init TARGET`` (the example workspace) unless TARGET already holds ``plans/``;
2. writes ``plans/<year>-Q1..Q4-危化.yaml`` from the example plan, moved to each quarter as
   ``shuijie plan next`` moves a plan (``shuijie.stages.plan_new.shift_plan_data``: the window at the
   same working-day offset from the quarter's first working day, the notice date 5 working days
   before the start, 第十一条), a 6-month cool-down so that objects checked in one
   quarter are not drawn again in the next (第二十五条 / the plan's ``cooldown``);
3. for each quarter in order: ``check``, ``commit`` (the commitment is printed — publish it
   before the random value exists), ``draw --random VALUE``, ``verify``;
4. ``status --today <year>-12-31`` over all rounds, and a cool-down report: which objects
   drawn in Q1 were kept out of Q2.

Every command runs as a child process with ``--json`` and stdin closed (nobody at the
keyboard); the script stops at the first non-zero exit code and exits with it (exit codes:
docs/exit-codes.md).  A quarter already drawn is skipped (rounds are never redrawn), so
the script can be re-run after fixing a problem.  A quarter is drawn only with its published
public random value (``--random Q2=VALUE``): without one the script commits it (print the
commitment: it must be published before the value exists), stops and exits 2 — a round
drawn with a made-up value could never be drawn again (rounds are never redrawn).
``--demo`` draws the quarters that have no ``--random`` with placeholder values, for the
example only.  A ``--random`` given for a quarter already drawn with another value is
reported (stderr and ``random_ignored`` in the report), not silently dropped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shlex
import subprocess
import sys
from pathlib import Path

QUARTERS = (1, 2, 3, 4)
EXAMPLE_PLAN = "2026-Q1-危化.yaml"


def run(cmd: list[str], args: list[str], allow: tuple[int, ...] = (0,)) -> dict:
    # --json is UTF-8 whatever the console code page (stderr: replaced if not)
    p = subprocess.run([*cmd, *args, "--json"], stdin=subprocess.DEVNULL, capture_output=True, encoding="utf-8",
                       errors="replace")
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        sys.stderr.write(f"no JSON from {' '.join(args)} (exit {p.returncode}):\n{p.stdout}\n{p.stderr}\n")
        raise SystemExit(p.returncode or 70)
    if p.returncode not in allow:
        sys.stderr.write(f"shuijie {args[0]} failed with exit code {p.returncode}:\n")
        for prob in doc.get("problems", []):
            where = " ".join(str(x) for x in (prob.get("file"), prob.get("row"), prob.get("column")) if x)
            sys.stderr.write(f"  {where} {prob.get('message')}\n")
        raise SystemExit(p.returncode)
    return doc


def make_plans(ws: Path, year: int) -> list[Path]:
    """The four quarters' plans from the example, moved by ``shuijie plan next``'s library function
    (same working-day shape of the window in each quarter, notice 5 working days before it), then
    given their 文号, approval, public random source and the 6-month cool-down."""
    from shuijie.registries.plan_tools import dump_plan_yaml
    from shuijie.stages.plan_new import plan_calendar, read_plan_data, shift_plan_data

    base_path = ws / "plans" / EXAMPLE_PLAN
    base = read_plan_data(base_path)
    cal = plan_calendar(base_path, base["registries"])
    plans = []
    for q in (1, 2, 3, 4):
        plan, _ = shift_plan_data(base, cal, year, q)
        plan.update({
            "doc_no": f"信应急〔{year}〕{10 + q}号",
            "approved_by": base["approved_by"],
            "approved_on": plan["notice_date"] - dt.timedelta(days=7),
            "cooldown": 6,
            "public_random_source": f"中国福利彩票“福彩3D”{year}年第{q}季度指定一期开奖号码（示例）",
            "random_date": plan["notice_date"] - dt.timedelta(days=1),  # drawn the day before the letters go out
        })
        path = ws / "plans" / f"{plan['id']}.yaml"
        text = dump_plan_yaml(plan, ("# 由 scripts/quarterly.py 从示例方案生成（第十条：经批准后依据本方案开展工作）。",))
        if not path.exists() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")
        plans.append(path)
    return plans


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("target", type=Path)
    ap.add_argument("--year", type=int, default=2026)
    ap.add_argument("--random", action="append", default=[], metavar="Qn=VALUE",
                    help="the published public random value of quarter n")
    ap.add_argument("--demo", action="store_true",
                    help="draw quarters without --random with placeholder values (the example only)")
    ap.add_argument("--shuijie", default=f"{shlex.quote(sys.executable)} -m shuijie",
                    help="how to run shuijie (default: this Python's -m shuijie)")
    a = ap.parse_args(argv)
    cmd = shlex.split(a.shuijie)
    ws: Path = a.target.resolve()
    randoms: dict[int, str] = {}
    if a.demo:
        randoms = {q: f"福彩3D {a.year}0{q}{q}: {q} {q + 2} {(3 * q) % 10}" for q in QUARTERS}
    for item in a.random:
        q_text, sep, value = item.partition("=")
        q_text = q_text.strip().lstrip("Qq")
        if not sep or not q_text.isdigit() or int(q_text) not in QUARTERS or not value.strip():
            ap.error(f"--random {item!r}: expected Qn=VALUE with n in 1..4 and a non-blank value")
        randoms[int(q_text)] = value
    given = {int(i.partition("=")[0].strip().lstrip("Qq")) for i in a.random}

    if not (ws / "plans").is_dir():
        run(cmd, ["init", str(ws)])
    plans = make_plans(ws, a.year)
    report: dict = {"workspace": str(ws), "quarters": []}
    for q, plan in enumerate(plans, start=1):
        plan_id = plan.stem
        rd = ws / "rounds" / plan_id
        entry: dict = {"quarter": q, "plan": str(plan), "round": str(rd)}
        if (rd / "draw.json").exists():
            entry["skipped"] = "already drawn"
            drawn_with = json.loads((rd / "draw.json").read_text("utf-8")).get("public_random")
            if q in given and drawn_with != [randoms[q]]:
                entry["random_ignored"] = randoms[q]
                sys.stderr.write(f"Q{q} {plan_id}: already drawn with {drawn_with}; --random {randoms[q]!r} "
                                 "ignored (a round is never redrawn; `shuijie void` it first if it must go)\n")
        else:
            run(cmd, ["check", str(plan)])
            c = run(cmd, ["commit", str(plan)])
            entry["commitment"] = c.get("commitment")
            print(f"Q{q} {plan_id}: commitment {c.get('commitment')} (publish before the random value exists)")
            if q not in randoms:
                entry["waiting_for_random"] = True
                report["quarters"].append(entry)
                _write_report(ws, report)
                sys.stderr.write(f"Q{q} {plan_id}: committed, not drawn: no --random Q{q}=VALUE given. Publish the "
                                 "commitment, then run again with the published public random value "
                                 "(--demo draws with placeholder values, for the example only).\n")
                return 2
            run(cmd, ["draw", str(plan), "--random", randoms[q]])
        v = run(cmd, ["verify", str(rd)])
        record = json.loads((rd / "draw.json").read_text("utf-8"))
        entry.update(verified=v.get("ok"), selected=[s["object_id"] for s in record["selected"]],
                     cooldown_excluded=record.get("cooldown_excluded", []))
        print(f"Q{q} {plan_id}: drawn {len(entry['selected'])} objects, "
              f"{len(entry['cooldown_excluded'])} kept out by the cool-down, verify ok")
        report["quarters"].append(entry)
    status = run(cmd, ["status", str(ws / "rounds"), "--today", f"{a.year}-12-31"])
    report["status"] = status
    q1, q2 = report["quarters"][0], report["quarters"][1]
    kept_out = sorted({c["object_id"] for c in q2["cooldown_excluded"]} & set(q1["selected"]))
    report["q1_kept_out_of_q2"] = kept_out
    print(f"cool-down: {len(kept_out)} of Q1's {len(q1['selected'])} drawn objects were kept out of Q2; "
          f"drawn in both: {sorted(set(q1['selected']) & set(q2['selected']))}")
    _write_report(ws, report)
    return 0


def _write_report(ws: Path, report: dict) -> None:
    (ws / "quarterly-report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n",
                                              "utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
