"""Provincial scale (issues 6 and 15): a whole ``draw`` over 100k and 1M objects, stage by stage.

    python benchmarks/bench_scale.py [SIZES ...]      # default: 100000 1000000
    python benchmarks/bench_scale.py --cli-only 1000000
    python benchmarks/bench_scale.py --out DIR 1000000   # workspaces under DIR
    python benchmarks/bench_scale.py --cli-only --after 1000000   # and results … status

A round writes 20,000 files at 1M objects, and what the file system charges for creating
them is not shuijie's.  This machine's disk is ext4 *without a journal*, where the kernel
does not reuse an inode freed less than a minute ago (six while its inode-table block is
unwritten): every file created meanwhile scans past each of them (``recently_deleted`` in
``perf``), and 10,000 empty files cost 3-5 s of kernel time instead of 0.2 s right after a
round's 20,000 files were deleted.  So the benchmark deletes nothing while it measures: an
earlier round, the in-process run's papers and the probe's files are moved into ``trash/``
beside the workspaces, emptied after the last measurement.  It also creates 10,000 files
where it will write and prints what they cost, before and after; ``--out`` puts the
workspaces elsewhere (default ``benchmarks/out``), e.g. on another disk.

Builds a synthetic workspace per size under ``benchmarks/out/scale-<N>/`` (gitignored):
``objects.csv`` (UTF-8 with BOM, as Excel's "CSV UTF-8" writes; valid GB 32100 check
characters), 2,000 inspectors (a tenth of them 二级机构 members bound to their area, a few
recusals), 300 experts (a few recusals), the example items and calendar, and a plan drawing
1% of the objects (10,000 at 1M) with teams of 3 (≥2 qualified, one leader) and one expert
per team, every paper written.

Each size is measured in a fresh child process (so peak RSS is that size's alone):

1. in-process, the same steps ``shuijie.stages.draw_round.draw`` takes, timed per stage: load
   (the objects registry alone, read and checked as columns), validate (the whole
   ``load_workspace``, which includes reading every registry), snapshot, draw, records (the
   full records of the drawn objects, read again at their offsets, the rest let go), papers
   (the workbooks in a forked worker from 300 objects on, as the round writer does),
   manifest; RSS after each stage and the running peak of the main process;
2. the real CLI ``shuijie draw`` in a subprocess (wall time, peak RSS of the child via
   ``RUSAGE_CHILDREN``), then ``shuijie verify`` on the round it wrote;
3. with ``--after``, the later stages on that round, each a CLI run: ``results`` (the
   结果录入表 filled as a clerk would, every drawn object), ``review --approve``,
   ``publish``, ``summary``, ``status``, and ``verify`` again over the files they added.

Targets (issue 15): at 1,000,000 objects, whole ``draw`` ≤ 30 s and peak RSS ≤ 512 MB on this
2-core machine, ``verify`` the same, and cost growing linearly from 100k to 1M.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))

from shuijie.core.ids import uscc_for_serial as uscc

AREAS = ["浉河区", "平桥区", "罗山县", "光山县", "新县", "商城县", "固始县", "潢川县", "淮滨县", "息县"]
HEADERS = ["统一社会信用代码", "名称", "地址", "负责人", "联系方式", "区域", "行业", "类型", "风险等级", "信用等级",
           "许可文件名称", "许可文号", "备注"]
RISKS = ["高", "较高", "一般", "一般", "低"]
CREDITS = ["A", "B", "B", "B", "C"]
SPECIALTIES = ["危险化学品", "化工工艺", "消防", "电气", "特种设备"]
TARGET_SECONDS = 30
TARGET_RSS_MB = 512
N_INSPECTORS = 2000
N_EXPERTS = 300




def object_rows(n: int):
    for i in range(n):
        yield [uscc(i), f"信阳市第{i}号化工贸易有限公司", f"信阳市{AREAS[i % 10]}新华路{i}号", "张三",
               f"138{i % 100_000_000:08d}", AREAS[i % 10], "危险化学品经营", "企业", RISKS[i % 5],
               CREDITS[(i // 5) % 5], "危险化学品经营许可证", f"豫信危化经字〔2024〕{i:07d}", ""]


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def make_workspace(n: int) -> Path:
    """Write the synthetic workspace for ``n`` objects once; return the plan path."""
    ws = OUT / f"scale-{n}"
    reg, plans = ws / "registries", ws / "plans"
    plan = plans / f"scale-{n}.yaml"
    reg.mkdir(parents=True, exist_ok=True)
    plans.mkdir(parents=True, exist_ok=True)
    objects = reg / "objects.csv"
    if not objects.exists():
        tmp = objects.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(HEADERS)
            w.writerows(object_rows(n))
        os.replace(tmp, objects)
    # inspectors: 90% 局机关 (anywhere), 10% 二级机构 bound to one area; 3 in 4 qualified
    lines = ["# synthetic inspectors (bench_scale.py)"]
    for i in range(N_INSPECTORS):
        second = i % 10 == 9
        qualified = second or i % 4 != 3
        lines += [f"- id: {_q(f'J{i:05d}')}", f"  name: 检查员{i}", f"  gender: {'男' if i % 2 else '女'}",
                  "  title: 科员", f"  cert_no: {_q(f'4115002{i:05d}')}", f"  unit: 第{i % 20}科",
                  f"  unit_type: {'二级机构' if second else '局机关'}",
                  f"  qualified: {'true' if qualified else 'false'}",
                  f"  can_lead: {'true' if qualified and i % 3 == 0 else 'false'}",
                  f"  areas: [{AREAS[i % 10]}]" if second else "  areas: []"]
        if i < 20:
            lines += ["  recusals:", f"  - object_id: {_q(uscc(i * 7919 % n))}", "    reason: worked"]
    (reg / "inspectors.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    lines = ["# synthetic experts (bench_scale.py)"]
    for i in range(N_EXPERTS):
        lines += [f"- id: {_q(f'E{i:04d}')}", f"  name: 专家{i}",
                  f"  specialties: [{SPECIALTIES[i % 5]}, {SPECIALTIES[(i + 1) % 5]}]",
                  "  employer: 某大学", "  title: 高级工程师", f"  phone: {_q(f'139{i:08d}')}"]
        if i < 10:
            lines += ["  recusals:", f"  - object_id: {_q(uscc(i * 104729 % n))}", "    reason: interest"]
    (reg / "experts.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    for name in ("items.yaml", "calendar.yaml"):
        shutil.copyfile(ROOT / "shuijie" / "example" / "registries" / name, reg / name)
    # 1%: ratio 0.01 in every stratum; 12 weeks of working days (~1/day per inspector at most)
    plan.write_text(f"""\
id: scale-{n}
title: 规模测试（{n}户，抽取1%）
doc_no: 信应急〔2026〕99号
unit: 信阳市应急管理局
approved_by: 信阳市应急管理局局长办公会
approved_on: 2026-02-10
registries:
  items: ../registries/items.yaml
  objects: ../registries/objects.csv
  inspectors: ../registries/inspectors.yaml
  experts: ../registries/experts.yaml
  calendar: ../registries/calendar.yaml
items: [WH-01, AQ-01, AQ-02, AQ-03]
population:
  industry: [危险化学品经营]
strata:
- name: 高风险
  where:
    risk: [高, 较高]
  ratio: '0.01'
- name: 一般
  ratio: '0.01'
cooldown: 6
window:
  start: 2026-03-02
  end: 2026-06-19
notice_date: 2026-02-24
team:
  size: 3
  min_qualified: 2
  max_per_day: 1
  max_per_round: 40
experts:
  per_team: 1
  specialties: [危险化学品, 化工工艺]
  max_per_day: 2
schedule:
  group_by: area
public_random_source: 规模测试
materials: [营业执照复印件]
attendees: [主要负责人]
contact:
  name: 危险化学品安全监督管理科
  phone: 0376-6201234
  address: 信阳市
rounds_dir: ../rounds
""", "utf-8")
    return plan


def rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KiB


def rss_now_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def machine() -> str:
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), Python {sys.version.split()[0]}"


# ---------------------------------------------------------------- child: in-process stages


def stages(plan: Path) -> None:
    """Runs in a fresh interpreter; prints one JSON line with the stage table."""
    global OUT
    OUT = plan.parent.parent.parent  # where main() put the workspaces: its trash/ is beside them
    from shuijie.core.draw import dumps, run_draw
    from shuijie.core.errors import ProblemList
    from shuijie.core.snapshot import build_snapshot
    from shuijie.core.text import json_bytes
    from shuijie.registries.check import load_workspace
    from shuijie.registries.load import load_registry
    from shuijie.stages.draw_round import (
        _commitment_doc,
        _inputs_files,
        _snapshot_files,
        keep_round_objects,
        write_round_papers,
    )
    from shuijie.store.rounds import (
        COMMITMENT,
        MANIFEST,
        RECORD,
        as_inputs,
        manifest_bytes,
        write_tree,
    )

    out: list[dict] = []

    def stage(name: str, fn):
        t, c = time.perf_counter(), time.process_time()
        v = fn()
        out.append({"stage": name, "seconds": round(time.perf_counter() - t, 3),
                    "cpu": round(time.process_time() - c, 3),
                    "rss_mb": round(rss_now_mb(), 1), "peak_rss_mb": round(rss_mb(), 1)})
        return v

    objects = plan.parent.parent / "registries" / "objects.csv"
    table = stage("load objects (columns)", lambda: load_registry("objects", objects, objects.name, ProblemList()))
    rows = len(table)
    del table
    ws = stage("validate (load_workspace)", lambda: load_workspace(plan))
    snap = stage("snapshot", lambda: build_snapshot(ws))
    record = stage("draw", lambda: run_draw(snap.files, ["bench"]))
    record.update(unmatched=snap.unmatched, cooldown_excluded=snap.cooldown_excluded,
                  committed_separately=False, tool_version="bench")
    stage("records (drawn objects)", lambda: keep_round_objects(ws, record))
    dest = OUT / f"stages-{os.getpid()}"  # beside the workspace (--out)
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    try:
        def write_core():
            write_tree(dest, {COMMITMENT: json_bytes(_commitment_doc(ws, snap)), **_snapshot_files(snap),
                               **_inputs_files(ws), RECORD: dumps(record)})
        stage("write snapshot+inputs", write_core)
        papers = stage("papers", lambda: write_round_papers(dest, as_inputs(ws, dest), record, None))
        stage("manifest", lambda: (dest / MANIFEST).write_bytes(manifest_bytes(dest)))
    finally:
        discard(dest)
    print(json.dumps({"rows": rows, "selected": len(record["selected"]), "papers": len(papers), "stages": out}))


def run_child(args: list[str], env: dict | None = None) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run a command in a child; wall seconds and that child's peak RSS (MB).

    ``RUSAGE_CHILDREN`` keeps the max over all children waited for, so each
    measurement goes through its own intermediate process."""
    probe = ("import resource,subprocess,sys,time,json;t=time.perf_counter();"
             "p=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
             "w=time.perf_counter()-t;u=resource.getrusage(resource.RUSAGE_CHILDREN);r=u.ru_maxrss/1024;"
             "sys.stdout.write(json.dumps({'wall':w,'rss':r,'rc':p.returncode,'out':p.stdout[-4000:],"
             "'err':p.stderr[-4000:],'user':u.ru_utime,'sys':u.ru_stime}))")
    p = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env)
    doc = json.loads(p.stdout)
    cp = subprocess.CompletedProcess(args, doc["rc"], doc["out"], doc["err"])
    LAST_CPU[:] = [doc["user"], doc["sys"]]
    return doc["wall"], doc["rss"], cp


LAST_CPU = [0.0, 0.0]  # user and kernel CPU seconds of the last run_child (with its own children)


def cpu_text() -> str:
    return f"CPU {LAST_CPU[0]:.1f} s user + {LAST_CPU[1]:.1f} s kernel, all processes"


def fill_results(round_dir: Path, out: Path) -> None:
    """The round's 结果录入表 filled as a clerk would (checked on the planned day, 未发现问题;
    every tenth 发现问题已责令改正 with a finding), saved to ``out`` (not timed)."""
    import datetime as dt

    import openpyxl

    wb = openpyxl.load_workbook(round_dir / "结果录入表.xlsx")
    s = wb["检查结果"]
    cols = {c.value: c.column for c in s[1]}
    for r in range(2, s.max_row + 1):
        planned = dt.date.fromisoformat(s.cell(row=r, column=cols["计划检查日期"]).value)
        s.cell(row=r, column=cols["检查日期"]).value = dt.datetime.combine(planned, dt.time())
        if r % 10:
            s.cell(row=r, column=cols["检查结果"]).value = "未发现问题"
            s.cell(row=r, column=cols["是否立案"]).value = "否"
        else:
            s.cell(row=r, column=cols["检查结果"]).value = "发现问题已责令改正"
            s.cell(row=r, column=cols["发现问题情况"]).value = "储罐区未设置安全警示标志"
            s.cell(row=r, column=cols["是否立案"]).value = "否"
    wb.save(out)


def after_the_draw(n: int, round_dir: Path) -> dict:
    """``--after``: the later stages on the drawn round, each a CLI run (results, review,
    publish, summary, status, then verify again over the added files)."""
    filled = OUT / f"filled-{n}.xlsx"
    fill_results(round_dir, filled)
    shuijie = [sys.executable, "-m", "shuijie"]
    out: dict = {}
    for name, args in (("results", ["results", str(round_dir), str(filled)]),
                       ("review", ["review", str(round_dir), "--approve", "--by", "张三"]),
                       ("publish", ["publish", str(round_dir)]),
                       ("summary", ["summary", str(round_dir)]),
                       ("status", ["status", str(round_dir.parent)]),
                       ("verify again", ["verify", str(round_dir)])):
        wall, rss, cp = run_child([*shuijie, *args, "--json"])
        if cp.returncode != 0:
            print(cp.stdout[-2000:], cp.stderr[-2000:])
            raise SystemExit(f"shuijie {name} failed ({cp.returncode})")
        out[name] = {"wall": wall, "rss": rss}
        label = f"CLI `shuijie {name}`"
        print(f"{label:26}: {wall:8.1f} s   peak RSS {rss:7.0f} MB   ({cpu_text()})")
    return out


def measure(n: int, cli_only: bool, after: bool = False) -> dict:
    t = time.perf_counter()
    plan = make_workspace(n)
    print(f"\n=== {n:,} objects (workspace {plan.parent.parent}, generated in {time.perf_counter() - t:.1f} s) ===",
          flush=True)
    res: dict = {"n": n}
    if not cli_only:
        wall, rss, cp = run_child([sys.executable, __file__, "--stages", str(plan)])
        if cp.returncode != 0:
            print(cp.stderr)
            raise SystemExit(f"stages child failed ({cp.returncode})")
        doc = json.loads(cp.stdout.strip().splitlines()[-1])
        res.update(doc, stage_wall=wall, stage_rss=rss)
        print(f"rows {doc['rows']:,}, drawn {doc['selected']:,}, papers {doc['papers']:,}")
        print(f"{'stage':28} {'seconds':>8} {'cpu s':>7} {'RSS MB':>7} {'peak MB':>8}")
        for s in doc["stages"]:
            print(f"{s['stage']:28} {s['seconds']:8.2f} {s['cpu']:7.2f} {s['rss_mb']:7.0f} {s['peak_rss_mb']:8.0f}")
        print(f"{'in-process total':28} {sum(s['seconds'] for s in doc['stages']):8.2f} "
              f"{sum(s['cpu'] for s in doc['stages']):7.2f}")
    rounds = plan.parent.parent / "rounds"
    discard(rounds)
    shuijie = [sys.executable, "-m", "shuijie"]
    wall, rss, cp = run_child([*shuijie, "draw", str(plan), "--random", "bench", "--json"])
    if cp.returncode != 0:
        print(cp.stdout, cp.stderr)
        raise SystemExit(f"shuijie draw failed ({cp.returncode})")
    res.update(draw_wall=wall, draw_rss=rss)
    print(f"CLI `shuijie draw`  : {wall:8.1f} s   peak RSS {rss:7.0f} MB   ({cpu_text()})")
    wall, rss, cp = run_child([*shuijie, "verify", str(rounds / f"scale-{n}"), "--json"])
    if cp.returncode != 0:
        print(cp.stdout[-2000:], cp.stderr[-2000:])
    res.update(verify_wall=wall, verify_rss=rss, verify_rc=cp.returncode)
    print(f"CLI `shuijie verify`: {wall:8.1f} s   peak RSS {rss:7.0f} MB   exit {cp.returncode}   ({cpu_text()})")
    if after:
        res["after"] = after_the_draw(n, rounds / f"scale-{n}")
    print(create_cost(OUT))
    files = sum(1 for p in (rounds / f"scale-{n}").rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in (rounds / f"scale-{n}").rglob("*") if p.is_file())
    res.update(files=files, round_mb=size / 2**20)
    print(f"round folder: {files:,} files, {size / 2**20:.0f} MB")
    return res


def discard(path: Path) -> None:
    """Move ``path`` (if any) into ``trash/`` beside the workspaces, emptied by :func:`main` after
    the last measurement: deleting 20,000 files would make the next run's files cost several
    times more to create on a file system without a journal (see the module text)."""
    if not path.exists():
        return
    trash = OUT / "trash"
    trash.mkdir(parents=True, exist_ok=True)
    path.rename(trash / f"{path.name}-{os.getpid()}-{time.monotonic_ns()}")


def empty_trash() -> None:
    trash = OUT / "trash"
    if trash.exists():
        t = time.perf_counter()
        shutil.rmtree(trash, ignore_errors=True)
        print(f"\nearlier runs' files deleted after the measurements ({time.perf_counter() - t:.1f} s)")


def create_cost(folder: Path, n: int = 10_000) -> str:
    """What creating ``n`` empty files in a new folder under ``folder`` costs here."""
    probe = folder / f"create-probe-{os.getpid()}"
    probe.mkdir(parents=True)
    t, before = time.perf_counter(), os.times()
    try:
        for i in range(n):
            (probe / f"{i:05d}-信阳市某某化工有限公司检查通知书.docx").write_bytes(b"")
        after, wall = os.times(), time.perf_counter() - t
    finally:
        discard(probe)
    return (f"file system: {n:,} empty files created in {wall:.2f} s ({after.system - before.system:.2f} s "
            f"kernel) under {folder} (a 1M round writes 20,077)")


def main(argv: list[str]) -> None:
    global OUT
    if argv[:1] == ["--stages"]:
        stages(Path(argv[1]))
        return
    if "--out" in argv:
        at = argv.index("--out")
        OUT = Path(argv[at + 1]).resolve()
        del argv[at:at + 2]
    cli_only = "--cli-only" in argv
    after = "--after" in argv
    sizes = [int(a) for a in argv if a.isdigit()] or [100_000, 1_000_000]
    print(f"machine: {machine()}")
    OUT.mkdir(parents=True, exist_ok=True)
    print(create_cost(OUT))
    try:
        results = [measure(n, cli_only, after) for n in sizes]
    finally:
        empty_trash()
    if len(results) >= 2:
        a, b = results[0], results[-1]
        f = b["n"] / a["n"]
        print(f"\ngrowth {a['n']:,} -> {b['n']:,} objects (x{f:g}):")
        print(f"  draw time x{b['draw_wall'] / a['draw_wall']:.2f}, draw peak RSS x{b['draw_rss'] / a['draw_rss']:.2f}, "
              f"verify time x{b['verify_wall'] / a['verify_wall']:.2f} (linear: x{f:g} or less)")
        if not cli_only:
            for sa, sb in zip(a["stages"], b["stages"]):
                r = sb["seconds"] / sa["seconds"] if sa["seconds"] > 0.005 else float("nan")
                print(f"  {sa['stage']:28} x{r:6.2f}")
    big = results[-1]

    def met(ok: bool) -> str:
        return "target met" if ok else "NOT met"

    print(f"\n{big['n']:,} objects: whole draw {big['draw_wall']:.1f} s (target ≤ {TARGET_SECONDS} s): "
          f"{met(big['draw_wall'] <= TARGET_SECONDS)}")
    print(f"{big['n']:,} objects: draw peak RSS {big['draw_rss']:.0f} MB (target ≤ {TARGET_RSS_MB} MB): "
          f"{met(big['draw_rss'] <= TARGET_RSS_MB)}")
    print(f"{big['n']:,} objects: verify {big['verify_wall']:.1f} s (target ≤ {TARGET_SECONDS} s): "
          f"{met(big['verify_wall'] <= TARGET_SECONDS)}; peak RSS {big['verify_rss']:.0f} MB "
          f"(target ≤ {TARGET_RSS_MB} MB): {met(big['verify_rss'] <= TARGET_RSS_MB)}; exit {big['verify_rc']} "
          f"({'round verified' if big['verify_rc'] == 0 else 'NOT verified'})")


if __name__ == "__main__":
    main(sys.argv[1:])
