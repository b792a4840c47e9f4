"""Commit, draw and void a round (第十二至十五条): the steps that fill the round folder.

The folder itself (lock, staging, manifest, journal) is :mod:`shuijie.store.rounds`;
the draw is :mod:`shuijie.core.draw`; the papers :mod:`shuijie.papers`.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, NotRequired, TypedDict

from shuijie import __version__
from shuijie.core.draw import SNAPSHOT_FILES, RoundRecord, dumps, run_draw, sha256_hex
from shuijie.core.draw import commitment as compute_commitment
from shuijie.core.errors import InfeasibleError, InputError, Problem
from shuijie.core.progress import Progress, stage
from shuijie.core.snapshot import Snapshot, build_snapshot, read_snapshot
from shuijie.core.text import json_bytes, u8
from shuijie.core.workspace import Workspace
from shuijie.papers import template_files, write_papers
from shuijie.papers.notice import NOTICE_DOCX, NOTICE_TXT, write_commitment_notice
from shuijie.papers.web import write_commit_page, write_draw_pages
from shuijie.registries.check import load_workspace
from shuijie.registries.feasibility import feasibility_problems, name_objects
from shuijie.registries.outcomes import OUTCOMES_FILE, find_outcomes_file
from shuijie.store.rounds import (
    COMMITMENT,
    INDEX,
    RECORD,
    VOID,
    add_files,
    as_inputs,
    check_plan_id,
    fault_pause,
    refuse_existing,
    round_lock,
    round_state,
    staged,
    write_tree,
)


class CommitResult(TypedDict):
    """What ``commit`` reports: the values to publish before the random value exists."""

    round_dir: str
    plan_id: str
    commitment: str
    snapshot_sha256: dict[str, str]
    public_random_source: str
    counts: dict[str, int]
    already_committed: bool
    notice: NotRequired[list[str]]


class DrawResult(TypedDict):
    """What ``draw`` reports: the round, its record and papers, and notes not kept in the round."""

    round_dir: str
    record: RoundRecord
    papers: list[str]
    ws: Workspace
    notes: list[Problem]


class VoidResult(TypedDict):
    round_dir: str
    plan_id: str
    void: bool
    reason: str
    stage: str


def _inputs_files(ws: Workspace) -> dict[str, bytes | Path]:
    """``inputs/``: a byte copy of each file the workspace was loaded from, plus index.json
    (values are the source paths, copied by :func:`~shuijie.store.rounds.write_tree`)."""
    index: dict[str, str] = {}
    files: dict[str, bytes | Path] = {}
    used: set[str] = {"index.json"}
    for role in sorted(ws.files, key=lambda r: (r != "plan", r)):
        src = Path(ws.files[role])
        name = src.name
        if name in used:
            name = f"{role}-{src.name}"
        used.add(name)
        index[role] = name
        files[f"inputs/{name}"] = src
    files[INDEX] = json_bytes(index, sort_keys=True)
    # What the papers and results read besides the registries: the clerk's edited letter /
    # Annex 2 templates and the workspace's outcome list.  Kept beside the plan copy, where
    # the same lookups find them again at draw time, in verify, results and publish.
    for name, path in sorted(template_files(ws).items()):
        files[f"inputs/templates/{name}"] = Path(path)
    outcomes = find_outcomes_file(ws)
    if outcomes is not None:
        files[f"inputs/{OUTCOMES_FILE}"] = Path(outcomes)
    return files



def _commitment_doc(ws: Workspace, snap: Snapshot) -> dict[str, Any]:
    return {
        "algorithm": "shuijie-draw/1",
        "plan_id": ws.plan.id,
        "commitment": compute_commitment(snap.files),
        "snapshot_sha256": {name: sha256_hex(snap.files[name]) for name in sorted(SNAPSHOT_FILES)},
        "public_random_source": ws.plan.public_random_source,
        "unmatched": snap.unmatched,
        "cooldown_excluded": snap.cooldown_excluded,
        "tool_version": __version__,
    }


def _snapshot_files(snap: Snapshot) -> dict[str, bytes]:
    return {f"snapshot/{name}": data for name, data in snap.files.items()}


def _require_population(snap: Snapshot) -> None:
    if not snap.counts.get("population"):
        raise InputError(Problem("snapshot_empty_population",
                                 {"unmatched": snap.unmatched, "cooldown": len(snap.cooldown_excluded)}))


# ---------------------------------------------------------------- commit


@contextmanager
def _plan_round(plan_path: Path, progress: Progress | None = None) -> Iterator[tuple[Workspace, Path, str | None]]:
    """Load the plan's workspace and hold its round's lock; a round already drawn or void is
    refused.  Yields ``(ws, round_dir, state)``, state ``"none"`` or ``"committed"``."""
    ws = load_workspace(Path(plan_path), progress=progress)
    plan_id = ws.plan.id
    check_plan_id(plan_id)
    rd = ws.rounds_dir / plan_id
    with round_lock(ws.rounds_dir, plan_id):
        state = round_state(rd)
        refuse_existing(rd, state, plan_id, allow_committed=True)
        yield ws, rd, state



def commit(plan_path: Path, progress: Progress | None = None) -> CommitResult:
    """``shuijie commit``: freeze the snapshot, write commitment.json + snapshot/ + inputs/.

    A plan that no random value could draw is refused before anything is written (the
    commitment would spend the plan id): :mod:`shuijie.registries.feasibility`."""
    with _plan_round(plan_path, progress) as (ws, rd, state):
        if state == "committed":
            old = json.loads((rd / COMMITMENT).read_text("utf-8"))
            snap = build_snapshot(ws, old.get("cooldown_excluded", []))
            doc = _commitment_doc(ws, snap)
            if doc["commitment"] != old.get("commitment"):
                raise InputError(_changed_problem(old, snap))
            res = _commit_result(rd, doc, snap, already=True)
            res["notice"] = [str(rd / name) for name in (NOTICE_DOCX, NOTICE_TXT) if (rd / name).is_file()]
            return res
        snap = build_snapshot(ws)
        _require_population(snap)
        infeasible = feasibility_problems(ws, snap, progress)
        if infeasible:
            raise InputError(infeasible)
        doc = _commitment_doc(ws, snap)
        with staged(rd) as tmp:
            write_tree(tmp, {COMMITMENT: json_bytes(doc), **_snapshot_files(snap), **_inputs_files(ws)})
            write_commit_page(tmp, ws.plan)  # 网页/承诺公告.html
            notice = write_commitment_notice(tmp, as_inputs(ws, tmp), doc, snap.files, separately=True)
    res = _commit_result(rd, doc, snap, already=False)
    res["notice"] = [str(rd / p.name) for p in notice]
    return res


def _commit_result(rd: Path, doc: dict[str, Any], snap: Snapshot, already: bool) -> CommitResult:
    return {"round_dir": str(rd), "plan_id": doc["plan_id"], "commitment": doc["commitment"],
            "snapshot_sha256": doc["snapshot_sha256"], "public_random_source": doc["public_random_source"],
            "counts": snap.counts, "already_committed": already}


def _changed_problem(old: dict[str, Any], snap: Snapshot) -> Problem:
    old_hashes = old.get("snapshot_sha256", {})
    changed = [n for n in SNAPSHOT_FILES if old_hashes.get(n) != sha256_hex(snap.files[n])]
    return Problem("commit_changed", {"files": "、".join(changed) or "snapshot",
                                      "commitment": old.get("commitment")}, "commitment.json")


# ---------------------------------------------------------------- draw


def draw(plan_path: Path, randoms: list[str], progress: Progress | None = None,
         today: dt.date | None = None) -> DrawResult:
    """``shuijie draw``: the whole round (commitment, snapshot, inputs, record, papers, manifest)."""
    if not randoms:
        raise InputError(Problem("random_required", {}, None, None, "--random"))
    for n, r in enumerate(randoms, start=1):
        if not r.strip():
            raise InputError(Problem("random_blank", {"n": n}, None, None, "--random"))
    with _plan_round(plan_path, progress) as (ws, rd, state):
        if state == "committed":
            old_bytes = (rd / COMMITMENT).read_bytes()
            old = json.loads(old_bytes)
            snap = build_snapshot(ws, old.get("cooldown_excluded", []))
            stored = read_snapshot(rd / "snapshot")
            if (compute_commitment(snap.files) != old.get("commitment")
                    or any(stored.get(n) != snap.files[n] for n in SNAPSHOT_FILES)):
                raise InputError(_changed_problem(old, snap))
            committed_separately = True
            commitment_bytes = old_bytes
        else:
            snap = build_snapshot(ws)
            _require_population(snap)
            committed_separately = False
            commitment_bytes = json_bytes(_commitment_doc(ws, snap))

        try:
            with stage(progress, "progress_draw"):
                drawn = run_draw(snap.files, list(randoms))  # InfeasibleError: nothing written yet
        except InfeasibleError as exc:
            name_objects(exc.problems, ws)
            raise
        record: RoundRecord = {**drawn, "unmatched": snap.unmatched, "cooldown_excluded": snap.cooldown_excluded,
                               "status_excluded": snap.status_excluded,
                               "inspectors_left_out": snap.inspectors_left_out,
                               "committed_separately": committed_separately, "tool_version": __version__}
        keep_round_objects(ws, dict(record))

        with staged(rd) as tmp:
            write_tree(tmp, {COMMITMENT: commitment_bytes, **_snapshot_files(snap), **_inputs_files(ws),
                              RECORD: dumps(record)})
            inputs_ws = as_inputs(ws, tmp)
            # 承诺公告: the one ``commit`` wrote (same bytes), or, without a prior commit, one
            # that says the commitment was made together with the draw
            notice = write_commitment_notice(tmp, inputs_ws, json.loads(commitment_bytes), snap.files,
                                             separately=committed_separately)
            papers = write_round_papers(tmp, inputs_ws, dict(record), progress)
            papers = sorted(set(papers) | {p.name for p in notice}, key=u8)
            fault_pause("papers")
    return {"round_dir": str(rd), "record": record, "papers": papers, "ws": ws,
            "notes": notice_notes(ws, today or dt.date.today())}


def notice_notes(ws: Workspace, today: dt.date) -> list[Problem]:
    """Warnings that are not part of the round's bytes: a notice date already past (the
    letters carry it; draw.json stays free of wall-clock time so verify recomputes it)."""
    if today > ws.plan.notice_date:
        return [Problem("draw_notice_past", {"notice_date": ws.plan.notice_date.isoformat(),
                                             "today": today.isoformat()}, None, None, "notice_date")]
    return []


def keep_round_objects(ws: Workspace, record: dict[str, Any]) -> None:
    """Let the workspace keep only the objects the round's papers name (drawn, cooled down),
    their records built now: a province's columns are not carried into the papers (1M objects:
    the papers' forked worker would otherwise start with them in its pages)."""
    wanted = [s["object_id"] for s in record.get("selected", [])]
    wanted += [c["object_id"] for c in record.get("cooldown_excluded", []) or []]
    ws.objects = ws.objects.only(wanted)


def write_round_papers(dest: Path, ws: Workspace, record: dict[str, Any], progress: Progress | None) -> list[str]:
    paths = write_papers(dest, ws, record, progress=progress) or []
    paths += write_draw_pages(dest, ws, record)  # 网页/: reads commitment.json and snapshot/ in dest
    out = []
    for p in paths:
        p = Path(p)
        out.append((p.relative_to(dest) if p.is_absolute() else p).as_posix())
    return sorted(set(out), key=u8)



def void(round_dir: Path, reason: str) -> VoidResult:
    """Retire a round (committed or drawn): keep every file, add ``void.json`` with the reason."""
    rd = Path(round_dir)
    if not reason or not reason.strip():
        raise InputError(Problem("void_reason_required", {}, None, None, "--reason"))
    state = round_state(rd)
    if state == "void":
        old = json.loads((rd / VOID).read_text("utf-8"))
        raise InputError(Problem("void_already", {"plan_id": rd.name, "reason": old.get("reason", "")}))
    if state not in ("committed", "drawn"):
        raise InputError(Problem("not_a_round", {"path": str(rd), "missing": COMMITMENT}))
    doc = {"plan_id": rd.name, "void": True, "reason": reason.strip(), "stage": state}
    add_files(rd, {VOID: json_bytes(doc)})
    return VoidResult(round_dir=str(rd), plan_id=rd.name, void=True, reason=reason.strip(), stage=state)
