"""Messages shared by every command (see shuijie.messages)."""

from shuijie.core.messages.catalogue import define

define({
    "file_missing": (
        "找不到文件 {path}。请检查路径是否正确（方案中的路径相对于方案文件所在目录）。",
        "File {path} not found. Check the path (paths in a plan are relative to the plan file).",
    ),
    "lang_unknown": (
        "不支持的语言 {lang}，请用 zh 或 en。",
        "Unknown language {lang}; use zh or en.",
    ),
    "internal_error": (
        "shuijie 内部错误：{error}。这不是您的操作问题，请把这条信息和所用文件发给维护人员。",
        "Internal error in shuijie: {error}. This is not your mistake; send this message and your files to the maintainers.",
    ),
    "no_space": (
        "写入 {path} 失败：{error}。请检查磁盘空间和文件夹权限后重试，未留下任何半成品。",
        "Writing {path} failed: {error}. Check disk space and folder permissions and try again; nothing half-written was left.",
    ),
    "os_error": (
        "无法读写 {path}：{error}。请检查该路径的上级文件夹是否存在（且不是文件）、磁盘空间是否已满、是否有读写权限，然后重试；"
        "抽取等写入轮次文件夹的操作在出错时不会留下半成品。",
        "Cannot read or write {path}: {error}. Check that its parent folders exist (and are folders, not files), "
        "that the disk is not full and that you may write there, then try again; a command that writes a round "
        "leaves nothing half-written when it fails.",
    ),
    "problems_found": ("发现 {count} 个问题。", "{count} problem(s) found."),
    "all_good": ("检查通过，没有发现问题。", "Check passed: no problems found."),
    "notes_found": ("{count} 条提示：", "{count} note(s):"),
    "note_mark": ("（提示，不是错误）", "(a note, not an error) "),
    "warnings_found": ("{count} 条提示（不影响抽取）：", "{count} note(s) (they do not stop the draw):"),
    "check_passed_warnings": ("检查通过，有 {count} 条提示，请阅读。", "Check passed with {count} note(s); please read them."),
})
