"""Messages of the papers area (see shuijie.messages)."""

from shuijie.core.messages.catalogue import define

define({
    "template_corrupt": (
        "模板 {template} 无法打开（{error}）。请用 Word 或 WPS 重新另存为 .docx，或删除该文件以使用内置模板。",
        "Template {template} cannot be opened ({error}). Save it again as .docx from Word or WPS, "
        "or delete it to use the built-in template.",
    ),
    "template_syntax": (
        "模板 {template} 中的占位符写法有误：{placeholder}（{error}）。请在 Word 中打开该模板改正"
        "（写法见 templates/模板说明.txt），或删除该文件以使用内置模板。",
        "Template {template} has a broken placeholder: {placeholder} ({error}). Open the template in Word "
        "and fix it (see templates/模板说明.txt), or delete it to use the built-in template.",
    ),
    "template_unknown_variable": (
        "模板 {template} 中的占位符 {placeholder} 用了未知的变量「{name}」。请改为 templates/模板说明.txt "
        "中列出的变量，或删除该文件以使用内置模板。",
        "Template {template}: placeholder {placeholder} uses the unknown variable '{name}'. Use one of the "
        "variables listed in templates/模板说明.txt, or delete the file to use the built-in template.",
    ),
    "template_undefined": (
        "模板 {template} 中的占位符 {placeholder} 引用了不存在的字段「{name}」。请改为 templates/模板说明.txt "
        "中列出的字段，或删除该文件以使用内置模板。",
        "Template {template}: placeholder {placeholder} refers to the unknown field '{name}'. Use a field "
        "listed in templates/模板说明.txt, or delete the file to use the built-in template.",
    ),
    "paper_unknown_id": (
        "抽取记录中的{kind_zh}「{id}」在名录库中找不到，无法生成文书。请确认抽取后没有修改 inputs/ 中的名录库文件。",
        "The draw record names {kind_en} '{id}', which is not in the registries; the papers cannot be "
        "written. Make sure the registry files in inputs/ were not changed after the draw.",
    ),
})
