"""Fast, reproducible rendering of the clerk-editable .docx templates.

A template is an ordinary Word document holding Jinja placeholders in docxtpl
syntax (``{{ object.name }}``, ``{%p for … %}`` paragraph loops, ``{%tr for … %}``
table-row loops).  docxtpl's full ``render`` re-parses the .docx for every
document; with 2,000 objects that is too slow, so here each template is
prepared ONCE:

1. read the zip; take ``word/document.xml`` (and any header/footer holding a
   placeholder) as text;
2. run docxtpl's own ``patch_xml`` on it (merges the runs Word splits a
   placeholder into, turns ``{%p %}``/``{%tr %}`` into plain Jinja around the
   paragraph/row; a private use, fenced in :mod:`shuijie.papers.compat_docxtpl`);
3. compile it with ``jinja2.Environment(autoescape=True, undefined=StrictUndefined)``;
4. deflate every other entry once.

Each document then costs one Jinja render, one deflate of document.xml and a
zip written by hand from the precompressed entries with fixed timestamps (the
same bytes on every run).  Values are XML-escaped (``&``, ``<``, quotes, emoji
come out intact), control characters dropped, and newlines become ``<w:br/>``.

Template lookup (documented for clerks in 模板说明.txt): a file of the same name
in ``templates/`` next to the plan file, else in ``templates/`` of the workspace
(the plan folder's parent, i.e. ``<workspace>/plans/../templates``), else the
built-in one in ``shuijie/templates``.  ``shuijie init`` copies the built-in
templates to ``<workspace>/templates``.  A template with broken Jinja syntax, an
unknown variable or an unknown attribute is an :class:`InputError` naming the
template file and the placeholder.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any, Iterable, Iterator

import jinja2
import jinja2.meta
from markupsafe import Markup, escape

from shuijie.core.errors import InputError, Problem
from shuijie.papers.compat_docxtpl import patch_xml
from shuijie.papers.repro import Deflating, Entry, core_dates, write_zip

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "templates"
LETTER_TEMPLATE = "检查通知书.docx"
ANNEX2_TEMPLATE = "抽查记录表.docx"

# Variables every letter / Annex 2 template may use (the context of one object).
VARIABLES: dict[str, str] = {
    "unit": "检查单位（方案 unit）",
    "doc_no": "公开文号（方案 doc_no），如 信应急〔2026〕5号",
    "plan": "方案：plan.title 标题、plan.id 编号、plan.doc_no 文号、plan.unit 检查单位、"
            "plan.approved_by 批准人、plan.approved_on_cn 批准日期",
    "seq": "检查顺序号（1、2、3……）",
    "number": "三位顺序号（001、002……）",
    "object": "检查对象：object.name 名称、object.id 统一社会信用代码、object.address 地址、"
              "object.principal 负责人、object.phone 联系方式、object.area 区域、"
              "object.industry 行业、object.license_name 许可文件名称、object.license_no 许可文号",
    "date": "检查日期（2026-02-26）",
    "date_cn": "检查日期（2026年2月26日）",
    "weekday": "星期（星期四）",
    "notice_date_cn": "通知日期即成文日期（2026年2月20日）",
    "items": "抽查事项列表，每项有 item.no 序号、item.id 编号、item.name 事项、item.basis 依据、"
             "item.content 内容、item.method 方式、item.note 备注",
    "materials": "应准备的材料列表", "materials_text": "应准备的材料（用顿号连接）",
    "attendees": "到场配合人员列表", "attendees_text": "到场配合人员（用顿号连接；方案未写时为默认的一句）",
    "leader": "组长：leader.name 姓名、leader.cert_no 执法证号（无执法资格或未登记时为空）、leader.unit 所在单位、leader.title 职务",
    "members": "组员（不含组长）列表，字段同 leader",
    "inspectors": "全部检查人员（组长在前）列表，字段同 leader，另有 role 角色",
    "experts": "专家列表：e.name 姓名、e.employer 工作单位、e.title 职称、e.specialties 专业",
    "team": "检查组全体（组长、组员、专家）列表：m.no 序号、m.name 姓名、m.role 角色、"
            "m.cert_no 执法证号、m.unit 单位",
    "contact": "联系人：contact.name 姓名、contact.phone 电话、contact.address 地址",
    "stratum": "所在抽取层", "ticket": "抽取签号",
}

VARIABLES_DOC = (
    "shuijie 文书模板说明\n"
    "====================\n\n"
    f"本文件夹中的 {LETTER_TEMPLATE}（检查通知书）和 {ANNEX2_TEMPLATE}（附件2 抽查记录表）可以用 Word 或 WPS 修改。\n"
    "抽取时，shuijie 依次查找：方案文件所在文件夹下的 templates/、工作区（方案文件夹的上一级）的 templates/，\n"
    "找到同名文件就用它，否则用内置模板。删除或改名即恢复内置模板。\n\n"
    "占位符写法（docxtpl / Jinja 语法）：\n"
    "  {{ object.name }}                 填入一个值\n"
    "  {%p for item in items %} … {%p endfor %}   各占一段，重复其间的段落\n"
    "  {%tr for item in items %} … {%tr endfor %} 各占表格一行，重复其间的表格行\n"
    "  {% if experts %} … {% endif %}    条件\n"
    "写错变量名或语法时，抽取会停止并指出模板文件和出错的占位符。\n\n"
    "可用变量：\n"
    + "".join(f"  {k:<16}{v}\n" for k, v in VARIABLES.items())
)

# ---------------------------------------------------------------- values
_ILLEGAL_XML = {c: None for c in range(32) if c not in (9, 10, 13)}
_BR = '</w:t><w:br/><w:t xml:space="preserve">'


class _Primed:
    """A deflate stream that has already taken the constant start of a templated part (the
    XML before its first placeholder, some 2 KB of namespaces and styles in a letter):
    each document deflates only the rest, from a copy of the stream (the same bytes as
    deflating it whole)."""

    __slots__ = ("text", "stream")

    def __init__(self, text: str):
        self.text = text
        self.stream = Deflating()
        self.stream.feed(text.encode("utf-8"))

    def entry(self, name: str, xml: str) -> Entry:
        if not xml.startswith(self.text):  # a template whose start is not constant after all
            return Entry(name, xml.encode("utf-8"))
        d = self.stream.copy()
        d.feed(xml[len(self.text):].encode("utf-8"))
        return d.entry(name)


def _constant_start(source: str) -> str:
    """The start of every rendering of the Jinja ``source`` (after :meth:`render_xml`'s
    newline removal): its text before the first tag, cut before its last newline so that no
    ``\n<w:p`` straddles the cut."""
    m = re.search(r"{{|{%|{#", source)
    head = source[:m.start() if m else len(source)]
    return head[:max(head.rfind("\n"), 0)].replace("\n<w:p", "<w:p")


def _escaped(text: str) -> Markup:
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_ILLEGAL_XML)
    escaped = escape(text)
    if "\n" in text:
        return Markup(str(escaped).replace("\n", _BR))
    return escaped


# The same few hundred strings (the unit, the items, the inspectors' names) fill every letter:
# each is escaped once.  Bounded: emptied when full (object names and addresses come once).
_SEEN: dict[str, Markup] = {}
_SEEN_MAX = 4096


def _finalize(value: Any) -> Any:
    if type(value) is str:
        hit = _SEEN.get(value)
        if hit is None:
            if len(_SEEN) >= _SEEN_MAX:
                _SEEN.clear()
            hit = _SEEN[value] = _escaped(value)
        return hit
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return _escaped(str(value))


_DICT_ATTRS = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja's environment, with ``x.y`` on a plain dict (every context value) looked up as
    ``x["y"]`` directly: jinja2 tries the attribute first and pays a raised AttributeError
    for each of the ~20 placeholders of every letter.  Same result: a dict's own attributes
    (``items``, ``keys`` …) still come first, a missing key is still undefined."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRS:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def make_env() -> jinja2.Environment:
    return _Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                        finalize=_finalize, keep_trailing_newline=False)


_TAG = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)
_XML_TAG = re.compile(r"<[^>]+>")


def _plain(xml: str) -> str:
    return _XML_TAG.sub("", xml)


# ---------------------------------------------------------------- templates
def template_dirs(plan_path: Path) -> list[Path]:
    """Where a workspace template may live, first match wins."""
    return [plan_path.parent / "templates", plan_path.parent.parent / "templates"]


def find_template(plan_path: Path | None, name: str) -> Path:
    if plan_path is not None:
        for d in template_dirs(Path(plan_path)):
            p = d / name
            if p.is_file():
                return p
    return BUILTIN_DIR / name


class CompiledTemplate:
    """A .docx template prepared once; :meth:`render` gives one document's bytes."""

    def __init__(self, path: Path, data: bytes | None = None, *, display: str | None = None):
        self.path = path
        self.display = display or str(path)
        self.builtin = path.parent == BUILTIN_DIR
        if data is None:
            data = path.read_bytes()
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            names = zf.namelist()
            payloads = {n: zf.read(n) for n in names}
        except (zipfile.BadZipFile, OSError, KeyError, EOFError, zlib.error, RuntimeError) as exc:
            raise InputError(Problem("template_corrupt", {"path": self.display, "template": self.path.name, "error": str(exc)},
                                     file=self.display)) from None
        if "word/document.xml" not in payloads:
            raise InputError(Problem("template_corrupt", {"path": self.display, "template": self.path.name, "error": "word/document.xml"},
                                     file=self.display))
        names.sort(key=lambda n: 0 if n == "[Content_Types].xml" else 1)
        self.order = names
        self.env = make_env()
        self.sources: dict[str, str] = {}     # patched source per templated part
        self.compiled: dict[str, jinja2.Template] = {}
        self.primed: dict[str, _Primed] = {}  # per templated part, its constant start deflated
        self.static: dict[str, Entry] = {}
        self.core_xml: bytes | None = payloads.get("docProps/core.xml")
        self._core_for: dt.date | None = None
        self._core_entry: Entry | None = None
        for name in names:
            payload = payloads[name]
            if name == "docProps/core.xml":
                continue
            templated = (name == "word/document.xml"
                         or re.fullmatch(r"word/(header|footer)\d*\.xml", name) is not None)
            if templated:
                text = payload.decode("utf-8")
                if name == "word/document.xml" or "{{" in _plain(text) or "{%" in _plain(text):
                    self._compile(name, text)
                    continue
            self.static[name] = Entry(name, payload)

    # -- preparation
    def _compile(self, name: str, xml: str) -> None:
        patched = patch_xml(xml)
        patched = re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)
        self.sources[name] = patched
        try:
            ast = self.env.parse(patched)
            unknown = sorted(jinja2.meta.find_undeclared_variables(ast) - set(VARIABLES))
            if unknown:
                raise InputError([Problem("template_unknown_variable",
                                          {"path": self.display, "template": self.path.name, "placeholder": self._find_tag(name, v),
                                           "name": v}, file=self.display) for v in unknown])
            self.compiled[name] = self.env.from_string(patched)
            self.primed[name] = _Primed(_constant_start(patched))
        except jinja2.TemplateSyntaxError as exc:
            lines = patched.split("\n")
            line = lines[exc.lineno - 1] if exc.lineno and exc.lineno <= len(lines) else ""
            snippet = _plain(line).strip()[:80] or "?"
            raise InputError(Problem("template_syntax",
                                     {"path": self.display, "template": self.path.name, "placeholder": snippet, "error": exc.message or ""},
                                     file=self.display, row=None)) from None

    def _find_tag(self, part: str, word: str) -> str:
        plain = _plain(self.sources.get(part, ""))
        for m in _TAG.finditer(plain):
            if re.search(rf"(?<![\w.]){re.escape(word)}\b|\.{re.escape(word)}\b", m.group(0)):
                return m.group(0)
        return word

    def _undefined(self, part: str, exc: jinja2.UndefinedError) -> InputError:
        msg = exc.message or ""
        m = re.search(r"has no attribute '([^']+)'", msg) or re.search(r"'([^']+)' is undefined", msg)
        word = m.group(1) if m else msg
        return InputError(Problem("template_undefined",
                                  {"path": self.display, "template": self.path.name, "placeholder": self._find_tag(part, word),
                                   "name": word}, file=self.display))

    def core_entry(self, when: dt.date | None) -> Entry | None:
        if self.core_xml is None:
            return None
        if self._core_entry is None or self._core_for != when:
            self._core_entry = Entry("docProps/core.xml", core_dates(self.core_xml, when))
            self._core_for = when
        return self._core_entry

    # -- per document
    def render_xml(self, context: dict[str, Any]) -> dict[str, str]:
        """Rendered text of every templated part (document.xml, headers/footers)."""
        out: dict[str, str] = {}
        for name, tpl in self.compiled.items():
            try:
                xml = tpl.render(context)
            except jinja2.UndefinedError as exc:
                raise self._undefined(name, exc) from None
            except jinja2.TemplateError as exc:
                raise InputError(Problem("template_syntax", {"path": self.display, "template": self.path.name, "placeholder": "?",
                                                             "error": str(exc)}, file=self.display)) from None
            out[name] = xml.replace("\n<w:p", "<w:p")
        return out

    def pack(self, rendered: dict[str, str], when: dt.date | None,
             ready: dict[str, Entry] | None = None) -> bytes:
        """The document's bytes; ``ready`` holds parts already made into entries."""
        entries: list[Entry] = []
        for name in self.order:
            if ready and name in ready:
                entries.append(ready[name])
            elif name in rendered:
                entries.append(self.primed[name].entry(name, rendered[name]))
            elif name == "docProps/core.xml":
                core = self.core_entry(when)
                if core is not None:
                    entries.append(core)
            else:
                entries.append(self.static[name])
        return write_zip(entries)

    def render(self, context: dict[str, Any], when: dt.date | None) -> bytes:
        return self.pack(self.render_xml(context), when)


def load_template(plan_path: Path | None, name: str) -> CompiledTemplate:
    path = find_template(plan_path, name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Problem("template_corrupt", {"path": str(path), "template": path.name, "error": str(exc)},
                                 file=str(path))) from None
    return CompiledTemplate(path, data)


# ---------------------------------------------------------------- combining
_BODY_OPEN = re.compile(r"<w:body(?:\s[^>]*)?>")
_BOOKMARK = re.compile(r"<w:bookmark(?:Start|End)\b[^>]*/>")
_PARA_IDS = re.compile(r' w14:(?:paraId|textId)="[^"]*"')
_FIRST_P = re.compile(r"<w:p(?=[\s>])[^>]*>")
_PPR_HEAD = re.compile(r"<w:pPr>((?:<w:pStyle\b[^>]*/>)?(?:<w:keepNext\b[^>]*/>)?(?:<w:keepLines\b[^>]*/>)?)")


def split_body(xml: str) -> tuple[str, str, str]:
    """(before body content, body content, final sectPr and after)."""
    m = _BODY_OPEN.search(xml)
    if m is None:
        raise ValueError("word/document.xml has no <w:body>")
    end = xml.rfind("</w:body>")
    sect = xml.rfind("<w:sectPr", m.end(), end)
    if sect < 0:
        sect = end
    return xml[:m.end()], xml[m.end():sect], xml[sect:]


def _page_break_before(body: str) -> str:
    m = _FIRST_P.search(body)
    if m is None:
        return body
    rest = body[m.end():]
    if rest.startswith("<w:pPr>"):
        if "<w:pageBreakBefore" in rest[: rest.find("</w:pPr>")]:
            return body
        h = _PPR_HEAD.match(rest)
        assert h is not None  # rest starts with <w:pPr>
        return body[:m.end()] + rest[:h.end()] + "<w:pageBreakBefore/>" + rest[h.end():]
    if rest.startswith("<w:pPr/>"):
        return body[:m.end()] + "<w:pPr><w:pageBreakBefore/></w:pPr>" + rest[len("<w:pPr/>"):]
    return body[:m.end()] + "<w:pPr><w:pageBreakBefore/></w:pPr>" + rest


_SECT_TYPE = re.compile(r"<w:type\b[^>]*/>")
_PGNUM = re.compile(r"<w:pgNumType\b([^>]*?)/>")
_AFTER_PGNUM = re.compile(r"<w:(?:cols|formProt|vAlign|noEndnote|titlePg|textDirection|bidi|rtlGutter|docGrid|printerSettings)\b")
_CONTAINER_END = re.compile(r"</w:(?:txbxContent|tc|tbl|sdtContent|hyperlink|smartTag|customXml)>")


def _restarting(sect: str) -> str:
    """A section's sectPr that starts on a new page with page number 1 (schema order kept)."""
    sect = _SECT_TYPE.sub("", sect)
    m = _PGNUM.search(sect)
    if m:
        attrs = re.sub(r'\s*w:start="[^"]*"', "", m.group(1))
        sect = sect[:m.start()] + f'<w:pgNumType{attrs} w:start="1"/>' + sect[m.end():]
    else:
        a = _AFTER_PGNUM.search(sect)
        at = a.start() if a else sect.rfind("</w:sectPr>")
        sect = sect[:at] + '<w:pgNumType w:start="1"/>' + sect[at:]
    at = sect.find("<w:pgSz")
    if at < 0:
        at = sect.find(">") + 1
    return sect[:at] + '<w:type w:val="nextPage"/>' + sect[at:]


def _end_section(body: str, sect: str) -> str:
    """Close a letter's section in its last paragraph (no extra line that could spill a page)."""
    stripped = body.rstrip()
    if stripped.endswith("</w:p>"):
        start = max(stripped.rfind("<w:p>"), stripped.rfind("<w:p "))
        para = stripped[start:] if start >= 0 else ""
        if para and "<w:sectPr" not in para and not _CONTAINER_END.search(para):
            open_end = para.find(">") + 1
            rest = para[open_end:]
            if rest.startswith("<w:pPr>"):
                close = rest.find("</w:pPr>")
                change = rest.find("<w:pPrChange", 0, close)
                at = change if change >= 0 else close
                new = para[:open_end] + rest[:at] + sect + rest[at:]
            elif rest.startswith("<w:pPr/>"):
                new = para[:open_end] + "<w:pPr>" + sect + "</w:pPr>" + rest[len("<w:pPr/>"):]
            else:
                new = para[:open_end] + "<w:pPr>" + sect + "</w:pPr>" + rest
            return stripped[:start] + new
    return body + "<w:p><w:pPr>" + sect + "</w:pPr></w:p>"


def combine_pieces(documents: Iterable[str]) -> Iterator[str]:
    """One document.xml holding every rendered document for printing, in pieces: each
    document in its own section that starts on a new page with page number 1 (so every
    letter reads — 1 —).  The documents are taken one at a time (10,000 letters are never
    all held at once); ``documents`` must not be empty."""
    it = iter(documents)
    first = next(it)
    head, _, tail = split_body(first)
    end = tail.find("</w:sectPr>")
    yield head
    if not tail.startswith("<w:sectPr") or end < 0:   # no section properties: page breaks only
        yield _PARA_IDS.sub("", _BOOKMARK.sub("", split_body(first)[1]))
        del first
        for xml in it:
            yield _page_break_before(_PARA_IDS.sub("", _BOOKMARK.sub("", split_body(xml)[1])))
        yield tail
        return
    sect = _restarting(tail[:end + len("</w:sectPr>")])
    tail = sect + tail[end + len("</w:sectPr>"):]
    body = _PARA_IDS.sub("", _BOOKMARK.sub("", split_body(first)[1]))  # ids must stay unique
    del first
    for xml in it:  # every document but the last closes its own section
        yield _end_section(body, sect)
        body = _PARA_IDS.sub("", _BOOKMARK.sub("", split_body(xml)[1]))
    yield body
    yield tail
