"""The template engine's shortcuts give the bytes of the plain way of rendering a template.

:class:`shuijie.papers.engine.CompiledTemplate` escapes each repeated value once, looks up
``x.y`` on a dict directly, deflates only what follows a template's constant start and
joins zip records made once.  Here the same documents are made the plain way — jinja2's
own environment, the whole part deflated, every zip record packed — on the built-in
templates and on custom ones (loops, split placeholders, a templated footer), with values
that escape, break lines, hold control characters or name a dict's own attributes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib

import jinja2
import pytest
from markupsafe import Markup, escape
from test_papers_support import make_record, make_ws
from test_papers_templates import custom, with_footer_placeholder

from shuijie.papers import engine, repro
from shuijie.papers.context import build
from shuijie.papers.engine import ANNEX2_TEMPLATE, BUILTIN_DIR, LETTER_TEMPLATE, CompiledTemplate

WHEN = dt.date(2026, 2, 20)


def plain_finalize(value):
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").translate(
        {c: None for c in range(32) if c not in (9, 10, 13)})
    if "\n" in text:
        return Markup(str(escape(text)).replace("\n", '</w:t><w:br/><w:t xml:space="preserve">'))
    return escape(text)


def plain_render(tpl: CompiledTemplate, data: bytes, context: dict, when: dt.date) -> bytes:
    """The document the plain way: render with jinja2's Environment, deflate each part
    whole, pack every zip record."""
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             finalize=plain_finalize, keep_trailing_newline=False)
    src = zipfile.ZipFile(io.BytesIO(data))
    local, central, offset = [], [], 0
    for name in tpl.order:
        if name in tpl.sources:
            payload = env.from_string(tpl.sources[name]).render(context).replace("\n<w:p", "<w:p").encode()
        elif name == "docProps/core.xml":
            stamp = f"{when.isoformat()}T00:00:00Z".encode()
            payload = re.sub(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)",
                             lambda m: m.group(1) + stamp + m.group(3), src.read(name))
        else:
            payload = src.read(name)
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        body = c.compress(payload) + c.flush()
        raw = name.encode()
        flag = 0 if name.isascii() else 0x800
        crc = zlib.crc32(payload)
        head = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flag, 8, 0, 33, crc, len(body),
                           len(payload), len(raw), 0) + raw
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flag, 8, 0, 33, crc,
                                   len(body), len(payload), len(raw), 0, 0, 0, 0, 0o644 << 16,
                                   offset) + raw)
        local += [head, body]
        offset += len(head) + len(body)
    cd = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(cd), offset, 0)
    return b"".join(local) + cd + end


TEMPLATES = {
    "letter": lambda: (BUILTIN_DIR / LETTER_TEMPLATE).read_bytes(),
    "annex2": lambda: (BUILTIN_DIR / ANNEX2_TEMPLATE).read_bytes(),
    "footer": with_footer_placeholder,
    "custom": lambda: custom(
        ["名称：{{ obj", "ect.na", "me }}；{{ object.items }}{{ object.note }}"],
        ["{%p for m in team %}"],
        ["{{ m.no }}. {{ m.name }}（{{ m.role }}）{{ m.keys }}"],
        ["{%p endfor %}"],
        ["内容：{{ items[0].content }}{% for i in items %}{{ i.no }}{{ i['name'] }}{% endfor %}"],
        ["{{ plan.title ~ '<&>' }}{{ seq }}{{ object.name|default('x') if false else unit }}"]),
    "starts with a tag": lambda: custom(["{{ unit }}正文"], ["{{ object.name }}"]),
}


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_engine_gives_the_bytes_of_the_plain_way(tmp_path, kind):
    names = ["甲&乙<公司>\"引号\"🏭", "多行\r\n名称\x07\x1b", "信阳市甲化工有限公司"]
    ws = make_ws(tmp_path, names)
    ws.plan.title = "规模<测试>&“标题”"
    visits = build(ws, make_record(ws))
    visits[1].context["object"]["note"] = None
    visits[2].context["object"]["note"] = 12
    data = TEMPLATES[kind]()
    tpl = CompiledTemplate(BUILTIN_DIR / "x.docx", data)
    engine._SEEN.clear()
    for _ in range(2):  # the second time every value is escaped already
        for v in visits:
            assert tpl.render(v.context, WHEN) == plain_render(tpl, data, v.context, WHEN)


def test_escaped_values_are_forgotten_when_too_many(monkeypatch):
    monkeypatch.setattr(engine, "_SEEN_MAX", 3)
    engine._SEEN.clear()
    got = [engine._finalize(f"<{n}>") for n in range(10)]
    assert got == [Markup(f"&lt;{n}&gt;") for n in range(10)]
    assert len(engine._SEEN) <= 3


def test_primed_entry_without_its_start_is_deflated_whole():
    primed = engine._Primed("<w:document>constant start")
    for xml in ("<w:document>constant start<w:body>甲</w:body>", "{{-stripped}}<w:body/>", ""):
        a, b = primed.entry("word/document.xml", xml), repro.Entry("word/document.xml", xml.encode())
        assert (a.local, a.central) == (b.local, b.central)

