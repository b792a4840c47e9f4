"""Static web pages of a round (第十九条 publication, public verification of the draw).

Three self-contained HTML pages (no server, no external script, font or style; they
open from ``file://``), written into ``<round>/网页/``:

* ``承诺公告.html`` after ``commit``: plan title, 文号, approval, the commitment S,
  the SHA-256 of every snapshot file, the public random source and its date;
* ``抽取结果.html`` after ``draw``: the same plus the public random values, the seed
  Z, the strata, the drawn objects (unless the plan says ``publish_drawn_list:
  false``) and a verifier in plain JavaScript (``web_assets/verify.js``) that
  recomputes the draw from the published material (DRAW-SPEC §1–§5);
* ``公示.html`` after ``publish``: the results as in 公示表 (第十九条).

The builders (:func:`commitment_page`, :func:`draw_page`, :func:`publication_page`)
are pure: round data in, bytes out; the same inputs give the same bytes.

Privacy: the verifier needs ``parameters.json`` (strata, ratios, working days, team
rules: no personal data; always embedded) and ``population.csv`` (object ids,
strata, areas).  The population is embedded only when the plan says
``publish_population: true`` (strata may reveal risk ratings) and it holds no
natural person's ID number; otherwise the visitor loads the file and the page
checks its SHA-256 against the announcement.  inspectors.csv, experts.csv and
conflicts.csv (inspectors, experts, recusals) are never embedded: only their
hashes are shown.  ID numbers are masked, free text is scrubbed of ID and phone
numbers (:func:`shuijie.papers.rows.scrub`).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Sequence

from shuijie.core.ids import is_id_card_number
from shuijie.core.rules.items import for_object as items_for_object
from shuijie.core.text import date_cn
from shuijie.papers.rows import (
    check_type,
    drawn_rows,
    inspecting_unit,
    outcome_text,
    public_code,
    scrub,
)

WEB_DIR = "网页"
COMMIT_PAGE = f"{WEB_DIR}/承诺公告.html"
DRAW_PAGE = f"{WEB_DIR}/抽取结果.html"
PUBLIC_PAGE = f"{WEB_DIR}/公示.html"

SNAPSHOT_FILES = ("parameters.json", "population.csv", "inspectors.csv", "experts.csv", "conflicts.csv")
SNAPSHOT_LABELS = {
    "parameters.json": "抽取参数（分层及比例、检查工作日、检查组规则）",
    "population.csv": "检查对象名单及所属分层、区域",
    "inspectors.csv": "执法检查人员（编号、执法资格、执法区域）",
    "experts.csv": "检查专家（编号、专业领域）",
    "conflicts.csv": "回避关系（第十五条）",
}
DRAWN_HEADERS = ("序号", "检查对象名称（姓名）", "统一社会信用代码（身份证号码）", "分层", "检查日期")
STRATA_HEADERS = ("分层", "抽取规则", "检查对象数", "抽取数")
FILES_HEADERS = ("快照文件", "内容", "SHA-256")
PUBLIC_HEADERS = ("序号", "检查对象名称（姓名）", "统一社会信用代码（身份证号码）", "抽查事项", "检查实施机关",
                  "检查日期", "检查结果")


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("web_assets", name).read_text("utf-8")


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


_CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def source_date(source: str) -> str:
    """The date named in the public random source text (``…（2026年2月26日开奖）``), or ''."""
    for rx in (_CN_DATE, _ISO_DATE):
        m = rx.search(source or "")
        if m:
            try:
                return date_cn(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
            except ValueError:
                continue
    return ""


def _kv(caption: str, rows: Iterable[tuple[str, str]], raw: bool = False) -> str:
    """A two-column table of row headers and values (values already escaped when ``raw``)."""
    body = "".join(f'<tr><th scope="row">{_e(k)}</th><td>{v if raw else _e(v)}</td></tr>\n' for k, v in rows)
    return f'<table class="kv"><caption>{_e(caption)}</caption><tbody>\n{body}</tbody></table>\n'


def _grid(table_id: str, caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]],
          numeric: Sequence[int] = (), mono: Sequence[int] = (), nowrap: Sequence[int] = ()) -> str:
    """A data table that turns into cards on a phone (labels from :func:`_card_css`).
    Cell values are escaped here; columns in ``numeric`` are right-aligned, in ``mono`` hashes."""
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    out = [f'<table id="{table_id}" class="cards"><caption>{_e(caption)}</caption>\n'
           f"<thead><tr>{head}</tr></thead>\n<tbody>\n"]
    cls = {**{i: ' class="n"' for i in numeric}, **{i: ' class="hash"' for i in mono},
           **{i: ' class="d"' for i in nowrap}}
    for row in rows:
        tds = "".join(f"<td{cls.get(i, '')}>{_e(v)}</td>" for i, v in enumerate(row))
        out.append(f"<tr>{tds}</tr>\n")
    out.append("</tbody></table>\n")
    return "".join(out)


def _card_css(tables: dict[str, Sequence[str]]) -> str:
    rules = []
    for tid, headers in tables.items():
        for i, h in enumerate(headers, start=1):
            rules.append(f'#{tid} td:nth-child({i})::before{{content:"{h}"}}')
    return "@media screen and (max-width:640px){" + "".join(rules) + "}\n"


def _page(title: str, heading: str, sub: str, body: str, card_tables: dict[str, Sequence[str]],
          script: str = "") -> bytes:
    css = _asset("page.css") + _card_css(card_tables)
    doc = (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>\n{css}</style>\n</head>\n<body>\n<main>\n"
        f'<header><h1>{_e(heading)}</h1><p class="sub">{_e(sub)}</p></header>\n'
        f"{body}"
        '<footer>本页为静态网页，不联网、不调用外部资源，可离线打开、打印；抽取算法为公开的 shuijie-draw/1。</footer>\n'
        "</main>\n"
        f"{script}"
        "</body>\n</html>\n"
    )
    return doc.encode("utf-8")


def _plan_rows(plan: Any, plan_id: str) -> list[tuple[str, str]]:
    approval = scrub(getattr(plan, "approved_by", "") or "")
    rows = [
        ("抽查任务", scrub(plan.title)),
        ("方案编号", plan_id),
        ("公开文号", scrub(getattr(plan, "doc_no", "") or "") or "—"),
        ("检查实施机关", scrub(plan.unit)),
        ("方案批准", approval or "—"),
        ("批准日期", date_cn(getattr(plan, "approved_on", None)) or "—"),
    ]
    return rows


def _commitment_sections(plan: Any, cdoc: dict[str, Any]) -> str:
    hashes = cdoc.get("snapshot_sha256", {})
    src = scrub(getattr(plan, "public_random_source", "") or "")
    src_rows = [("公开随机数来源", src)]
    when = source_date(src)
    if when:
        src_rows.append(("随机数产生日期", when))
    files = [(name, SNAPSHOT_LABELS[name], hashes.get(name, "")) for name in SNAPSHOT_FILES]
    return (
        "<section>\n<h2>抽查工作方案</h2>\n" + _kv("方案信息（第十条）", _plan_rows(plan, cdoc["plan_id"])) + "</section>\n"
        "<section>\n<h2>承诺值</h2>\n"
        "<p>承诺值 S 在公开随机数产生之前公布。它由下列 5 个快照文件的 SHA-256 计算得出"
        "（S = H(\"commit\", 方案编号, 5 个文件的 SHA-256)）；公布后改动任何名录、回避关系、抽查比例或日期都会改变 S。</p>\n"
        + _kv("承诺值与算法", [("承诺值 S", f'<span class="hash">{_e(cdoc["commitment"])}</span>'),
                             ("抽取算法", '<span class="hash">shuijie-draw/1</span>')], raw=True)
        + _grid("files", "快照文件及其 SHA-256", FILES_HEADERS, files, mono=(0, 2))
        + "</section>\n<section>\n<h2>公开随机数</h2>\n" + _kv("公开随机数来源", src_rows) + "</section>\n"
    )


def commitment_page(plan: Any, commitment_doc: dict[str, Any]) -> bytes:
    """承诺公告.html from the plan and the round's commitment.json (as a dict)."""
    title = f"{scrub(plan.title)}——抽取承诺公告"
    body = (
        '<p>本公告在公开随机数产生之前发布。公开随机数产生后，检查对象和检查人员将按公开算法 shuijie-draw/1 '
        '由下列快照和随机数唯一确定，任何人都可以重新计算核验。</p>\n'
        + _commitment_sections(plan, commitment_doc)
    )
    sub = "　".join(x for x in (scrub(plan.unit), scrub(getattr(plan, "doc_no", "") or "")) if x)
    return _page(title, "抽取承诺公告", f"{scrub(plan.title)}　{sub}", body, {"files": FILES_HEADERS})


def _rule(st: dict[str, Any]) -> str:
    if "count" in st:
        return f"固定 {st['count']} 户"
    return f"比例 {st.get('ratio')}（向上取整）"


def population_embeddable(plan: Any, population_csv: bytes) -> tuple[bool, str]:
    """Whether the page may carry population.csv, and why not (Chinese) when it may not."""
    if not getattr(plan, "publish_population", False):
        return False, "按本方案设置，检查对象名单文件（含分层，可能反映风险等级）不随页面公开。"
    for line in population_csv.decode("utf-8").split("\n")[1:]:
        if line and is_id_card_number(line.split(",", 1)[0]):
            return False, "检查对象名单中含自然人身份证号码，依法不随页面公开。"
    return True, ""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _json_script(doc: dict[str, Any]) -> str:
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def draw_page(plan: Any, commitment_doc: dict[str, Any], snapshot: dict[str, bytes], record: dict[str, Any],
              names: dict[str, str]) -> bytes:
    """抽取结果.html: the announcement, the public random values, the seed, the strata, the drawn
    objects (``names``: object id → name) and the verifier."""
    show_list = getattr(plan, "publish_drawn_list", True)
    params = json.loads(snapshot["parameters.json"].decode("utf-8"))
    rules = {st.get("name"): _rule(st) for st in params.get("strata", []) if isinstance(st, dict)}
    randoms = record.get("public_random", [])
    rand_rows = [(f"第 {i} 个随机数" if len(randoms) > 1 else "随机数取值",
                  f'<span class="hash">{_e(r)}</span>') for i, r in enumerate(randoms, start=1)]
    rand_rows.append(("随机种子 Z", f'<span class="hash">{_e(record["seed"])}</span>'))
    strata = [(s["name"], rules.get(s["name"], ""), str(s["population"]), str(s["drawn"]))
              for s in record.get("strata", [])]
    total = sum(s["drawn"] for s in record.get("strata", []))
    body = [
        f'<p>本轮共抽取检查对象 {total} 户。下列结果由承诺公告中的快照和公开随机数按公开算法 shuijie-draw/1 唯一确定，'
        "本页可在浏览器中离线重新计算核验。</p>\n",
    ]
    embed, why_not = population_embeddable(plan, snapshot["population.csv"])
    body.append(
        '<section class="verify">\n<h2>核验</h2>\n'
        '<p>页面用浏览器自带的 SHA-256 重新计算：参数文件和检查对象名单文件的 SHA-256、承诺值 S、种子 Z、'
        "各层抽取数量" + ("、抽中名单及检查日期" if show_list else "") + "，并与本页公布的内容逐项比对。"
        "检查人员的抽取请用 shuijie verify 核验。</p>\n"
        '<p id="verify-result" role="status" aria-live="polite">需要启用 JavaScript 才能核验。</p>\n'
        '<ul id="verify-steps"></ul>\n')
    if not embed:
        body.append(
            f'<p class="note">{_e(why_not)}如需核验，请向检查实施机关索取快照文件 population.csv，'
            "页面先比对其 SHA-256 与承诺公告一致，再重新计算。</p>\n"
            '<label id="drop-zone" class="no-print">点击选择或把 population.csv 拖放到这里'
            '<input type="file" id="population-file" accept=".csv,text/csv"></label>\n')
    body.append("</section>\n")
    tables: dict[str, Sequence[str]] = {"files": FILES_HEADERS, "strata": STRATA_HEADERS}
    if show_list:
        rows = [(str(i), scrub(names.get(s["object_id"], "")) or public_code(s["object_id"]),
                 public_code(s["object_id"]), s["stratum"], s["date"])
                for i, s in enumerate(record.get("selected", []), start=1)]
        body += ["<section>\n<h2>抽中的检查对象</h2>\n",
                 _grid("drawn", "抽中的检查对象及检查日期（按检查顺序）", DRAWN_HEADERS, rows, numeric=(0,)),
                 '<p class="note">自然人身份证号码已部分遮盖。</p>\n</section>\n']
        tables["drawn"] = DRAWN_HEADERS
    else:
        body.append('<p class="note">按本方案设置，抽中名单不在本页公布。</p>\n')
    body += [
        "<section>\n<h2>分层抽取（第二十五条）</h2>\n",
        _grid("strata", "各层检查对象数及抽取数", STRATA_HEADERS, strata, numeric=(2, 3)),
        "</section>\n<section>\n<h2>随机数取值与种子</h2>\n<p>种子 Z = H(\"seed\", S, 随机数原文)。</p>\n",
        _kv("公开随机数取值与随机种子", rand_rows, raw=True),
        "</section>\n",
        _commitment_sections(plan, commitment_doc),
    ]

    data = {
        "plan_id": record["plan_id"],
        "commitment": commitment_doc["commitment"],
        "seed": record["seed"],
        "public_random": list(randoms),
        "sha256": dict(commitment_doc.get("snapshot_sha256", {})),
    }
    script = (f'<script type="application/json" id="round-data">{_json_script(data)}</script>\n'
              f'<script type="text/plain" id="parameters">{_b64(snapshot["parameters.json"])}</script>\n')
    if embed:
        script += f'<script type="text/plain" id="population">{_b64(snapshot["population.csv"])}</script>\n'
    script += f"<script>\n{_asset('verify.js')}</script>\n"
    title = f"{scrub(plan.title)}——抽取结果"
    sub = "　".join(x for x in (scrub(plan.title), scrub(plan.unit), scrub(getattr(plan, "doc_no", "") or "")) if x)
    return _page(title, "抽取结果公告", sub, "".join(body), tables, script)


@dataclass(frozen=True)
class PublicRow:
    """One row of the publication page (第十九条)."""

    seq: int
    name: str
    object_id: str
    items: str
    date: dt.date | None
    outcome: str


def publication_page(plan: Any, rows: Sequence[PublicRow], published_on: dt.date,
                     left_out: int = 0) -> bytes:
    """公示.html: the results as in 公示表 (object, code, items, inspecting unit, date, result)."""
    unit = scrub(inspecting_unit(plan))
    cells = [(str(r.seq), scrub(r.name), public_code(r.object_id), scrub(r.items), unit,
              date_cn(r.date), scrub(r.outcome)) for r in rows]
    meta = [("抽查任务", scrub(plan.title)), ("公开文号", scrub(getattr(plan, "doc_no", "") or "") or "—"),
            ("检查实施机关", unit), ("抽查类型", f"双随机抽查（{check_type(plan)}）"), ("公示日期", date_cn(published_on)),
            ("公示户数", str(len(rows)))]
    if left_out:
        meta.append(("尚未公示", f"{left_out} 户（检查结果待审核后另行公示）"))
    body = (
        "<p>根据“双随机、一公开”工作要求（第十九条），现将本轮抽查检查结果公示如下。"
        '抽取过程及核验见同一文件夹中的<a href="抽取结果.html">抽取结果公告</a>。</p>\n'
        + _kv("公示信息", meta)
        + _grid("results", "抽查检查结果", PUBLIC_HEADERS, cells, numeric=(0,), nowrap=(5,))
        + '<p class="note">自然人身份证号码已部分遮盖。</p>\n'
    )
    title = f"{scrub(plan.title)}——检查结果公示"
    return _page(title, "抽查检查结果公示", f"{scrub(plan.title)}　{unit}", body, {"results": PUBLIC_HEADERS})


# ---------------------------------------------------------------- round folder helpers (I/O)


def read_snapshot_files(round_dir: Path) -> dict[str, bytes]:
    return {name: (Path(round_dir) / "snapshot" / name).read_bytes() for name in SNAPSHOT_FILES}


def write_commit_page(dest: Path, plan: Any) -> list[Path]:
    """Write 网页/承诺公告.html into ``dest`` (a round folder holding commitment.json)."""
    cdoc = json.loads((Path(dest) / "commitment.json").read_text("utf-8"))
    path = Path(dest) / COMMIT_PAGE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(commitment_page(plan, cdoc))
    return [path]


def write_draw_pages(dest: Path, ws: Any, record: dict[str, Any]) -> list[Path]:
    """Write 承诺公告.html and 抽取结果.html into ``dest`` (commitment.json and snapshot/ there)."""
    dest = Path(dest)
    written = write_commit_page(dest, ws.plan)
    cdoc = json.loads((dest / "commitment.json").read_text("utf-8"))
    objects = ws.objects.records_by_id(s["object_id"] for s in record.get("selected", []))
    names = {s["object_id"]: objects[s["object_id"]].name
             for s in record.get("selected", []) if s["object_id"] in objects}
    path = dest / DRAW_PAGE
    path.write_bytes(draw_page(ws.plan, cdoc, read_snapshot_files(dest), record, names))
    return written + [path]


def publication_page_for(ws: Any, record: dict[str, Any], results: dict[str, Any],
                         published_on: dt.date) -> bytes:
    """公示.html for ``shuijie publish``: the drawn objects with results, in processing order."""
    rows: list[PublicRow] = []
    drawn = drawn_rows(ws, record)
    for r in drawn:
        res = results.get(r.obj.id)
        if res is None:
            continue
        rows.append(PublicRow(len(rows) + 1, r.obj.name, r.obj.id, "；".join(i.name for i in items_for_object(ws, r.obj)),
                              dt.date.fromisoformat(res["date"]) if res.get("date") else None,
                              outcome_text(res)))
    return publication_page(ws.plan, rows, published_on, left_out=len(drawn) - len(rows))
