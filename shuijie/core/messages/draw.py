"""Messages of the draw area (see shuijie.messages): snapshot, commit, draw, verify, void."""

from shuijie.core.messages.catalogue import define

define({
    # ---- snapshot
    "snapshot_malformed": (
        "快照文件 {file} 格式不对（{what}）。快照由 shuijie 生成，请勿手工修改；如已改动，请从已公布的原件恢复。",
        "Snapshot file {file} is malformed ({what}). Snapshots are written by shuijie; do not edit them by hand — restore the published original.",
    ),
    "snapshot_file_missing": (
        "快照缺少文件 {file}。请从已公布的原件恢复该文件后重试。",
        "The snapshot lacks {file}. Restore it from the published original and try again.",
    ),
    "snapshot_bad_char": (
        "「{value}」含有不允许的字符（逗号、引号、分号或换行）。编号、区域、专业领域和分层名称中请不要使用这些字符，修改后重试。",
        "“{value}” contains a character not allowed here (comma, quote, semicolon or line break). Remove it from ids, areas, specialties and stratum names and try again.",
    ),
    "snapshot_empty_population": (
        "按方案的筛选条件和分层，没有任何检查对象进入抽取范围（未归入任何分层的对象 {unmatched} 个，冷却期内排除 {cooldown} 个）。请检查方案的 population 和 strata 设置。",
        "No object is eligible under the plan's filters and strata ({unmatched} matched no stratum, {cooldown} excluded by cool-down). Check the plan's population and strata.",
    ),
    "snapshot_empty_pool": (
        "方案的检查人员范围内没有在岗人员。请检查 inspector_pool 设置或人员名录的「在岗」列。",
        "The plan's inspector pool has no active inspector. Check inspector_pool or the registry's active column.",
    ),
    "cooldown_round_unreadable": (
        "读取以往抽查轮次 {round} 的 draw.json 失败（{error}），无法计算冷却期。请修复或检查该轮次文件夹后重试。",
        "Could not read draw.json of earlier round {round} ({error}), so the cool-down cannot be computed. Repair that round folder and try again.",
    ),
    # ---- draw infeasible (exit 3)
    "draw_no_working_days": (
        "方案 {plan_id} 抽中 {objects} 个对象，但检查时段内没有工作日。请调整方案的 window（检查起止日期）。",
        "Plan {plan_id} draws {objects} objects but its window has no working day. Change the plan's window.",
    ),
    "draw_infeasible_team": (
        "无法为检查对象 {name}（{object_id}，{date}）组成 {size} 人检查组（至少 {min_qualified} 人有执法资格、1 名可任组长）："
        "人员库共 {pool} 人，因回避排除 {recusal} 人，因执法区域排除 {area} 人，因当日已满排除 {day_load} 人，"
        "因本轮次数已满排除 {round_load} 人，剩余候选 {candidates} 人。请增加检查人员、放宽 max_per_day/max_per_round、"
        "延长检查时段或减少抽查数量。未写入任何文件。",
        "Cannot form a team of {size} (≥ {min_qualified} qualified, 1 leader) for {name} ({object_id}) on {date}: "
        "pool {pool}, removed by recusal {recusal}, by area {area}, by day load {day_load}, by round load {round_load}; "
        "{candidates} candidates left. Add inspectors, relax max_per_day/max_per_round, widen the window or draw fewer objects. Nothing was written.",
    ),
    "draw_infeasible_experts": (
        "无法为检查对象 {name}（{object_id}，{date}）抽取 {per_team} 名专家：专家库共 {pool} 人，因回避排除 {recusal} 人，"
        "因专业不符排除 {specialty} 人，因当日已满排除 {day_load} 人，剩余候选 {candidates} 人。请补充专家、"
        "调整 experts 设置或延长检查时段。未写入任何文件。",
        "Cannot draw {per_team} expert(s) for {name} ({object_id}) on {date}: pool {pool}, removed by recusal {recusal}, "
        "by specialty {specialty}, by day load {day_load}; {candidates} candidates left. Add experts, change the experts "
        "settings or widen the window. Nothing was written.",
    ),
    # ---- round folder
    "random_required": (
        "请用 --random 给出公开随机数（可重复，按顺序），例如 --random \"2026-02-25 福彩3D: 5 8 2\"。",
        "Give the public random value(s) with --random (repeatable, in order), e.g. --random \"2026-02-25 lottery: 5 8 2\".",
    ),
    "random_blank": (
        "第 {n} 个 --random 值为空。请输入公开随机数的原文。",
        "--random value #{n} is blank. Type the public random value as published.",
    ),
    "round_drawn": (
        "轮次 {plan_id} 已经抽取（{path}），抽取结果不能重抽或覆盖。如确需重新抽取，请用 void 作废该轮次，并使用新的方案编号。",
        "Round {plan_id} has already been drawn ({path}); a round is never redrawn or overwritten. To start again, void it and use a new plan id.",
    ),
    "round_voided": (
        "轮次 {plan_id} 已作废（{path}）。作废的轮次不能再使用，请在方案中换一个新的编号（id）后重新承诺和抽取。",
        "Round {plan_id} was voided ({path}). Give the plan a new id, then commit and draw again.",
    ),
    "round_busy": (
        "另一个 shuijie 进程正在处理轮次 {plan_id}。请等它结束后再试。",
        "Another shuijie process is working on round {plan_id}. Wait for it to finish and try again.",
    ),
    "round_exists_other": (
        "{path} 已存在但不是 shuijie 的轮次文件夹。请移走该文件夹或换一个方案编号。",
        "{path} exists but is not a shuijie round folder. Move it away or use another plan id.",
    ),
    "commit_changed": (
        "抽取前重新生成的快照与已公布的承诺不一致：{files} 变了（承诺 {commitment}）。承诺公布后名录、回避、比例或日期不得改动；"
        "请恢复原来的名录和方案，或作废该轮次后用新的方案编号重新承诺。",
        "The snapshot re-derived before the draw differs from the published commitment: {files} changed (commitment {commitment}). "
        "Registries, recusals, ratios and dates must not change after the commitment; restore them, or void the round and commit under a new plan id.",
    ),
    "commit_exists_same": (
        "轮次 {plan_id} 已有相同的承诺，未作改动。",
        "Round {plan_id} already holds this same commitment; nothing changed.",
    ),
    "not_a_round": (
        "{path} 不是已抽取的轮次文件夹（缺少 {missing}）。请给出 rounds/<方案编号> 文件夹。",
        "{path} is not a drawn round folder (no {missing}). Give the rounds/<plan id> folder.",
    ),
    "void_reason_required": (
        "作废轮次必须说明原因：请用 --reason \"…\"。",
        "Voiding a round needs a reason: use --reason \"…\".",
    ),
    "void_already": (
        "轮次 {plan_id} 已于先前作废，原因：{reason}。无需再次作废。",
        "Round {plan_id} was already voided, reason: {reason}.",
    ),
    "round_file_bad_path": (
        "文件路径 {path} 不合法（只能是轮次文件夹内的相对路径）。",
        "File path {path} is not allowed (only relative paths inside the round folder).",
    ),
    # ---- verify (exit 1)
    "verify_commitment": (
        "承诺值与快照不符：commitment.json 记载 {stored}，按 snapshot/ 重新计算得 {computed}。",
        "Commitment does not match the snapshot: commitment.json says {stored}, snapshot/ gives {computed}.",
    ),
    "verify_record": (
        "按快照和公开随机数重新抽取，结果与 draw.json 不一致（{detail}）。",
        "Recomputing the draw from the snapshot and public random values does not give draw.json ({detail}).",
    ),
    "verify_record_error": (
        "按快照重新抽取失败：{error}",
        "Recomputing the draw from the snapshot failed: {error}",
    ),
    "verify_hash": (
        "文件内容与 manifest.json 记载的 SHA-256 不符，文件已被改动。",
        "The file's SHA-256 differs from manifest.json: the file was changed.",
    ),
    "verify_hash_commitment": (
        "文件的 SHA-256 与 commitment.json 中承诺时公布的哈希不符。",
        "The file's SHA-256 differs from the hash published with the commitment (commitment.json).",
    ),
    "verify_missing": (
        "manifest.json 列出的文件不见了。",
        "A file listed in manifest.json is missing.",
    ),
    "verify_unlisted": (
        "轮次文件夹中有 manifest.json 未列出的文件。",
        "A file in the round folder is not listed in manifest.json.",
    ),
    "verify_snapshot": (
        "用 inputs/ 中保存的方案和名录重新生成的快照文件与 snapshot/ 中的不一致。",
        "The snapshot file rebuilt from the plan and registries kept in inputs/ differs from snapshot/.",
    ),
    "verify_inputs": (
        "无法从 inputs/ 重新加载方案和名录：{error}",
        "Could not reload the plan and registries from inputs/: {error}",
    ),
    "verify_paper": (
        "按 inputs/ 和 draw.json 重新生成的文书与轮次中的文件不一致。",
        "The paper regenerated from inputs/ and draw.json differs from the round's file.",
    ),
    "verify_papers_error": (
        "无法按 draw.json 重新生成文书：{error}",
        "The papers could not be regenerated from draw.json: {error}",
    ),
    "verify_manifest_bad": (
        "manifest.json 缺失或无法读取（{error}）。",
        "manifest.json is missing or unreadable ({error}).",
    ),
    "verify_ok": (
        "验证通过：承诺、随机种子、抽取结果、快照、文书和 {files} 个文件的哈希均与轮次文件夹一致。",
        "Verified: commitment, seed, draw, snapshot, papers and the hashes of {files} files all match.",
    ),
    "verify_void": (
        "注意：该轮次已作废（见 void.json），文件完整但不再使用。",
        "Note: this round was voided (see void.json); its files are intact but it is no longer used.",
    ),
    "commit_round_dir": ("轮次文件夹：{path}", "Round folder: {path}"),
    "verify_papers_other_version": (
        "本轮由 shuijie {version} 抽取，当前是 {current}：两版文书的版式不同，文书未重新生成比对；承诺值、种子、抽取结果、快照和每个文件的哈希（manifest.json）都已核对。要逐字节比对文书，请安装 shuijie {version} 后再运行 verify。",
        "This round was drawn by shuijie {version}; this is {current}. The papers' layout differs between versions, so they were not regenerated and compared; the commitment, seed, draw, snapshot and every file's hash (manifest.json) were checked. To compare the papers byte for byte, install shuijie {version} and run verify again.",
    ),
    "verify_commit_only": (
        "注意：该轮次只做了承诺，尚未抽取；已核对承诺值、快照和哈希。",
        "Note: this round is committed but not drawn yet; commitment, snapshot and hashes were checked.",
    ),
    "verify_failed": (
        "验证未通过：{count} 处不一致。",
        "Verification failed: {count} difference(s).",
    ),
    # ---- CLI texts
    "commit_done": (
        "已承诺轮次 {plan_id}。请在公开随机数产生之前公布下面的承诺值和文件哈希。",
        "Round {plan_id} committed. Publish the commitment and file hashes below before the public random value exists.",
    ),
    "commit_value": ("承诺值 S：{value}", "Commitment S: {value}"),
    "commit_notice": ("承诺公告（张贴或上网公布）：{path}", "Commitment notice (to post or publish): {path}"),
    "commit_source": ("公开随机数来源：{source}", "Public random source: {source}"),
    "commit_counts": (
        "抽取范围 {population} 个对象（未归入分层 {unmatched} 个，冷却期排除 {cooldown} 个），检查人员 {inspectors} 人，专家 {experts} 人，回避 {conflicts} 条，工作日 {days} 天。",
        "Population {population} objects ({unmatched} in no stratum, {cooldown} cooled down), {inspectors} inspectors, {experts} experts, {conflicts} recusals, {days} working days.",
    ),
    "draw_done": (
        "已完成抽取，轮次文件夹：{path}",
        "Drawn; round folder: {path}",
    ),
    "draw_seed": ("随机种子 Z：{value}", "Seed Z: {value}"),
    "draw_one_go": (
        "注意：本轮次此前未单独承诺，承诺和抽取一次完成（承诺公告和抽取记录中均如实说明）。",
        "Note: this round was not committed beforehand; commitment and draw were done in one go (committed_separately: false).",
    ),
    "draw_stratum": ("分层「{name}」：共 {population} 个，抽取 {drawn} 个", "Stratum {name}: {population}, drawn {drawn}"),
    "draw_papers": ("正在生成文书", "Writing the papers"),
    "void_done": (
        "轮次 {plan_id} 已作废，文件保留，原因已记入 void.json。",
        "Round {plan_id} voided; its files are kept and the reason is in void.json.",
    ),
})

define({
    "snapshot_id_clash": (
        "编号 {person_id} 同时出现在检查人员名录和专家库中，回避记录会无法区分。请给其中一人换一个编号。",
        "Id {person_id} is used both by an inspector and by an expert, so recusals would be ambiguous. Give one of them another id.",
    ),
    "plan_id_unsafe": (
        "方案编号「{plan_id}」不能用作文件夹名（不能为空、不能以点开头、不能含 / \\ 或控制字符）。请修改方案的 id。",
        "Plan id “{plan_id}” cannot be a folder name (not empty, no leading dot, no / \\ or control characters). Change the plan's id.",
    ),
})

define({
    # ---- feasibility, checked by check and commit (shuijie.registries.feasibility)
    "feasible_no_days": (
        "方案将抽取 {objects} 个对象，但检查时段（window）内没有工作日，无法安排检查日期。请调整检查起止日期。",
        "The plan draws {objects} objects but its window has no working day. Change the window.",
    ),
    "feasible_day_team": (
        "{day} 要检查 {objects} 个对象（每组 {size} 人，至少 {min_qualified} 人有执法资格、1 名组长），需要"
        "{kind_zh} {need} 人次，但人员库只有 {people} 名{kind_zh}，每人每天最多 {per} 次，共 {have} 人次。"
        "请延长检查时段、放宽 team.max_per_day、增加人员或减少抽查数量。",
        "On {day}, {objects} objects are checked (teams of {size}, ≥ {min_qualified} qualified, 1 leader): that takes "
        "{need} assignments of {kind_en}, but the pool has {people} {kind_en} at {per} a day, {have} in all. Widen the "
        "window, relax team.max_per_day, add inspectors or draw fewer objects.",
    ),
    "feasible_round_team": (
        "本轮将抽取 {objects} 个对象（每组 {size} 人，至少 {min_qualified} 人有执法资格、1 名组长），需要{kind_zh} "
        "{need} 人次，但 {people} 名{kind_zh}每人本轮最多 {per} 次，共 {have} 人次。请放宽 team.max_per_round、"
        "增加人员或减少抽查数量。",
        "The round draws {objects} objects (teams of {size}, ≥ {min_qualified} qualified, 1 leader): {need} "
        "assignments of {kind_en}, but {people} {kind_en} at {per} a round give {have}. Relax team.max_per_round, "
        "add inspectors or draw fewer objects.",
    ),
    "feasible_area_team": (
        "区域 {area}：最多可能有 {objects} 个该区域的对象排在同一天（如 {day}），需要可在该区域执法的{kind_zh} "
        "{need} 人次，但只有 {people} 名{kind_zh}可在 {area} 执法（二级机构人员只在其执法区域，第九条），"
        "每人每天最多 {per} 次，共 {have} 人次。请增加该区域人员、延长检查时段或放宽 team.max_per_day。",
        "Area {area}: up to {objects} of its objects can fall on one day (e.g. {day}), needing {need} assignments of "
        "{kind_en} who may work there, but only {people} {kind_en} may work in {area} (二级机构 staff only in "
        "their areas, 第九条) at {per} a day, {have} in all. Add inspectors for the area, widen the window or relax "
        "team.max_per_day.",
    ),
    "feasible_day_experts": (
        "{day} 要检查 {objects} 个对象，每组 {per_team} 名专家，需要专家 {need} 人次，但专业为 {specialties} 的专家只有 "
        "{people} 人，每人每天最多 {per} 次，共 {have} 人次。请补充专家、放宽 experts.max_per_day 或延长检查时段。",
        "On {day}, {objects} objects need {per_team} expert(s) each, {need} in all, but {people} experts of "
        "{specialties} at {per} a day give {have}. Add experts, relax experts.max_per_day or widen the window.",
    ),
    "feasible_object": (
        "检查对象 {name}（{object_id}，区域 {area}）若被抽中将无法组组：回避 {recused} 人后，可在该区域执法的只剩 "
        "{left} 人（需 {size} 人），其中有执法资格 {qualified} 人（需 {min_qualified} 人）、可任组长 {leaders} 人"
        "（需 1 人）、可用专家 {experts} 人（需 {per_team} 人）（第九、十四、十五条）。请增加人员或专家，或核对回避记录。",
        "Object {name} ({object_id}, area {area}) cannot get a team if drawn: after {recused} recusal(s), {left} "
        "inspectors may work there (need {size}), {qualified} qualified (need {min_qualified}), {leaders} possible "
        "leaders (need 1), {experts} usable experts (need {per_team}) (第九、十四、十五条). Add inspectors or experts, "
        "or check the recusals.",
    ),
    "feasible_trials": (
        "按方案试抽 {trials} 次（固定的试算随机数），其中 {failed} 次无法完成，例如：{example_zh}"
        "承诺后方案编号即用掉，请先调整方案。",
        "Of {trials} trial draws (fixed trial random values), {failed} could not be completed, e.g.: {example_en} "
        "A commitment spends the plan id: change the plan first.",
    ),
})
