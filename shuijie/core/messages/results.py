"""Messages of the results area (see shuijie.messages)."""

from shuijie.core.messages.catalogue import define

define({
    # ---- outcomes.yaml
    "outcomes_file_bad": (
        "检查结果选项文件格式不对：{detail}。请写成 outcomes: [未发现问题, 发现问题已责令改正, …]"
        "（可选 risk_levels: [低风险, 一般风险, 较大风险, 重大风险]），或删除该文件以使用标准选项。",
        "The outcomes file is malformed: {detail}. Write outcomes: [未发现问题, …] (optionally "
        "risk_levels: [lowest, …, highest]), or delete the file to use the standard list.",
    ),
    # ---- reading the results sheet
    "results_xlsx_unreadable": (
        "无法读取结果录入表 {path}：文件不是 .xlsx、已损坏或设置了密码。请在 Excel/WPS 中另存为 .xlsx（不加密）后重试。",
        "Cannot read the results sheet {path}: not an .xlsx, damaged or password-protected. "
        "Save it again as .xlsx without a password and retry.",
    ),
    "results_header_missing": (
        "工作表「{sheet}」缺少「{header}」列。请使用本轮生成的结果录入表，不要删改表头。",
        "Sheet {sheet} has no column {header}. Use the results sheet this round produced and keep its headers.",
    ),
    "results_merged": (
        "工作表「{sheet}」有合并单元格 {cells}。请取消合并，每行只填一个检查对象。",
        "Sheet {sheet} has merged cells {cells}. Unmerge them: one object per row.",
    ),
    "results_formula": (
        "工作表「{sheet}」这个单元格是公式。请改为直接填写的值（复制后“选择性粘贴—数值”）。",
        "Sheet {sheet}: this cell holds a formula. Type the value instead (copy, then paste values only).",
    ),
    "results_blank_row": (
        "工作表「{sheet}」这一行是空行，但下面还有内容。请删除空行（整行删除）后重新导入。",
        "Sheet {sheet}: this row is blank but rows below it are filled. Delete the blank row and import again.",
    ),
    "results_code_missing": (
        "这一行没有统一社会信用代码。请填写本轮抽中对象的代码（可从原表复制）。",
        "This row has no 统一社会信用代码. Fill in the code of an object drawn in this round.",
    ),
    "results_unknown_object": (
        "{oid} 不是本轮（{plan_id}）抽中的检查对象。请核对代码，或删除这一行。",
        "{oid} was not drawn in this round ({plan_id}). Check the code or delete this row.",
    ),
    "results_duplicate_object": (
        "{oid} 在第{first}行已经填过。每个对象只填一行，请删除重复的一行。",
        "{oid} is already on row {first}. One row per object: delete the duplicate.",
    ),
    "results_date_missing": (
        "填写了检查结果但没有检查日期。请填写实际检查日期，如 2026-03-02。",
        "A result without a check date. Fill in the actual check date, e.g. 2026-03-02.",
    ),
    "results_date_bad": (
        "检查日期「{value}」无法识别。请写成 2026-03-02 或 2026年3月2日 这样的日期。",
        "Check date '{value}' is not a date. Write it like 2026-03-02.",
    ),
    "results_date_outside": (
        "检查日期 {date} 不在方案的检查时间 {start} 至 {end} 之内。请核对日期；确实在此日期检查的，请在「备注」列说明原因。",
        "Check date {date} is outside the plan's window {start} to {end}. Check the date; if it is right, "
        "explain why in the 备注 column.",
    ),
    "results_outcome_missing": (
        "没有填写检查结果。请从下拉列表中选择：{choices}。",
        "No outcome given. Choose one from the drop-down: {choices}.",
    ),
    "results_outcome_unknown": (
        "检查结果「{value}」不在标准选项中。请从下拉列表中选择：{choices}。",
        "Outcome '{value}' is not in the list. Choose one of: {choices}.",
    ),
    "results_findings_missing": (
        "检查结果为「{outcome}」，但「发现问题情况」是空的。请简要写明发现的问题。",
        "The outcome is '{outcome}' but 发现问题情况 is empty. Describe the problems found.",
    ),
    "results_filed_bad": (
        "是否立案「{value}」无法识别。请填“是”或“否”（不立案可留空）。",
        "是否立案 '{value}' is not understood. Write 是 or 否 (blank means 否).",
    ),
    "results_case_no_missing": (
        "是否立案为“是”，但没有立案号。请填写立案号（第二十六条）。",
        "是否立案 is 是 but there is no 立案号. Fill in the case number (第二十六条).",
    ),
    "results_case_no_unfiled": (
        "填写了立案号 {case_no}，但是否立案不是“是”。已立案请改为“是”，否则删除立案号。",
        "A case number {case_no} is given but 是否立案 is not 是. Set 是, or remove the case number.",
    ),
    "results_item_unknown": (
        "事项「{item}」不是对象 {oid} 本轮的检查事项。请核对事项编号，或删除这一行。",
        "Item '{item}' is not an item of this round for object {oid}. Check the item id or delete the row.",
    ),
    "results_item_duplicate": (
        "这个对象的事项「{item}」在第{first}行已经填过。请删除重复的一行。",
        "Item '{item}' of this object is already on row {first}. Delete the duplicate.",
    ),
    "results_compliance_bad": (
        "是否符合「{value}」无法识别。请从下拉列表中选择：{choices}。",
        "是否符合 '{value}' is not understood. Choose one of: {choices}.",
    ),
    "results_item_without_result": (
        "对象 {oid} 填写了逐项检查情况，但在「检查结果」表中还没有检查日期和结果。请先在「检查结果」表中填写该对象。",
        "Object {oid} has item rows but no date and outcome on the 检查结果 sheet. Fill that row first.",
    ),
    "results_would_change": (
        "{object_id} 的「{field}」已导入为「{before}」，本次为「{after}」。确认要修改的，请加 --replace 重新导入（原记录保留在导入历史中）。",
        "{object_id}: {field} was imported as '{before}', this file says '{after}'. To change it, import "
        "again with --replace (the earlier import stays in the history).",
    ),
    "round_not_drawn": (
        "{path} 不是已抽取的抽查轮次（没有 draw.json）。请指定 rounds/<方案编号> 文件夹。",
        "{path} is not a drawn round (no draw.json). Give the rounds/<plan id> folder.",
    ),
    "round_void": (
        "轮次 {path} 已作废，不能再导入结果或公示。",
        "Round {path} is void; results and publication are closed.",
    ),
    "rounds_dir_missing": (
        "找不到轮次文件夹 {path}。请指定 rounds 文件夹或某一轮次的文件夹。",
        "Rounds folder {path} not found. Give the rounds folder or one round's folder.",
    ),
    # ---- import outcome (CLI)
    "results_stored": (
        "已导入第 {number} 次结果：新增 {added} 个对象，修改 {changed} 处；已有结果 {stored}/{drawn} 个对象。",
        "Import {number} stored: {added} object(s) added, {changed} change(s); {stored}/{drawn} objects have results.",
    ),
    "results_sheet_empty": (
        "{path} 中还没有填写任何检查结果（每户至少填写检查日期和检查结果）。请在 Excel 或 WPS 中填写后保存，再运行 shuijie results。",
        "{path} has no results filled in yet (each object needs at least its check date and result). Fill it in Excel or WPS, save it, then run shuijie results again.",
    ),
    "results_unchanged": (
        "结果与已导入的相同，未作改动（已有结果 {stored}/{drawn} 个对象）。",
        "Same results as already imported; nothing changed ({stored}/{drawn} objects have results).",
    ),
    "results_missing_list": (
        "尚无结果的对象（{count} 个）：{names}。",
        "Objects still without results ({count}): {names}.",
    ),
    "results_change_line": (
        "修改：{object_id}「{field}」{before} → {after}",
        "Changed: {object_id} {field}: {before} → {after}",
    ),
    "results_date_line": (
        "结果产生日期 {date}，应在 {publish_by} 前公示（第十九条，20个工作日）。",
        "Results date {date}; publish by {publish_by} (第十九条, 20 working days).",
    ),
    # ---- publish
    "publish_no_results": (
        "轮次 {plan_id} 还没有导入任何检查结果。请先用 shuijie results 导入结果录入表。",
        "Round {plan_id} has no results yet. Import the results sheet with shuijie results first.",
    ),
    "publish_missing": (
        "{name}（{oid}）还没有检查结果，共 {count} 个对象缺结果。请导入后再公示，或加 --partial 先公示已有结果。",
        "{name} ({oid}) has no result yet ({count} object(s) missing). Import them first, or use --partial.",
    ),
    "publish_before_results": (
        "公示日期 {date} 早于结果产生日期 {results_date}。请核对 --date。",
        "Publication date {date} is before the results date {results_date}. Check --date.",
    ),
    "publish_done": (
        "已生成公示表：{file}（公示 {count} 个对象，公示日期 {date}）。",
        "Publication sheet written: {file} ({count} object(s), dated {date}).",
    ),
    "publish_unchanged": (
        "公示内容与上次相同，未作改动。",
        "Same publication as before; nothing changed.",
    ),
    "publish_partial": (
        "部分公示：以下 {count} 个对象尚无结果，未列入：{names}。",
        "Partial publication: {count} object(s) without results left out: {names}.",
    ),
    "publish_late": (
        "注意：公示期限为 {publish_by}（结果产生后20个工作日，第十九条），本次公示已逾期 {late_by} 个工作日。",
        "Note: the deadline was {publish_by} (20 working days after the results, 第十九条); this publication "
        "is {late_by} working day(s) late.",
    ),
    "publish_on_time": (
        "公示期限 {publish_by}，按时公示。",
        "Deadline {publish_by}: published on time.",
    ),
    "summary_written": (
        "已生成 {files}。",
        "Written: {files}.",
    ),
    "summary_raise": (
        "建议提高风险等级的对象 {count} 个，见 {file}（可直接合并到检查对象名录库）。",
        "{count} object(s) should get a higher risk level; see {file} (rows in the objects-registry layout).",
    ),
    "option_date_bad": (
        "{option} 的日期「{value}」无法识别。请写成 YYYY-MM-DD，如 2026-03-20。",
        "{option}: '{value}' is not a date. Write YYYY-MM-DD, e.g. 2026-03-20.",
    ),
    # ---- status
    "status_title": ("抽查轮次（{today}）", "Rounds (as of {today})"),
    "status_none": ("{dirs} 中没有抽查轮次。", "No rounds in {dirs}."),
    "stage_committed": ("已承诺", "committed"),
    "stage_drawn": ("已抽取", "drawn"),
    "stage_notified": ("已通知", "notified"),
    "stage_checked": ("已检查", "checked"),
    "stage_results_in": ("已录结果", "results in"),
    "stage_published": ("已公示", "published"),
    "stage_void": ("已作废", "void"),
    # ---- several outcomes, 核查方式, inspectors, follow-up
    "results_outcome_normalised": (
        "检查结果“{value}”按国家企业信用信息公示系统的写法记为“{name}”。",
        "Outcome \"{value}\" recorded in the national wording as \"{name}\".",
    ),
    "results_outcome_mixed": (
        "检查结果同时选了“{none}”和发现问题的结果（{others}），两者矛盾。请只保留符合实际的结果。",
        "The outcomes list \"{none}\" together with problem outcomes ({others}). Keep only what applies.",
    ),
    "results_item_contradicts": (
        "对象 {oid} 的检查事项 {item} 填了“不符合”，但该对象的检查结果（第 {main_row} 行）只有“{outcome}”。"
        "请改正检查结果（如“发现问题已责令改正”）或该事项的是否符合。",
        "Item {item} of object {oid} is 不符合 but the object's outcome (row {main_row}) is only \"{outcome}\". "
        "Correct the outcome or the item.",
    ),
    "results_method_unknown": (
        "核查方式“{value}”不在列表中。可选：{choices}（几种方式用“、”分隔）。",
        "Unknown check method \"{value}\". Choose from: {choices} (several separated by 、).",
    ),
    "results_method_normalised": (
        "核查方式“{value}”记为“{name}”。",
        "Check method \"{value}\" recorded as \"{name}\".",
    ),
    "results_inspector_unknown": (
        "实际检查人员“{name}”不在执法检查人员名录中。请填写名录中的姓名或编号，用“、”分隔。",
        "Inspector \"{name}\" is not in the inspectors registry. Use names or ids from it, separated by 、.",
    ),
    "results_inspector_ambiguous": (
        "名录中有几名叫“{name}”的检查人员，且不是本组成员。请改填其编号。",
        "Several inspectors are called \"{name}\" and none is in the drawn team. Write the id instead.",
    ),
    "results_closed_bad": (
        "是否完结只能填“是”或“否”，这里是“{value}”。",
        "是否完结 must be 是 or 否, not \"{value}\".",
    ),
    "results_closed_date_missing": (
        "是否完结填了“是”，但没有完结日期。请填写完结日期（如 2026-03-20）。",
        "是否完结 is 是 but 完结日期 is empty. Fill in the date the follow-up was finished.",
    ),
    "results_closed_date_not_closed": (
        "填了完结日期 {closed_on}，但是否完结不是“是”。请把是否完结改为“是”，或删去完结日期。",
        "完结日期 {closed_on} is given but 是否完结 is not 是. Set 是否完结 to 是 or clear the date.",
    ),
    "results_closed_before_check": (
        "完结日期 {closed_on} 早于检查日期 {date}。请核对。",
        "完结日期 {closed_on} is before the check date {date}. Check both.",
    ),
    "results_file_in_round": (
        "当前文件夹中没有 {path}。轮次文件夹里有 {name}：要导入它，运行 shuijie results {round}（不写文件名），"
        "或写出完整路径 {round}/{name}。",
        "{path} is not in the current folder. The round has {name}: run shuijie results {round} (no file "
        "argument), or give the full path {round}/{name}.",
    ),
    "results_review_next": (
        "结果待审核：审核人运行 shuijie review {round} --approve --by 姓名 通过，或 --return --by 姓名 --reason 理由 退回。",
        "Results await review: shuijie review {round} --approve --by NAME, or --return --by NAME --reason TEXT.",
    ),
    # ---- review
    "review_choose": (
        "请指定 --approve（通过）或 --return（退回）之一。",
        "Give exactly one of --approve or --return.",
    ),
    "review_by_missing": (
        "请用 --by 写明审核人姓名。",
        "Name the reviewer with --by.",
    ),
    "review_reason_missing": (
        "退回时请用 --reason 写明理由，如 --reason \"第3行检查日期有误\"。",
        "Give the reason for returning with --reason.",
    ),
    "review_no_results": (
        "{path} 还没有导入检查结果，无可审核。请先运行 shuijie results。",
        "{path} has no imported results to review. Run shuijie results first.",
    ),
    "review_approved": (
        "检查结果已审核通过（{by}，{date}）。可以公示：shuijie publish {round}",
        "Results approved ({by}, {date}). Publish with: shuijie publish {round}",
    ),
    "review_approved_partial": (
        "检查结果已审核通过（{by}，{date}）。还有 {missing} 户没有结果：导入其余结果后再公示，或先公示已有结果：shuijie publish {round} --partial",
        "Results approved ({by}, {date}). {missing} object(s) still have no result: import them before publishing, or publish what is there with: shuijie publish {round} --partial",
    ),
    "review_returned": (
        "检查结果已退回（{by}，{date}）：{reason}。请修改结果录入表后重新运行 shuijie results {round} --replace。",
        "Results returned ({by}, {date}): {reason}. Edit the sheet and import again with shuijie results {round} --replace.",
    ),
    "review_unchanged": (
        "这些检查结果已有同样的审核结论（{by}，{date}），未重复记录。",
        "These results already have this decision ({by}, {date}); nothing recorded.",
    ),
    "review_state_pending": ("待审核", "pending review"),
    "review_state_returned": ("已退回", "returned"),
    "review_state_approved": ("已审核", "approved"),
    "status_followups": ("未完结 {open} 立案 {cases}", "open follow-ups {open}, cases {cases}"),
    "publish_not_approved_pending": (
        "{count} 户的检查结果待审核，不能公示。请审核人先运行 shuijie review {path} --approve --by 姓名。",
        "Results of {count} objects are pending review and cannot be published. Run shuijie review {path} "
        "--approve --by NAME first.",
    ),
    "publish_not_approved_returned": (
        "检查结果已被退回（{by}，{date}：{reason}），不能公示。请修改后重新导入并审核通过。",
        "The results were returned ({by}, {date}: {reason}) and cannot be published. Edit, import again and "
        "have them approved.",
    ),
})
