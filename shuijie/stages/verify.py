"""Verify a round from its folder alone (第十二条: anyone can recompute the draw)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, TypedDict

from shuijie import __version__
from shuijie.core.draw import SNAPSHOT_FILES, dumps, run_draw, sha256_hex
from shuijie.core.draw import commitment as compute_commitment
from shuijie.core.errors import InputError, Problem, ShuijieError, VerifyError
from shuijie.core.forking import beside, switch
from shuijie.core.progress import Progress, quiet
from shuijie.core.snapshot import build_snapshot, read_snapshot
from shuijie.core.text import u8
from shuijie.core.workspace import Workspace
from shuijie.papers.notice import write_commitment_notice
from shuijie.registries.load import file_sha256
from shuijie.stages.draw_round import keep_round_objects, write_round_papers
from shuijie.store.rounds import (
    COMMITMENT,
    MANIFEST,
    PENDING,
    PROTECTED_DIRS,
    RECORD,
    VOID,
    is_unsealed,
    load_inputs,
    round_lock,
    sealed_files,
    write_tree,
)


class VerifyResult(TypedDict):
    """What ``verify`` reports when every file agrees (a difference raises VerifyError)."""

    round_dir: str
    files: int
    papers: list[str]
    commitment: str | None
    seed: str | None
    drawn: bool
    void: bool
    papers_compared: bool  # False: written by another version of shuijie (``written_by``)
    written_by: str


class _Findings:
    """The differences found so far, each with the file it concerns."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def bad(self, code: str, file: str, **params: Any) -> None:
        self.problems.append(Problem(code, params, file))


def verify(round_dir: Path, progress: Progress | None = None) -> VerifyResult:
    """Recompute a round from its folder alone; raise VerifyError naming every file that differs.
    ``progress`` hears ``("progress_verify", step, 5)`` and the papers' progress."""
    rd = Path(round_dir)
    tell = progress or quiet
    if not (rd / COMMITMENT).is_file():
        raise InputError(Problem("not_a_round", {"path": str(rd), "missing": COMMITMENT}))
    _finish_pending(rd)
    found = _Findings()
    tell("progress_verify", 0, 5)
    added, on_disk = _check_manifest(rd, found)
    tell("progress_verify", 1, 5)
    snap_files, cdoc, computed = _check_commitment(rd, found)
    tell("progress_verify", 2, 5)
    record, raw = _read_record(rd, found)

    def again() -> list[Problem]:  # nothing to draw again without a record and a commitment
        return _record_findings(snap_files, record, raw) if record is not None and computed is not None else []

    # 3. and 4. at once at scale: the draw again (from the snapshot) in a child while this
    # process rebuilds the snapshot from inputs/; their findings in this order all the same
    from_inputs = _Findings()
    parallel = record is not None and computed is not None and _record_beside(snap_files)
    with beside(again, parallel, "verify's draw") as record_findings:
        ws = _check_inputs(rd, snap_files, record or cdoc, from_inputs)
        found.problems += record_findings()
    tell("progress_verify", 3, 5)
    found.problems += from_inputs.problems
    tell("progress_verify", 4, 5)
    # The papers are regenerated only by the version that wrote them: another version lays
    # them out differently (the draw, the snapshot and every hash are checked all the same).
    written_by = str((record or cdoc).get("tool_version", ""))
    compared = written_by == __version__
    papers: list[str] = []
    if compared:
        if ws is not None and record is not None:
            keep_round_objects(ws, record)
        papers = _check_papers(rd, ws, record, on_disk, added, found, progress)
        papers += _check_notice(rd, ws, cdoc, snap_files, record, found)
    tell("progress_verify", 5, 5)
    if found.problems:
        raise VerifyError(found.problems)
    return {"round_dir": str(rd), "files": len(on_disk) + 1, "papers": papers,
            "commitment": computed, "seed": (record or {}).get("seed"),
            "drawn": record is not None, "void": (rd / VOID).exists(),
            "papers_compared": compared, "written_by": written_by}


def _finish_pending(rd: Path) -> None:
    """A later step was killed: finish it (after its commit point) or drop its temp files, as the next command would."""
    if (rd / PENDING).is_file() or next(rd.rglob(".*.tmp-*"), None):
        try:
            with round_lock(rd.resolve().parent, rd.resolve().name):
                pass
        except InputError:
            pass  # busy or read-only: verify what is there


def _check_manifest(rd: Path, found: _Findings) -> tuple[set[str], list[str]]:
    """1. manifest: every hash, nothing missing, nothing unlisted.  Returns (added, files on disk)."""
    bad = found.bad
    try:
        manifest = json.loads((rd / MANIFEST).read_text("utf-8"))
        listed: dict[str, str] = dict(manifest["files"])
        added = set(manifest.get("added", []))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        bad("verify_manifest_bad", MANIFEST, error=str(exc))
        listed, added = {}, set()
    on_disk = sealed_files(rd)  # the working copy 结果录入表.xlsx is the clerk's, not sealed
    for rel in sorted(listed, key=u8):
        path = rd / rel
        if not path.is_file():
            bad("verify_missing", rel)
        elif file_sha256(path) != listed[rel]:
            bad("verify_hash", rel)
    if listed:
        for rel in on_disk:
            if rel not in listed:
                bad("verify_unlisted", rel)
    return added, on_disk


def _check_commitment(rd: Path, found: _Findings) -> tuple[dict[str, bytes], dict[str, Any], str | None]:
    """2. the commitment recomputed from the snapshot bytes.  Returns (snapshot, commitment doc, S)."""
    bad = found.bad
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
            found.problems.extend(exc.problems)
        if computed is not None and computed != cdoc.get("commitment"):
            bad("verify_commitment", COMMITMENT, stored=cdoc.get("commitment"), computed=computed)
        for name, h in sorted(cdoc.get("snapshot_sha256", {}).items()):
            if name in snap_files and sha256_hex(snap_files[name]) != h:
                bad("verify_hash_commitment", f"snapshot/{name}")
    return snap_files, cdoc, computed


def _read_record(rd: Path, found: _Findings) -> tuple[dict[str, Any] | None, bytes]:
    """draw.json, parsed (None: there is none, or it is not JSON) and as stored."""
    if not (rd / RECORD).is_file():
        return None, b""
    raw = (rd / RECORD).read_bytes()
    try:
        return json.loads(raw), raw
    except ValueError as exc:
        found.bad("verify_record_error", RECORD, error=str(exc))
        return None, raw


def _record_findings(snap_files: dict[str, bytes], record: dict[str, Any], raw: bytes) -> list[Problem]:
    """3. draw.json recomputed from the snapshot and the public random values."""
    found = _Findings()
    try:
        again: dict[str, Any] = dict(run_draw(snap_files, list(record.get("public_random", []))))
        for key in ("unmatched", "cooldown_excluded", "status_excluded", "inspectors_left_out",
                    "committed_separately", "tool_version"):
            if key in record:
                again[key] = record[key]
        if dumps(again) != raw:
            keys = [k for k in sorted(set(again) | set(record)) if again.get(k) != record.get(k)]
            found.bad("verify_record", RECORD, detail=", ".join(keys) or "bytes")
    except ShuijieError as exc:
        found.bad("verify_record_error", RECORD, error=exc.problems[0].message("en"))
    return found.problems


# Verify draws again in a child while it rebuilds the snapshot (both about 6 s at 1M objects)
# from a population.csv this size on (about 25,000 objects), where ``os.fork`` exists
# (shuijie.core.forking); ``SHUIJIE_VERIFY_WORKER=0`` switches it off, ``1`` on at any size.
VERIFY_WORKER_ENV = "SHUIJIE_VERIFY_WORKER"
VERIFY_WORKER_FROM = 1 << 20


def _record_beside(snap_files: dict[str, bytes]) -> bool:
    return switch(VERIFY_WORKER_ENV, len(snap_files.get("population.csv", b"")) >= VERIFY_WORKER_FROM)


def _check_inputs(rd: Path, snap_files: dict[str, bytes], stored: dict[str, Any],
                  found: _Findings) -> Workspace | None:
    """4. inputs/ rebuild the same snapshot (with the stored cool-down exclusions)."""
    bad = found.bad
    ws: Workspace | None = None
    try:
        ws = load_inputs(rd)
    except ShuijieError as exc:
        bad("verify_inputs", "inputs", error="; ".join(p.text("zh") for p in exc.problems))
    except Exception as exc:  # unreadable or tampered inputs/ are a difference, not a crash
        bad("verify_inputs", "inputs", error=repr(exc))
    if ws is not None:
        try:
            rebuilt = build_snapshot(ws, stored.get("cooldown_excluded", []))
            for name in SNAPSHOT_FILES:
                if rebuilt.files[name] != snap_files.get(name):
                    bad("verify_snapshot", f"snapshot/{name}")
            # who the rules left out, as the record states it (rounds before 0.2.0 do not)
            for key, value in (("status_excluded", rebuilt.status_excluded),
                               ("inspectors_left_out", rebuilt.inspectors_left_out)):
                if key in stored and stored[key] != value:
                    bad("verify_record", RECORD, detail=key)
        except ShuijieError as exc:
            bad("verify_inputs", "inputs", error="; ".join(p.text("zh") for p in exc.problems))
    return ws


def _check_papers(rd: Path, ws: Workspace | None, record: dict[str, Any] | None, on_disk: list[str],
                  added: set[str], found: _Findings, progress: Progress | None = None) -> list[str]:
    """5. papers regenerated from inputs/ + draw.json, byte for byte (later replacements excepted)."""
    if ws is None or record is None:
        return []
    bad = found.bad
    papers: list[str] = []
    with tempfile.TemporaryDirectory(prefix="shuijie-verify-", dir=_scratch(rd, on_disk)) as t:
        tmp = Path(t)
        write_tree(tmp, {rel: rd / rel for rel in on_disk  # copied, not read whole (1M objects: 150 MB)
                          if rel in (COMMITMENT, RECORD) or rel.split("/")[0] in PROTECTED_DIRS})
        try:
            papers = write_round_papers(tmp, ws, record, progress)
        except ShuijieError as exc:
            bad("verify_papers_error", RECORD, error="; ".join(p.text("zh") for p in exc.problems))
        except Exception as exc:  # a tampered record may trip the paper writers
            if not found.problems:
                raise
            bad("verify_papers_error", RECORD, error=repr(exc))
        for rel in papers:
            if is_unsealed(rel):
                continue  # the clerk's working copy; its blank original is compared
            if rel in added:
                continue  # replaced later (e.g. publication with results); its hash is checked above
            if not (rd / rel).is_file():
                bad("verify_missing", rel)
            elif (rd / rel).read_bytes() != (tmp / rel).read_bytes():
                bad("verify_paper", rel)
    return papers


# Where the regenerated papers go on Linux when the user has not chosen a temporary folder
# (TMPDIR, TEMP, TMP): shared memory, when it has room for them twice over.  They are
# scratch, deleted when verify ends; on a disk a 1M round's 20,077 files cost seconds of
# file-system work to create and delete (benchmarks/RESULTS.md), in memory a fraction.
SHARED_MEMORY = Path("/dev/shm")


def _scratch(rd: Path, files: list[str]) -> str | None:
    """The folder for verify's temporary copy of the papers (None: the system's temporary folder)."""
    if any(os.environ.get(v) for v in ("TMPDIR", "TEMP", "TMP")):
        return None
    shm = SHARED_MEMORY
    try:
        if not (shm.is_dir() and os.access(shm, os.W_OK)):
            return None
        size = sum((rd / rel).stat().st_size for rel in files)
        room = shutil.disk_usage(shm).free
    except OSError:
        return None
    return str(shm) if room >= 2 * size + (64 << 20) else None


def _check_notice(rd: Path, ws: Workspace | None, cdoc: dict[str, Any], snap_files: dict[str, bytes],
                  record: dict[str, Any] | None, found: _Findings) -> list[str]:
    """6. 承诺公告, regenerated from commitment.json, the snapshot and inputs/ (rounds written
    before it existed have none: it is compared where the round has it)."""
    if ws is None or not cdoc or len(snap_files) != len(SNAPSHOT_FILES):
        return []
    separately = bool(record.get("committed_separately", True)) if record is not None else True
    compared: list[str] = []
    with tempfile.TemporaryDirectory(prefix="shuijie-verify-") as t:
        try:
            again = write_commitment_notice(Path(t), ws, cdoc, snap_files, separately)
        except ShuijieError as exc:
            found.bad("verify_papers_error", COMMITMENT, error="; ".join(p.text("zh") for p in exc.problems))
            return []
        for p in again:
            if not (rd / p.name).is_file():
                continue
            compared.append(p.name)
            if (rd / p.name).read_bytes() != p.read_bytes():
                found.bad("verify_paper", p.name)
    return compared
