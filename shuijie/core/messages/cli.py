"""Messages of the command line itself: usage errors, progress, overdue, help (see shuijie.cli)."""

from shuijie.core.messages.catalogue import define

define({
    "help_option": ("显示本帮助并退出。", "Show this message and exit."),
    # ---- usage errors (exit 2), rendered by shuijie.cli.usage instead of Click's English
    "usage_no_such_command": (
        "没有命令 {command}。{suggestion}可用命令：{commands}。",
        "No such command {command}. {suggestion}Commands: {commands}.",
    ),
    "usage_did_you_mean": ("您是否要用 {command}？", "Did you mean {command}? "),
    "usage_extra_args": (
        "多余的参数：{args}。命令 {command} 不需要这些参数；含空格的值请加引号。",
        "Unexpected extra argument(s): {args}. Command {command} does not take them; quote values with spaces.",
    ),
    "usage_missing": (
        "缺少参数 {param}。用法：{usage}",
        "Missing argument {param}. Usage: {usage}",
    ),
    "usage_no_such_option": (
        "没有选项 {option}。{suggestion}运行 {help} 查看全部选项。",
        "No such option {option}. {suggestion}Run {help} for every option.",
    ),
    "usage_option_did_you_mean": ("您是否要用 {option}？", "Did you mean {option}? "),
    "usage_option_needs_value": (
        "选项 {option} 后面需要一个值。运行 {help} 查看用法。",
        "Option {option} needs a value. Run {help} for its use.",
    ),
    "usage_option_no_value": (
        "选项 {option} 不接受值。运行 {help} 查看用法。",
        "Option {option} does not take a value. Run {help} for its use.",
    ),
    "usage_bad_value": (
        "{param} 的值无效：{detail}。运行 {help} 查看用法。",
        "Invalid value for {param}: {detail}. Run {help} for its use.",
    ),
    "usage_other": (
        "命令行有误：{detail}。运行 {help} 查看用法。",
        "Command line error: {detail}. Run {help} for its use.",
    ),
    # ---- help
    "help_exit_codes": (
        "退出码：0 成功；1 验证未通过；2 输入有误（逐条列出问题）；3 无法抽取（人员、专家或日期不足）；"
        "70 程序内部错误。全局选项 --lang zh|en（或环境变量 SHUIJIE_LANG）、--json 可写在命令前或命令后。",
        "Exit codes: 0 ok; 1 verification failed; 2 bad input (every problem listed); 3 the draw is "
        "infeasible (too few people, experts or days); 70 internal error. The global options --lang zh|en "
        "(or env SHUIJIE_LANG) and --json go before or after the command.",
    ),
    "help_version": ("显示版本号后退出。", "Show the version and exit."),
    # ---- progress (one line per stage when stdout is not a terminal)
    "progress_load": ("读取名录", "Reading the registries"),
    "progress_validate": ("检查方案和名录", "Checking the plan and registries"),
    "progress_snapshot": ("生成快照", "Building the snapshot"),
    "progress_feasibility": ("检查能否抽取", "Checking the plan can be drawn"),
    "progress_draw": ("抽取", "Drawing"),
    "progress_papers": ("正在生成文书", "Writing the papers"),
    "progress_verify": ("验证", "Verifying"),
    "progress_line": ("{stage}：{done}/{total}", "{stage}: {done}/{total}"),
    # ---- status / draw output
    "overdue_days": ("逾期 {days} 个工作日", "overdue by {days} working days"),
    "overdue_today": ("今日到期", "due today"),
    "draw_table_more": (
        "共抽取 {count} 个对象，上表列出前 {shown} 个；完整名单见 {record}（抽取记录）和 {report}。",
        "{count} objects drawn; the table shows the first {shown}; the full list is in {record} "
        "(the draw record) and {report}.",
    ),
    "draw_notice_past": (
        "注意：方案的通知日期 {notice_date} 已过（今天 {today}），检查通知书将落款为过去的日期。"
        "如需新日期，请作废本轮（shuijie void），修改方案后重新承诺和抽取。",
        "Note: the plan's notice date {notice_date} has passed (today is {today}); the letters carry a past "
        "date. For a new date, void this round (shuijie void), change the plan, commit and draw again.",
    ),
})
