"""The static pages (shuijie.papers.web) built from round data, without a browser.

Content (plan, commitment, hashes, random values, seed, drawn objects), structure
(lang, captions, header scopes, phone and print CSS), self-containment (no external
resource), determinism, size for 1,000 drawn objects, and privacy (what is embedded,
what is masked, what is never shown).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re

import pytest
from conftest import SPEC_VECTORS
from web_helpers import ID_CARD, LANDLINE, MOBILE, page_texts, plan_ns, synthetic_round

from shuijie.core import draw
from shuijie.papers import web

EXAMPLE = SPEC_VECTORS / "example-round"


def spec_round():
    files = {n: (EXAMPLE / "snapshot" / n).read_bytes() for n in draw.SNAPSHOT_FILES}
    record = json.loads((EXAMPLE / "expected-draw.json").read_text("utf-8"))
    cdoc = {"plan_id": record["plan_id"], "commitment": draw.commitment(files),
            "snapshot_sha256": {n: draw.sha256_hex(b) for n, b in sorted(files.items())}}
    names = {s["object_id"]: f"对象{i}" for i, s in enumerate(record["selected"])}
    return files, record, cdoc, names


def embedded(html: str, block: str) -> bytes | None:
    m = re.search(rf'<script type="text/plain" id="{block}">([^<]*)</script>', html)
    return base64.b64decode(m.group(1)) if m else None


def table_rows(html: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table id="{table_id}".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [re.findall(r"<td[^>]*>(.*?)</td>", tr) for tr in re.findall(r"<tr>(.*?)</tr>", body)]


def test_commitment_page_holds_the_announcement():
    files, record, cdoc, _ = spec_round()
    html = web.commitment_page(plan_ns(), cdoc).decode("utf-8")
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"zh-CN\">")
    for text in ("2026年第二季度危险化学品经营企业“双随机、一公开”抽查", "信应急〔2026〕21号", "信阳市应急管理局局长办公会",
                 "2026年3月20日", cdoc["commitment"], "福彩3D", "随机数产生日期</th><td>2026年4月20日"):
        assert text in html, text
    rows = table_rows(html, "files")
    assert [r[0] for r in rows] == list(draw.SNAPSHOT_FILES)
    assert [r[2] for r in rows] == [draw.sha256_hex(files[n]) for n in draw.SNAPSHOT_FILES]
    assert "<script" not in html  # nothing to verify before the random value exists
    assert record["seed"] not in html


def test_draw_page_content_and_structure():
    files, record, cdoc, names = spec_round()
    html = web.draw_page(plan_ns(), cdoc, files, record, names).decode("utf-8")
    assert cdoc["commitment"] in html and record["seed"] in html
    assert "2026-02-25 dice: 3 1 4 1 5 9" in html
    rows = table_rows(html, "drawn")
    assert [(r[3], r[4]) for r in rows] == [(s["stratum"], s["date"]) for s in record["selected"]]
    assert [r[2] for r in rows] == [web.public_code(s["object_id"]) for s in record["selected"]]
    assert [r[1] for r in rows] == [names[s["object_id"]] for s in record["selected"]]
    strata = table_rows(html, "strata")
    assert strata == [["高风险", "比例 0.5（向上取整）", "4", "2"], ["一般", "固定 2 户", "4", "2"]]
    assert [(s["name"], str(s["population"]), str(s["drawn"])) for s in record["strata"]] == \
        [(r[0], r[2], r[3]) for r in strata]
    data = json.loads(re.search(r'id="round-data">(.*?)</script>', html).group(1))
    assert data["sha256"] == cdoc["snapshot_sha256"] and data["public_random"] == record["public_random"]
    assert embedded(html, "parameters") == files["parameters.json"]
    # structure: semantic tables, phone and print CSS, self-contained
    assert html.count("<caption>") >= 5 and 'scope="col"' in html and 'scope="row"' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "@page{size:A4" in html and "@media print{" in html and "@media screen and (max-width:640px)" in html
    assert '#drawn td:nth-child(3)::before{content:"统一社会信用代码（身份证号码）"}' in html
    assert "crypto.subtle.digest('SHA-256'" in html and "BigInt" in html
    for external in ("src=", "http://", "https://", "@import", "url(", "<link"):
        assert external not in html, external


def test_pages_are_deterministic():
    files, record, cdoc, names = spec_round()
    plan = plan_ns(publish_population=True)
    a = web.draw_page(plan, cdoc, files, record, names)
    assert a == web.draw_page(plan, dict(cdoc), dict(files), json.loads(json.dumps(record)), dict(names))
    assert web.commitment_page(plan, cdoc) == web.commitment_page(plan, dict(cdoc))
    rows = [web.PublicRow(1, "甲公司", "91411502MA4000001L", "事项", dt.date(2026, 3, 2), "未发现问题")]
    assert web.publication_page(plan, rows, dt.date(2026, 4, 1)) == web.publication_page(plan, rows, dt.date(2026, 4, 1))


def test_population_embedded_only_when_the_plan_says_so_and_no_id_numbers(tmp_path):
    files, record, cdoc, names = synthetic_round(tmp_path / "a", 200, [{"name": "一般", "ratio": "0.1"}])
    off = web.draw_page(plan_ns(), cdoc, files, record, names).decode("utf-8")
    assert embedded(off, "population") is None and 'id="population-file"' in off and 'id="drop-zone"' in off
    assert "不随页面公开" in off
    on = web.draw_page(plan_ns(publish_population=True), cdoc, files, record, names).decode("utf-8")
    assert embedded(on, "population") == files["population.csv"]
    assert 'id="population-file"' not in on
    # the spec vector's population holds a natural person's ID number: never embedded
    files2, record2, cdoc2, names2 = spec_round()
    html = web.draw_page(plan_ns(publish_population=True), cdoc2, files2, record2, names2).decode("utf-8")
    assert embedded(html, "population") is None and "含自然人身份证号码" in html


def test_drawn_list_left_out_when_the_plan_says_so():
    files, record, cdoc, names = spec_round()
    html = web.draw_page(plan_ns(publish_drawn_list=False), cdoc, files, record, names).decode("utf-8")
    assert 'id="drawn"' not in html and "抽中名单不在本页公布" in html
    for s in record["selected"]:
        assert web.public_code(s["object_id"]) not in html and names[s["object_id"]] not in html
    assert record["seed"] in html and table_rows(html, "strata")


def test_draw_page_under_300_kb_for_1000_drawn_objects(tmp_path):
    files, record, cdoc, names = synthetic_round(tmp_path / "big", 10_000,
                                                 [{"name": "高风险", "ratio": "0.1"}, {"name": "一般", "count": 500}])
    assert len(record["selected"]) == 1000
    page = web.draw_page(plan_ns(), cdoc, files, record, names)
    print(f"抽取结果.html for 1,000 drawn objects: {len(page):,} bytes")
    assert len(page) < 300_000
    assert len(table_rows(page.decode("utf-8"), "drawn")) == 1000
    rows = [web.PublicRow(i, names[s["object_id"]], s["object_id"], "危险化学品经营单位安全管理；重大危险源管理",
                          dt.date.fromisoformat(s["date"]), "未发现问题") for i, s in enumerate(record["selected"], 1)]
    pub = web.publication_page(plan_ns(), rows, dt.date(2026, 8, 3))
    print(f"公示.html for 1,000 objects: {len(pub):,} bytes")
    assert len(pub) < 300_000


def test_publication_page_fields_and_privacy():
    person = "411502198001010010"
    rows = [web.PublicRow(1, "信阳市甲化工有限公司", "91411502MA4000001L", "危险化学品经营许可；安全管理制度",
                          dt.date(2026, 3, 2), "未发现问题"),
            web.PublicRow(2, "张三（电话13912345678）", person, "烟花爆竹经营", dt.date(2026, 3, 3),
                          "发现问题已责令改正，联系0376-6201234")]
    html = web.publication_page(plan_ns(), rows, dt.date(2026, 4, 1), left_out=1).decode("utf-8")
    got = table_rows(html, "results")
    assert got[0] == ["1", "信阳市甲化工有限公司", "91411502MA4000001L", "危险化学品经营许可；安全管理制度",
                      "信阳市应急管理局", "2026年3月2日", "未发现问题"]
    assert got[1][2] == "411502********0010" and got[1][5] == "2026年3月3日"
    assert "公示日期</th><td>2026年4月1日" in html and "尚未公示</th><td>1 户" in html
    assert person not in html and "13912345678" not in html and "6201234" not in html
    assert [h for h in re.findall(r'<th scope="col">(.*?)</th>', html)] == list(web.PUBLIC_HEADERS)


def test_no_personal_data_on_any_page(tmp_path):
    """Natural persons drawn, population embedding asked for: no ID, phone, inspector or recusal."""
    files, record, cdoc, names = synthetic_round(tmp_path / "p", 300, [{"name": "一般", "ratio": "0.5"}], persons=100)
    persons = [s["object_id"] for s in record["selected"] if ID_CARD.fullmatch(s["object_id"])]
    assert persons, "the draw must include natural persons for this test to mean something"
    plan = plan_ns(publish_population=True, title="抽查（联系人 13812345678）")
    pages = [web.commitment_page(plan, cdoc), web.draw_page(plan, cdoc, files, record, names),
             web.publication_page(plan, [web.PublicRow(1, names[p], p, "事项", None, "") for p in persons],
                                  dt.date(2026, 9, 1))]
    inspectors = {t for team in record["teams"] for t in team["inspectors"]}
    for page in pages:
        for text in page_texts(page.decode("utf-8")):
            assert not ID_CARD.search(text), ID_CARD.search(text)
            assert not MOBILE.search(text) and not LANDLINE.search(text)
            assert not any(re.search(rf"\b{p}\b", text) for p in inspectors)
            for word in ("worked", "part_time", "jurisdiction", "inspector_id", "person_id"):
                assert word not in text


@pytest.mark.parametrize("source,expected", [
    ("中国福利彩票“福彩3D”第2026050期开奖号码（2026年2月26日开奖）", "2026年2月26日"),
    ("当众掷骰子 2026-03-01", "2026年3月1日"),
    ("当众掷骰子", ""),
])
def test_source_date(source, expected):
    assert web.source_date(source) == expected
