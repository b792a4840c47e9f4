"""The round folder: commit, draw, verify, void, later files; atomic, locked, never overwritten.

``<rounds>/<plan_id>/`` holds ``commitment.json``, ``snapshot/`` (DRAW-SPEC §2),
``draw.json`` (the record), ``inputs/`` (byte copies of the plan and each
registry, with ``inputs/index.json`` naming them by role), the papers, and
``manifest.json`` (``{"files": {relative path: sha256}}``, every file but
itself).  Nothing in a round holds wall-clock time, so the same inputs and
public random values give the same bytes on any machine (第十七条: the round
folder is the archive of the check).

Writing is atomic: a round is built in ``<rounds>/.<plan_id>.tmp-<pid>`` and
renamed into place; a draw after a commit swaps the whole folder (old folder
renamed aside, new one renamed in, old removed; an interrupted swap is
repaired by the next command).  ``<rounds>/.<plan_id>.lock`` (``fcntl.flock``,
released when the process dies) serialises commands on one round.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import unicodedata
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from . import __version__
from .draw import SNAPSHOT_FILES, commitment as compute_commitment, dumps, run_draw, sha256_hex
from .errors import InputError, Problem, ShuijieError, VerifyError
from .models import Workspace
from .snapshot import Snapshot, build_snapshot, read_snapshot

COMMITMENT = "commitment.json"
RECORD = "draw.json"
MANIFEST = "manifest.json"
VOID = "void.json"
INDEX = "inputs/index.json"
PROTECTED = (COMMITMENT, RECORD, MANIFEST)
PROTECTED_DIRS = ("snapshot", "inputs")


def _json_bytes(doc: Any, sort_keys: bool = False) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n").encode("utf-8")


def _u8(s: str) -> bytes:
    return s.encode("utf-8")


def check_plan_id(plan_id: str) -> None:
    bad = (not plan_id or plan_id.startswith(".") or any(c in plan_id for c in "/\\\0")
           or any(unicodedata.category(c) == "Cc" for c in plan_id) or len(plan_id.encode()) > 150)
    if bad:
        raise InputError(Problem("plan_id_unsafe", {"plan_id": plan_id}, None, None, "id"))


def _fault_pause(stage: str) -> None:
    """Test hook: ``SHUIJIE_FAULT_PAUSE=stage:seconds`` sleeps at ``stage`` (used by the kill test)."""
    spec = os.environ.get("SHUIJIE_FAULT_PAUSE", "")
    if spec.partition(":")[0] == stage:
        sys.stderr.write(f"shuijie-fault-pause {stage}\n")
        sys.stderr.flush()
        time.sleep(float(spec.partition(":")[2] or "5"))


# ---------------------------------------------------------------- lock and atomic folders


@contextmanager
def round_lock(rounds_dir: Path, plan_id: str) -> Iterator[None]:
    """Exclusive lock on one round; repairs what a killed command left behind.

    A disk error inside (full disk, read-only or missing folder) becomes an
    InputError naming the round folder; the command's own cleanup has run by then.
    """
    try:
        rounds_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(rounds_dir / f".{plan_id}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _os_problem(exc, rounds_dir) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(Problem("round_busy", {"plan_id": plan_id})) from None
        _repair(rounds_dir, plan_id)
        yield
    except OSError as exc:
        raise _os_problem(exc, rounds_dir / plan_id) from exc
    finally:
        os.close(fd)


def _os_problem(exc: OSError, where: Path) -> InputError:
    return InputError(Problem("os_error", {"path": str(where), "error": exc.strerror or str(exc)}, str(where)))


def _repair(rounds_dir: Path, plan_id: str) -> None:
    """Under the lock: drop temp folders of dead runs; finish or undo an interrupted swap."""
    target = rounds_dir / plan_id
    for p in sorted(rounds_dir.iterdir(), key=lambda p: _u8(p.name)):
        if p.name.startswith(f".{plan_id}.tmp-"):
            shutil.rmtree(p, ignore_errors=True)
        elif p.name.startswith(f".{plan_id}.old-"):
            if target.exists():
                shutil.rmtree(p, ignore_errors=True)
            else:
                os.rename(p, target)
    if target.is_dir():
        _finish_pending(target)


def _write_tree(root: Path, files: dict[str, bytes | Path]) -> None:
    """Write each file; a ``Path`` value is copied from that file (a provincial objects
    registry is copied, not read whole into memory)."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, Path):
            shutil.copyfile(data, path)
        else:
            path.write_bytes(data)


def list_files(root: Path) -> list[str]:
    """Every file under ``root`` as a relative POSIX path, sorted by UTF-8 bytes."""
    out = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    return sorted(out, key=_u8)


def manifest_bytes(root: Path, added: list[str] | None = None) -> bytes:
    files = {rel: hashlib.sha256((root / rel).read_bytes()).hexdigest()
             for rel in list_files(root) if rel != MANIFEST}
    doc: dict[str, Any] = {"files": files}
    if added:
        doc["added"] = sorted(set(added), key=_u8)
    return _json_bytes(doc, sort_keys=True)


def _install(tmp: Path, target: Path) -> None:
    """Rename the finished ``tmp`` folder to ``target``, swapping out an existing one."""
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.rename(target, old)
        os.rename(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(tmp, target)


def _fresh_tmp(rounds_dir: Path, plan_id: str) -> Path:
    tmp = rounds_dir / f".{plan_id}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    return tmp


# ---------------------------------------------------------------- state of a round


def round_state(rd: Path) -> str:
    """``none``, ``committed``, ``drawn``, ``void`` or ``other`` (a folder that is not a round)."""
    if not rd.exists():
        return "none"
    if not rd.is_dir():
        return "other"
    if (rd / VOID).exists():
        return "void"
    if (rd / RECORD).exists():
        return "drawn"
    if (rd / COMMITMENT).exists():
        return "committed"
    return "other"


def is_void(round_dir: Path) -> bool:
    """Whether the round was retired with ``shuijie void`` (its files stay)."""
    return (Path(round_dir) / VOID).is_file()


def _refuse_existing(rd: Path, state: str, plan_id: str, allow_committed: bool) -> None:
    if state == "drawn":
        raise InputError(Problem("round_drawn", {"plan_id": plan_id, "path": str(rd)}))
    if state == "void":
        raise InputError(Problem("round_voided", {"plan_id": plan_id, "path": str(rd)}))
    if state == "other":
        raise InputError(Problem("round_exists_other", {"path": str(rd)}))
    if state == "committed" and not allow_committed:
        raise AssertionError("unreachable")


def _inputs_files(ws: Workspace) -> dict[str, bytes | Path]:
    """``inputs/``: a byte copy of each file the workspace was loaded from, plus index.json
    (values are the source paths, copied by :func:`_write_tree`)."""
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
    files[INDEX] = _json_bytes(index, sort_keys=True)
    # What the papers and results read besides the registries: the clerk's edited letter /
    # Annex 2 templates and the workspace's outcome list.  Kept beside the plan copy, where
    # the same lookups find them again at draw time, in verify, results and publish.
    from .papers import template_files
    from .results.outcomes import OUTCOMES_FILE, find_outcomes_file

    for name, path in sorted(template_files(ws).items()):
        files[f"inputs/templates/{name}"] = Path(path)
    outcomes = find_outcomes_file(ws)
    if outcomes is not None:
        files[f"inputs/{OUTCOMES_FILE}"] = Path(outcomes)
    return files


def load_inputs(round_dir: Path) -> Workspace:
    """The workspace as kept in ``<round>/inputs/`` (plan + every registry, by role)."""
    from .registries import load_workspace

    inputs = Path(round_dir) / "inputs"
    index = json.loads((inputs / "index.json").read_text("utf-8"))
    overrides = {role: inputs / name for role, name in index.items() if role != "plan"}
    return load_workspace(inputs / index["plan"], overrides=overrides)


def _as_inputs(ws: Workspace, round_dir: Path) -> Workspace:
    """``ws`` as if reloaded from ``<round>/inputs/`` (byte copies of the same files): the same
    records, the paths of the copies.  Saves loading a provincial registry twice at draw time
    (1M objects: ~40 s and ~1.6 GB); verify still reloads inputs/ and must get the same papers."""
    import dataclasses

    inputs = Path(round_dir) / "inputs"
    index = json.loads((inputs / "index.json").read_text("utf-8"))
    return dataclasses.replace(ws, plan_path=inputs / index["plan"],
                               files={role: inputs / name for role, name in index.items()})


def load_round(round_dir: Path) -> tuple[dict[str, Any], Workspace]:
    """``(record, ws)``: draw.json and the workspace reloaded from inputs/ (contract for later steps)."""
    round_dir = Path(round_dir)
    if not (round_dir / RECORD).is_file():
        raise InputError(Problem("not_a_round", {"path": str(round_dir), "missing": RECORD}))
    record = json.loads((round_dir / RECORD).read_text("utf-8"))
    return record, load_inputs(round_dir)


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
def _plan_round(plan_path: Path) -> Iterator[tuple[Workspace, Path, str | None]]:
    """Load the plan's workspace and hold its round's lock; a round already drawn or void is
    refused.  Yields ``(ws, round_dir, state)``, state ``"none"`` or ``"committed"``."""
    from .registries import load_workspace

    ws = load_workspace(Path(plan_path))
    plan_id = ws.plan.id
    check_plan_id(plan_id)
    rd = ws.rounds_dir / plan_id
    with round_lock(ws.rounds_dir, plan_id):
        state = round_state(rd)
        _refuse_existing(rd, state, plan_id, allow_committed=True)
        yield ws, rd, state


@contextmanager
def _staged(rd: Path) -> Iterator[Path]:
    """A fresh temporary folder beside the round; renamed into place when the block ends,
    removed when it raises (or the process is killed: the next command cleans it up)."""
    tmp = _fresh_tmp(rd.parent, rd.name)
    try:
        yield tmp
        (tmp / MANIFEST).write_bytes(manifest_bytes(tmp))
        _install(tmp, rd)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def commit(plan_path: Path) -> dict[str, Any]:
    """``shuijie commit``: freeze the snapshot, write commitment.json + snapshot/ + inputs/."""
    with _plan_round(plan_path) as (ws, rd, state):
        if state == "committed":
            old = json.loads((rd / COMMITMENT).read_text("utf-8"))
            snap = build_snapshot(ws, old.get("cooldown_excluded", []))
            doc = _commitment_doc(ws, snap)
            if doc["commitment"] != old.get("commitment"):
                raise InputError(_changed_problem(old, snap))
            return _commit_result(rd, doc, snap, already=True)
        snap = build_snapshot(ws)
        _require_population(snap)
        doc = _commitment_doc(ws, snap)
        with _staged(rd) as tmp:
            _write_tree(tmp, {COMMITMENT: _json_bytes(doc), **_snapshot_files(snap), **_inputs_files(ws)})
            from .papers.web import write_commit_page

            write_commit_page(tmp, ws.plan)  # 网页/承诺公告.html
    return _commit_result(rd, doc, snap, already=False)


def _commit_result(rd: Path, doc: dict[str, Any], snap: Snapshot, already: bool) -> dict[str, Any]:
    return {"round_dir": str(rd), "plan_id": doc["plan_id"], "commitment": doc["commitment"],
            "snapshot_sha256": doc["snapshot_sha256"], "public_random_source": doc["public_random_source"],
            "counts": snap.counts, "already_committed": already}


def _changed_problem(old: dict[str, Any], snap: Snapshot) -> Problem:
    old_hashes = old.get("snapshot_sha256", {})
    changed = [n for n in SNAPSHOT_FILES if old_hashes.get(n) != sha256_hex(snap.files[n])]
    return Problem("commit_changed", {"files": "、".join(changed) or "snapshot",
                                      "commitment": old.get("commitment")}, "commitment.json")


# ---------------------------------------------------------------- draw


def draw(plan_path: Path, randoms: list[str], progress: bool = False) -> dict[str, Any]:
    """``shuijie draw``: the whole round (commitment, snapshot, inputs, record, papers, manifest)."""
    if not randoms:
        raise InputError(Problem("random_required", {}, None, None, "--random"))
    for n, r in enumerate(randoms, start=1):
        if not r.strip():
            raise InputError(Problem("random_blank", {"n": n}, None, None, "--random"))
    with _plan_round(plan_path) as (ws, rd, state):
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
            commitment_bytes = _json_bytes(_commitment_doc(ws, snap))

        record = run_draw(snap.files, list(randoms))  # InfeasibleError: nothing written yet
        record["unmatched"] = snap.unmatched
        record["cooldown_excluded"] = snap.cooldown_excluded
        record["committed_separately"] = committed_separately
        record["tool_version"] = __version__

        with _staged(rd) as tmp:
            _write_tree(tmp, {COMMITMENT: commitment_bytes, **_snapshot_files(snap), **_inputs_files(ws),
                              RECORD: dumps(record)})
            papers = _write_papers(tmp, _as_inputs(ws, tmp), record, progress)
            _fault_pause("papers")
    return {"round_dir": str(rd), "record": record, "papers": papers, "ws": ws}


def _write_papers(dest: Path, ws: Workspace, record: dict[str, Any], progress: bool) -> list[str]:
    from .papers import write_papers
    from .papers.web import write_draw_pages

    paths = write_papers(dest, ws, record, progress=progress) or []
    paths += write_draw_pages(dest, ws, record)  # 网页/: reads commitment.json and snapshot/ in dest
    out = []
    for p in paths:
        p = Path(p)
        out.append((p.relative_to(dest) if p.is_absolute() else p).as_posix())
    return sorted(set(out), key=_u8)


# ---------------------------------------------------------------- later files, void


def _check_rel(rel: str) -> str:
    pp = PurePosixPath(rel.replace("\\", "/"))
    bad = (not rel or pp.is_absolute() or any(part in ("", ".", "..") for part in pp.parts)
           or any(unicodedata.category(c) == "Cc" for c in rel)
           or pp.as_posix() in PROTECTED or pp.parts[0] in PROTECTED_DIRS)
    if bad:
        raise InputError(Problem("round_file_bad_path", {"path": rel}))
    return pp.as_posix()


PENDING = ".pending.json"


def add_files(round_dir: Path, files: dict[str, bytes]) -> None:
    """Write later files (results, publication, void.json) into a round and update its manifest.

    Crash-safe for several files at once: under the round lock, every new file
    and the new manifest.json are first written under temporary names; then
    ``.pending.json`` (the list of renames) is put in place atomically — the
    commit point — and the renames are done.  A command killed before the
    commit point leaves only temporary files, removed by the next command (old
    state); killed after it, the next command finishes the renames (new state).
    The core files of the draw (commitment.json, draw.json, snapshot/, inputs/)
    can never be replaced.
    """
    rd = Path(round_dir).resolve()
    with round_lock(rd.parent, rd.name):
        if not (rd / MANIFEST).is_file():
            raise InputError(Problem("not_a_round", {"path": str(rd), "missing": MANIFEST}))
        old = json.loads((rd / MANIFEST).read_text("utf-8"))
        listed: dict[str, str] = dict(old.get("files", {}))
        added = list(old.get("added", []))
        pid = os.getpid()
        moves: list[tuple[str, str]] = []
        try:
            for rel, data in files.items():
                rel = _check_rel(rel)
                target = rd / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f".{target.name}.tmp-{pid}")
                tmp.write_bytes(data)
                moves.append((tmp.relative_to(rd).as_posix(), rel))
                listed[rel] = hashlib.sha256(data).hexdigest()
                added.append(rel)
            doc: dict[str, Any] = {"files": listed, "added": sorted(set(added), key=_u8)}
            mtmp = rd / f".{MANIFEST}.tmp-{pid}"
            mtmp.write_bytes(_json_bytes(doc, sort_keys=True))
            moves.append((mtmp.name, MANIFEST))
            jtmp = rd / f".pending.tmp-{pid}"
            jtmp.write_bytes(_json_bytes({"moves": moves}))
            _fault_pause("add_files")
        except BaseException:
            _drop_temp_files(rd)
            raise
        os.replace(jtmp, rd / PENDING)  # the commit point: from here on, the new state
        _finish_pending(rd)


def _drop_temp_files(rd: Path) -> None:
    for stale in rd.rglob(".*.tmp-*"):
        if stale.is_file():
            stale.unlink()


def _finish_pending(rd: Path) -> None:
    """Under the lock: finish the renames of a committed add_files; drop uncommitted temp files."""
    journal = rd / PENDING
    if journal.is_file():
        for tmp, target in json.loads(journal.read_text("utf-8"))["moves"]:
            if (rd / tmp).exists():
                os.replace(rd / tmp, rd / target)
        journal.unlink()
    _drop_temp_files(rd)


def void(round_dir: Path, reason: str) -> dict[str, Any]:
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
    add_files(rd, {VOID: _json_bytes(doc)})
    return {"round_dir": str(rd), **doc}


# ---------------------------------------------------------------- verify


def verify(round_dir: Path) -> dict[str, Any]:
    """Recompute a round from its folder alone; raise VerifyError naming every file that differs."""
    rd = Path(round_dir)
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

    # 1. manifest: every hash, nothing missing, nothing unlisted
    try:
        manifest = json.loads((rd / MANIFEST).read_text("utf-8"))
        listed: dict[str, str] = dict(manifest["files"])
        added = set(manifest.get("added", []))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        bad("verify_manifest_bad", MANIFEST, error=str(exc))
        listed, added = {}, set()
    on_disk = [f for f in list_files(rd) if f != MANIFEST]
    for rel in sorted(listed, key=_u8):
        path = rd / rel
        if not path.is_file():
            bad("verify_missing", rel)
        elif hashlib.sha256(path.read_bytes()).hexdigest() != listed[rel]:
            bad("verify_hash", rel)
    if listed:
        for rel in on_disk:
            if rel not in listed:
                bad("verify_unlisted", rel)

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

    # 5. papers regenerated from inputs/ + draw.json
    papers: list[str] = []
    if ws is not None and record is not None:
        with tempfile.TemporaryDirectory(prefix="shuijie-verify-") as t:
            tmp = Path(t)
            _write_tree(tmp, {rel: (rd / rel).read_bytes() for rel in on_disk
                              if rel in (COMMITMENT, RECORD) or rel.split("/")[0] in PROTECTED_DIRS})
            try:
                papers = _write_papers(tmp, ws, record, progress=False)
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

    if problems:
        raise VerifyError(problems)
    return {"round_dir": str(rd), "files": len(on_disk) + 1, "papers": papers,
            "commitment": computed, "seed": (record or {}).get("seed"),
            "drawn": record is not None, "void": (rd / VOID).exists()}
