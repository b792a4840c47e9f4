"""Verify a round from its folder alone (第十二条: anyone can recompute the draw)."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

from shuijie.core.draw import SNAPSHOT_FILES, dumps, run_draw, sha256_hex
from shuijie.core.draw import commitment as compute_commitment
from shuijie.core.errors import InputError, Problem, ShuijieError, VerifyError
from shuijie.core.models import Workspace
from shuijie.core.progress import Progress, quiet
from shuijie.core.snapshot import build_snapshot, read_snapshot
from shuijie.stages.draw_round import write_round_papers
from shuijie.store.rounds import (
    COMMITMENT,
    MANIFEST,
    PENDING,
    PROTECTED_DIRS,
    RECORD,
    VOID,
    list_files,
    load_inputs,
    round_lock,
    u8,
    write_tree,
)


def verify(round_dir: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Recompute a round from its folder alone; raise VerifyError naming every file that differs.
    ``progress`` hears ``("progress_verify", step, 5)`` and the papers' progress."""
    rd = Path(round_dir)
    tell = progress or quiet
    if not (rd / COMMITMENT).is_file():
        raise InputError(Problem("not_a_round", {"path": str(rd), "missing": COMMITMENT}))
    if (rd / PENDING).is_file() or next(rd.rglob(".*.tmp-*"), None):
        # a later step was killed: finish it (after its commit point) or drop its temp files, as
        # the next command would
        try:
            with round_lock(rd.resolve().parent, rd.resolve().name):
                pass
        except InputError:
            pass  # busy or read-only: verify what is there
    problems: list[Problem] = []

    def bad(code: str, file: str, **params: Any) -> None:
        problems.append(Problem(code, params, file))

    tell("progress_verify", 0, 5)
    # 1. manifest: every hash, nothing missing, nothing unlisted
    try:
        manifest = json.loads((rd / MANIFEST).read_text("utf-8"))
        listed: dict[str, str] = dict(manifest["files"])
        added = set(manifest.get("added", []))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        bad("verify_manifest_bad", MANIFEST, error=str(exc))
        listed, added = {}, set()
    on_disk = [f for f in list_files(rd) if f != MANIFEST]
    for rel in sorted(listed, key=u8):
        path = rd / rel
        if not path.is_file():
            bad("verify_missing", rel)
        elif hashlib.sha256(path.read_bytes()).hexdigest() != listed[rel]:
            bad("verify_hash", rel)
    if listed:
        for rel in on_disk:
            if rel not in listed:
                bad("verify_unlisted", rel)

    tell("progress_verify", 1, 5)
    # 2. commitment from the snapshot bytes
    snap_files = read_snapshot(rd / "snapshot")
    for name in SNAPSHOT_FILES:
        if name not in snap_files:
            bad("verify_missing", f"snapshot/{name}")
    cdoc: dict[str, Any] = {}
    try:
        cdoc = json.loads((rd / COMMITMENT).read_text("utf-8"))
    except ValueError as exc:
        bad("verify_manifest_bad", COMMITMENT, error=str(exc))
    computed = None
    if len(snap_files) == len(SNAPSHOT_FILES):
        try:
            computed = compute_commitment(snap_files)
        except ShuijieError as exc:
            problems.extend(exc.problems)
        if computed is not None and computed != cdoc.get("commitment"):
            bad("verify_commitment", COMMITMENT, stored=cdoc.get("commitment"), computed=computed)
        for name, h in sorted(cdoc.get("snapshot_sha256", {}).items()):
            if name in snap_files and sha256_hex(snap_files[name]) != h:
                bad("verify_hash_commitment", f"snapshot/{name}")

    tell("progress_verify", 2, 5)
    # 3. the record from snapshot + public random values
    record: dict[str, Any] | None = None
    if (rd / RECORD).is_file():
        raw = (rd / RECORD).read_bytes()
        try:
            record = json.loads(raw)
        except ValueError as exc:
            bad("verify_record_error", RECORD, error=str(exc))
        if record is not None and computed is not None:
            try:
                again = run_draw(snap_files, list(record.get("public_random", [])))
                for key in ("unmatched", "cooldown_excluded", "committed_separately", "tool_version"):
                    if key in record:
                        again[key] = record[key]
                if dumps(again) != raw:
                    keys = [k for k in sorted(set(again) | set(record)) if again.get(k) != record.get(k)]
                    bad("verify_record", RECORD, detail=", ".join(keys) or "bytes")
            except ShuijieError as exc:
                bad("verify_record_error", RECORD, error=exc.problems[0].message("en"))

    tell("progress_verify", 3, 5)
    # 4. inputs/ rebuild the same snapshot
    ws: Workspace | None = None
    try:
        ws = load_inputs(rd)
    except ShuijieError as exc:
        bad("verify_inputs", "inputs", error="; ".join(p.text("zh") for p in exc.problems))
    except Exception as exc:  # unreadable or tampered inputs/ are a difference, not a crash
        bad("verify_inputs", "inputs", error=repr(exc))
    if ws is not None:
        cool = (record or cdoc).get("cooldown_excluded", [])
        try:
            rebuilt = build_snapshot(ws, cool)
            for name in SNAPSHOT_FILES:
                if rebuilt.files[name] != snap_files.get(name):
                    bad("verify_snapshot", f"snapshot/{name}")
        except ShuijieError as exc:
            bad("verify_inputs", "inputs", error="; ".join(p.text("zh") for p in exc.problems))

    tell("progress_verify", 4, 5)
    # 5. papers regenerated from inputs/ + draw.json
    papers: list[str] = []
    if ws is not None and record is not None:
        with tempfile.TemporaryDirectory(prefix="shuijie-verify-") as t:
            tmp = Path(t)
            write_tree(tmp, {rel: (rd / rel).read_bytes() for rel in on_disk
                              if rel in (COMMITMENT, RECORD) or rel.split("/")[0] in PROTECTED_DIRS})
            try:
                papers = write_round_papers(tmp, ws, record, progress)
            except ShuijieError as exc:
                bad("verify_papers_error", RECORD, error="; ".join(p.text("zh") for p in exc.problems))
            except Exception as exc:  # a tampered record may trip the paper writers
                if not problems:
                    raise
                bad("verify_papers_error", RECORD, error=repr(exc))
            for rel in papers:
                if rel in added:
                    continue  # replaced later (e.g. publication with results); its hash is checked above
                if not (rd / rel).is_file():
                    bad("verify_missing", rel)
                elif (rd / rel).read_bytes() != (tmp / rel).read_bytes():
                    bad("verify_paper", rel)

    tell("progress_verify", 5, 5)
    if problems:
        raise VerifyError(problems)
    return {"round_dir": str(rd), "files": len(on_disk) + 1, "papers": papers,
            "commitment": computed, "seed": (record or {}).get("seed"),
            "drawn": record is not None, "void": (rd / VOID).exists()}
