"""The round store: the lock, staging folders, the manifest, the journal of later files,
and reading a round back.  The steps that fill a round (commit, draw, verify, void) are
in :mod:`shuijie.stages`.

``<rounds>/<plan_id>/`` holds ``commitment.json``, ``snapshot/`` (DRAW-SPEC §2),
``draw.json`` (the record), ``inputs/`` (byte copies of the plan and each
registry, with ``inputs/index.json`` naming them by role), the papers, and
``manifest.json`` (``{"files": {relative path: sha256}}``, every file but
itself and the clerk's working copy ``结果录入表.xlsx``, see :data:`WORKING_COPIES`).  Nothing in a round holds wall-clock time, so the same inputs and
public random values give the same bytes on any machine (第十七条: the round
folder is the archive of the check).

Writing is atomic: a round is built in ``<rounds>/.<plan_id>.tmp-<pid>`` and
renamed into place; a draw after a commit swaps the whole folder (old folder
renamed aside, new one renamed in, old removed; an interrupted swap is
repaired by the next command — renaming a folder over an existing one fails on
Windows, so the swap never does that).  ``<rounds>/.<plan_id>.lock``
(:mod:`filelock`: ``flock`` on POSIX, ``msvcrt.locking`` on Windows, both
released by the OS when the process dies) serialises commands on one round;
a second command does not wait, it is refused with ``round_busy``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import sys
import time
import unicodedata
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

import filelock

from shuijie.core.errors import InputError, Problem
from shuijie.core.text import json_bytes, u8
from shuijie.core.workspace import Workspace
from shuijie.registries.check import load_workspace
from shuijie.registries.load import file_sha256

COMMITMENT = "commitment.json"
RECORD = "draw.json"
MANIFEST = "manifest.json"
VOID = "void.json"
INDEX = "inputs/index.json"
PROTECTED = (COMMITMENT, RECORD, MANIFEST)
PROTECTED_DIRS = ("snapshot", "inputs")

# The clerk's working copy of the results sheet (第十七条): filled where it lies, so it is
# not sealed by the manifest and verify does not look at it.  Its blank original,
# written with the same bytes at draw time, is sealed like every paper.
ENTRY_WORKING_COPY = "结果录入表.xlsx"
ENTRY_ORIGINAL = "原件/结果录入表（空白）.xlsx"
WORKING_COPIES = (ENTRY_WORKING_COPY,)


def is_unsealed(rel: str) -> bool:
    """A file of the round outside the manifest: the working copy, and the lock files
    Excel (``~$name``), WPS (``.~name``) and LibreOffice (``.~lock.name#``) keep beside
    a workbook while it is open."""
    name = PurePosixPath(rel).name
    return rel in WORKING_COPIES or name.startswith("~$") or name.startswith(".~")


def check_plan_id(plan_id: str) -> None:
    bad = (not plan_id or plan_id.startswith(".") or any(c in plan_id for c in "/\\\0")
           or any(unicodedata.category(c) == "Cc" for c in plan_id) or len(plan_id.encode()) > 150)
    if bad:
        raise InputError(Problem("plan_id_unsafe", {"plan_id": plan_id}, None, None, "id"))


def fault_pause(stage: str) -> None:
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
        lock = filelock.FileLock(rounds_dir / f".{plan_id}.lock", timeout=0, blocking=False, thread_local=False)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise InputError(Problem("round_busy", {"plan_id": plan_id})) from None
    except OSError as exc:
        raise _os_problem(exc, rounds_dir) from exc
    try:
        _repair(rounds_dir, plan_id)
        yield
    except OSError as exc:
        raise _os_problem(exc, rounds_dir / plan_id) from exc
    finally:
        lock.release()


def _os_problem(exc: OSError, where: Path) -> InputError:
    return InputError(Problem("os_error", {"path": str(where), "error": exc.strerror or str(exc)}, str(where)))


def _repair(rounds_dir: Path, plan_id: str) -> None:
    """Under the lock: drop temp folders of dead runs; finish or undo an interrupted swap."""
    target = rounds_dir / plan_id
    for p in sorted(rounds_dir.iterdir(), key=lambda p: u8(p.name)):
        if p.name.startswith(f".{plan_id}.tmp-"):
            shutil.rmtree(p, ignore_errors=True)
        elif p.name.startswith(f".{plan_id}.old-"):
            if target.exists():
                shutil.rmtree(p, ignore_errors=True)
            else:
                os.rename(p, target)
    if target.is_dir():
        finish_pending(target)


def write_tree(root: Path, files: dict[str, bytes | Path]) -> None:
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
    out: list[str] = []
    top = os.fspath(root)
    for folder, _dirs, names in os.walk(top):  # os.walk: a round's 20,000 papers listed in a tenth of rglob's time
        rel = os.path.relpath(folder, top).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        out.extend(prefix + name for name in names if os.path.isfile(os.path.join(folder, name)))
    return sorted(out, key=u8)


def sealed_files(root: Path) -> list[str]:
    """The files the manifest lists (every file but itself and :func:`is_unsealed` ones)."""
    return [rel for rel in list_files(root) if rel != MANIFEST and not is_unsealed(rel)]


def manifest_bytes(root: Path, added: list[str] | None = None) -> bytes:
    files = {rel: file_sha256(root / rel) for rel in sealed_files(root)}
    doc: dict[str, Any] = {"files": files}
    if added:
        doc["added"] = sorted(set(added), key=u8)
    return json_bytes(doc, sort_keys=True)


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


def refuse_existing(rd: Path, state: str, plan_id: str, allow_committed: bool) -> None:
    if state == "drawn":
        raise InputError(Problem("round_drawn", {"plan_id": plan_id, "path": str(rd)}))
    if state == "void":
        raise InputError(Problem("round_voided", {"plan_id": plan_id, "path": str(rd)}))
    if state == "other":
        raise InputError(Problem("round_exists_other", {"path": str(rd)}))
    if state == "committed" and not allow_committed:
        raise AssertionError("unreachable")


def load_inputs(round_dir: Path) -> Workspace:
    """The workspace as kept in ``<round>/inputs/`` (plan + every registry, by role)."""
    inputs = Path(round_dir) / "inputs"
    index = json.loads((inputs / "index.json").read_text("utf-8"))
    overrides = {role: inputs / name for role, name in index.items() if role != "plan"}
    return load_workspace(inputs / index["plan"], overrides=overrides)


def as_inputs(ws: Workspace, round_dir: Path) -> Workspace:
    """``ws`` as if reloaded from ``<round>/inputs/`` (byte copies of the same files): the same
    records, the paths of the copies.  Saves loading a provincial registry twice at draw time
    (1M objects: ~40 s and ~1.6 GB); verify still reloads inputs/ and must get the same papers."""
    inputs = Path(round_dir) / "inputs"
    index = json.loads((inputs / "index.json").read_text("utf-8"))
    files = {role: inputs / name for role, name in index.items()}
    objects = ws.objects.moved(files["objects"]) if "objects" in files else ws.objects
    return dataclasses.replace(ws, plan_path=inputs / index["plan"], files=files, objects=objects)


def load_round(round_dir: Path) -> tuple[dict[str, Any], Workspace]:
    """``(record, ws)``: draw.json and the workspace reloaded from inputs/ (contract for later steps)."""
    round_dir = Path(round_dir)
    if not (round_dir / RECORD).is_file():
        raise InputError(Problem("not_a_round", {"path": str(round_dir), "missing": RECORD}))
    record = json.loads((round_dir / RECORD).read_text("utf-8"))
    return record, load_inputs(round_dir)


@contextmanager
def staged(rd: Path) -> Iterator[Path]:
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
            doc: dict[str, Any] = {"files": listed, "added": sorted(set(added), key=u8)}
            mtmp = rd / f".{MANIFEST}.tmp-{pid}"
            mtmp.write_bytes(json_bytes(doc, sort_keys=True))
            moves.append((mtmp.name, MANIFEST))
            jtmp = rd / f".pending.tmp-{pid}"
            jtmp.write_bytes(json_bytes({"moves": moves}))
            fault_pause("add_files")
        except BaseException:
            _drop_temp_files(rd)
            raise
        os.replace(jtmp, rd / PENDING)  # the commit point: from here on, the new state
        finish_pending(rd)


def _drop_temp_files(rd: Path) -> None:
    for stale in rd.rglob(".*.tmp-*"):
        if stale.is_file():
            stale.unlink()


def finish_pending(rd: Path) -> None:
    """Under the lock: finish the renames of a committed add_files; drop uncommitted temp files."""
    journal = rd / PENDING
    if journal.is_file():
        for tmp, target in json.loads(journal.read_text("utf-8"))["moves"]:
            if (rd / tmp).exists():
                os.replace(rd / tmp, rd / target)
        journal.unlink()
    _drop_temp_files(rd)
