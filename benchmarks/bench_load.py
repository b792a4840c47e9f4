"""Loading an objects workbook vs python-calamine's bare read (issues 2 and 15).

    python benchmarks/bench_load.py [ROWS ...] [-n N]

ROWS defaults to 100000 and 1048575 (Excel's row limit: 1,048,576 rows with the header).
Generates benchmarks/out/objects-<ROWS>.xlsx once (openpyxl write_only mode; ids are valid
USCCs; the 1,048,575-row file takes some minutes), then, for each size, runs interleaved,
best of N (default 5), each in a fresh child process (so that its peak RSS is its own):
  bare:  CalamineWorkbook.from_path(p).get_sheet_by_index(0).to_python()
  load:  shuijie.registries.load.load_registry("objects", p, …) — the full loader: workbook
         checks (merged cells, formulas), header mapping, per-row checks incl. the
         GB 32100 check character, the objects' columns with their source rows.
and prints wall time, CPU time (steadier on a busy machine; it counts the loader's
background cell scan, which wall time on two idle cores hides) and peak RSS
(``ru_maxrss``) of both, with the ratios.  Targets (issue 15): load ≤ 1.25× bare, and at
1,048,575 rows a peak RSS at most 300 MB above calamine's own.
For 100,000 rows it also times, in this process, a CSV of the same rows and an export-style
workbook (issue: registries as clerks have them): a title row and a notes row above the
header, platform header names, 16 columns of which 6 unused (序号 and five others) — loaded
within 1.5× of calamine's bare read of the same file.
"""

from __future__ import annotations

import csv
import os
import platform
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from shuijie.core.errors import ProblemList
from shuijie.core.ids import uscc_for_serial
from shuijie.registries.load import load_registry

HEADERS = ["统一社会信用代码", "名称", "地址", "负责人", "联系方式", "区域", "行业", "类型", "风险等级", "信用等级",
           "许可文件名称", "许可文号", "备注"]
AREAS = ["浉河区", "平桥区", "罗山县", "光山县", "新县", "商城县", "固始县", "潢川县", "淮滨县", "息县"]


def rows(n: int):
    for i in range(n):
        yield [uscc_for_serial(i), f"信阳市第{i}号化工贸易有限公司", f"信阳市浉河区新华路{i}号",
               "张三", f"138{i:08d}", AREAS[i % 10], "危险化学品经营", "企业", "一般", "B",
               "危险化学品经营许可证", f"豫信危化经字〔2024〕{i:06d}", ""]


EXPORT_HEADERS = ["序号", "统一社会信用代码（注册号）", "企业（单位）名称", "住所（经营场所）", "法定代表人/负责人",
                  "手机号码", "所属行政区划", "所属行业", "市场主体类型", "风险等级", "信用等级",
                  "注册资本", "成立日期", "登记机关", "经营范围", "核准日期"]


def make_export(n: int) -> Path:
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    x = out / f"objects-export-{n}.xlsx"
    if not x.exists():
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("待抽检库")
        ws.append(["待抽检库导出（信阳市）"])
        ws.append(["填报单位：信阳市应急管理局　填报时间：2026年2月1日"])
        ws.append(EXPORT_HEADERS)
        for i, r in enumerate(rows(n), start=1):
            ws.append([str(i), *r[:10], "100万元", "2015-06-01", "信阳市市场监督管理局", "危险化学品经营（不带储存）",
                       "2020-01-01"])
        wb.save(x)
    return x


def make(n: int) -> tuple[Path, Path]:
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    x, c = out / f"objects-{n}.xlsx", out / f"objects-{n}.csv"
    if not x.exists():
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("检查对象")
        ws.append(HEADERS)
        for r in rows(n):
            ws.append(r)
        wb.save(x)
    if not c.exists():
        with c.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(HEADERS)
            w.writerows(rows(n))
    return x, c


CLOCK = time.perf_counter


def best(fn, k: int = 3) -> float:
    ts = []
    for _ in range(k):
        t = CLOCK()
        fn()
        ts.append(CLOCK() - t)
    return min(ts)


CHILD = r"""
import sys, time
root, what, path = sys.argv[1:4]
sys.path.insert(0, root)
from python_calamine import CalamineWorkbook
if what == "load":
    from pathlib import Path
    from shuijie.core.errors import ProblemList
    from shuijie.registries.load import load_registry
w, c = time.perf_counter(), time.process_time()
if what == "bare":
    n = len(CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()) - 1
else:
    probs = ProblemList()
    n = len(load_registry("objects", Path(path), Path(path).name, probs))
    assert not probs, probs.items[:3]
w, c = time.perf_counter() - w, time.process_time() - c
try:
    import resource  # POSIX only
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
except ImportError:
    peak = float("nan")
print(n, w, c, peak)
"""


def child(what: str, x: Path) -> tuple[int, float, float, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), what, str(x)], check=True,
                         capture_output=True, text=True).stdout.split()
    return int(out[0]), float(out[1]), float(out[2]), float(out[3])


def machine() -> str:
    load = " load average %.1f %.1f %.1f" % os.getloadavg() if hasattr(os, "getloadavg") else ""
    return (f"{platform.platform()}, {os.cpu_count()} CPUs ({platform.processor() or platform.machine()}),"
            f" Python {platform.python_version()}, python-calamine {version('python-calamine')};{load}")


def run_children(n: int, x: Path, k: int) -> None:
    """Interleaved, best of ``k``: fresh child processes, bare read and loader in turn."""
    best_of: dict[str, list[float]] = {}
    for _ in range(k):
        for what in ("bare", "load"):
            rows, w, c, peak = child(what, x)
            assert rows == n, (what, rows)
            b = best_of.setdefault(what, [w, c, peak])
            b[:] = [min(b[0], w), min(b[1], c), min(b[2], peak)]
    (bw, bc, bp), (lw, lc, lp) = best_of["bare"], best_of["load"]
    print(f"rows: {n:,} ({x.name}, {x.stat().st_size / 1e6:.0f} MB), best of {k}, each in a fresh process")
    print(f"  calamine bare read : wall {bw:7.3f} s  cpu {bc:7.3f} s  peak RSS {bp:7.0f} MB")
    print(f"  shuijie load       : wall {lw:7.3f} s  cpu {lc:7.3f} s  peak RSS {lp:7.0f} MB")
    print(f"  ratio              : wall {lw / bw:.2f}x  cpu {lc / bc:.2f}x  (target <= 1.25x);"
          f"  peak RSS {lp - bp:+.0f} MB vs calamine's (target <= +300 MB)", flush=True)


def main() -> None:
    global CLOCK
    args = sys.argv[1:]
    k = 5
    if "-n" in args:
        i = args.index("-n")
        k = int(args[i + 1])
        del args[i:i + 2]
    sizes = [int(a) for a in args] or [100_000, 1_048_575]
    print(machine())
    for n in sizes:
        x, _ = make(n)
        run_children(n, x, k)
    if 100_000 in sizes:
        x, c = make(100_000)
        e = make_export(100_000)
        for name, clock in (("wall", time.perf_counter), ("cpu", time.process_time)):
            CLOCK = clock
            print(f"-- in this process, {name} time (cpu time is steadier on a busy machine)")
            run(100_000, x, c)
            run_export(100_000, e)


def run_export(n: int, x: Path) -> None:
    def bare():
        CalamineWorkbook.from_path(str(x)).get_sheet_by_index(0).to_python()

    def load():
        probs = ProblemList()
        recs = load_registry("objects", x, x.name, probs)
        assert not probs.errors and len(recs) == n, probs.items[:3]
        assert {p.code for p in probs.warnings} == {"rows_above_header", "columns_unused"}

    t_bare = t_load = float("inf")
    for _ in range(5):
        t_bare = min(t_bare, best(bare, 1))
        t_load = min(t_load, best(load, 1))
    print(f"export-style (title rows, 16 columns, 6 unused): calamine {t_bare:.3f} s, "
          f"shuijie {t_load:.3f} s   ratio {t_load / t_bare:.2f}x  (target ≤ 1.5x)")


def run(n: int, x: Path, c: Path) -> None:
    def bare():
        CalamineWorkbook.from_path(str(x)).get_sheet_by_index(0).to_python()

    def load(p: Path):
        probs = ProblemList()
        recs = load_registry("objects", p, p.name, probs)
        assert not probs and len(recs) == n, probs.items[:3]

    # interleaved, best of 5 each: the machine may be busy, both see the same load
    t_bare = t_load = float("inf")
    for _ in range(5):
        t_bare = min(t_bare, best(bare, 1))
        t_load = min(t_load, best(lambda: load(x), 1))
    t_csv = best(lambda: load(c))
    print(f"rows: {n}")
    print(f"calamine bare read : {t_bare:.3f} s")
    print(f"shuijie load (xlsx): {t_load:.3f} s   ratio {t_load / t_bare:.2f}x  (target ≤ 1.25x)")
    print(f"shuijie load (csv) : {t_csv:.3f} s")


if __name__ == "__main__":
    main()
