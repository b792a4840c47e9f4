"""Build the built-in .docx templates in shuijie/templates/ (deterministic output).

    python scripts/make_templates.py

The templates are ordinary Word documents laid out after GB/T 9704-2012 (see
shuijie/papers/layout.py) holding Jinja placeholders in docxtpl syntax
(``{{ object.name }}``, ``{%p for item in items %}``, ``{%tr for … %}``).  A
clerk may copy one to the workspace ``templates/`` folder (``shuijie init``
does) and edit it in Word or WPS; the variables are listed in
shuijie/templates/模板说明.txt.  Running this script twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shuijie.papers import layout as L  # noqa: E402
from shuijie.papers.engine import ANNEX2_TEMPLATE, LETTER_TEMPLATE, VARIABLES_DOC  # noqa: E402

OUT = ROOT / "shuijie" / "templates"
FIXED = dt.date(2026, 1, 1)


# The papers the letter encloses (附件说明, GB/T 9704 7.3.4): shuijie writes them beside it.
ENCLOSED = ("“双随机、一公开”抽查事项检查表", "“双随机、一公开”抽查记录表")
LETTER_LINES = L.LETTER_LINES  # one page for a letter of ordinary size (see layout.py)


def letter() -> bytes:
    doc = L.new_document("“双随机、一公开”抽查检查通知书", lines=LETTER_LINES)
    L.add_title(doc, "“双随机、一公开”抽查检查通知书")
    L.add_body(doc, "{{ doc_no }}", indent=False, align="center")
    L.add_blank(doc)
    L.add_body(doc, "{{ object.name }}（负责人：{{ object.principal }}）：", indent=False, align="left")
    L.add_body(doc, "经随机抽取，你单位被确定为{{ plan.title }}的检查对象。检查组定于"
                    "{{ date_cn }}到你单位检查，现将有关事项通知如下：")
    L.add_body(doc, "一、检查事项：{% for item in items %}{{ loop.index }}.{{ item.name }}"
                    "{% if not loop.last %}；{% endif %}{% endfor %}。检查依据和内容见附件1。")
    L.add_body(doc, "二、请准备以下材料：{{ materials_text }}。")
    L.add_body(doc, "三、请{{ attendees_text }}到场配合检查。")
    # Numbers (执法证号) are left-aligned lines: a justified line would stretch where one wraps.
    L.add_body(doc, "四、检查组组长{{ leader.name }}{% if leader.cert_no %}（执法证号{{ leader.cert_no }}）{% endif %}"
                    "{% if members %}，组员{% for m in members %}{{ m.name }}"
                    "{% if m.cert_no %}（执法证号{{ m.cert_no }}）{% endif %}"
                    "{% if not loop.last %}、{% endif %}{% endfor %}{% endif %}"
                    "{% if experts %}；专家{% for e in experts %}{{ e.name }}"
                    "{% if e.employer %}（{{ e.employer }}）{% endif %}"
                    "{% if not loop.last %}、{% endif %}{% endfor %}{% endif %}。", align="left")
    L.add_body(doc, "五、你单位应如实提供资料，不得拒绝、隐匿或弄虚作假；"
                    "对检查中的问题有权陈述、申辩，对抽查结果有异议的可以申诉。", keep_next=True)
    # The signature never stands alone on a page (GB/T 9704 7.3.5): keep it with the text above.
    L.add_body(doc, "{%p if contact.name or contact.phone %}", keep_next=True)
    L.add_body(doc, "联系人：{{ contact.name }}{% if contact.name and contact.phone %}，{% endif %}"
                    "{% if contact.phone %}{{ contact.phone }}{% endif %}。", keep_next=True, align="left")
    L.add_body(doc, "{%p endif %}", keep_next=True)
    L.add_attachments(doc, ENCLOSED)
    L.add_signature(doc, "{{ unit }}", "{{ notice_date_cn }}")
    return L.document_bytes(doc, FIXED)


def annex2() -> bytes:
    doc = L.new_document("“双随机、一公开”抽查记录表")
    L.add_label(doc, "附件2")
    L.add_title(doc, "“双随机、一公开”抽查记录表")
    L.add_body(doc, "检查对象：{{ object.name }}", indent=False, align="left")
    L.add_body(doc, "时间：{{ date_cn }}", indent=False, align="left")
    widths = [14, 36, 50, 36, 20]
    heads = ["序号", "检查事项", "检查内容", "发现问题情况", "是否立案"]
    rows = [L.row_xml([L.cell_xml(h, w, header=True) for h, w in zip(heads, widths)], header=True)]
    rows.append(L.row_xml([L.cell_xml("{%tr for item in items %}", sum(widths), span=len(widths))]))
    rows.append(L.row_xml([
        L.cell_xml("{{ item.no }}", widths[0], jc="center"),
        L.cell_xml("{{ item.name }}", widths[1]),
        L.cell_xml("{{ item.content }}", widths[2]),
        L.cell_xml("", widths[3]),
        L.cell_xml("", widths[4], jc="center"),
    ], min_height_mm=14))
    rows.append(L.row_xml([L.cell_xml("{%tr endfor %}", sum(widths), span=len(widths))]))
    for label in ("执法检查人员签字", "检查对象签字（盖章）"):
        rows.append(L.row_xml([
            L.cell_xml(label, widths[0] + widths[1], span=2, jc="center"),
            L.cell_xml("", sum(widths[2:]), span=3),
        ], min_height_mm=22))
    L.append_xml(doc, L.table_xml(widths, rows))
    return L.document_bytes(doc, FIXED)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / LETTER_TEMPLATE).write_bytes(letter())
    (OUT / ANNEX2_TEMPLATE).write_bytes(annex2())
    (OUT / "模板说明.txt").write_text(VARIABLES_DOC, encoding="utf-8")
    for name in (LETTER_TEMPLATE, ANNEX2_TEMPLATE, "模板说明.txt"):
        print(OUT / name)


if __name__ == "__main__":
    main()
