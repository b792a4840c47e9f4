"""``shuijie init``: copy the example workspace shipped in ``shuijie/example``.

Writes ``registries/`` (YAML and Excel forms, calendar.yaml), ``plans/`` (with
``plan.schema.json``, the plan's JSON Schema) and
``templates/`` (the .docx letter templates of ``shuijie/templates`` when that
folder exists).  A non-empty target folder is refused unless ``--force``; with
``--force`` existing files are never deleted, only the example files are
(over)written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from shuijie.core.errors import InputError, Problem
from shuijie.registries.plan_tools import SCHEMA_FILE, plan_schema_text

PACKAGE = Path(__file__).resolve().parent.parent
EXAMPLE = PACKAGE / "example"
TEMPLATES = PACKAGE / "templates"


def init_workspace(directory: Path, *, force: bool = False) -> list[Path]:
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise InputError(Problem("init_not_dir", {"path": str(directory)}, str(directory)))
    if directory.exists() and any(directory.iterdir()) and not force:
        raise InputError(Problem("init_not_empty", {"path": str(directory)}, str(directory)))
    sources: list[tuple[Path, Path]] = []
    for sub in ("registries", "plans"):
        root = EXAMPLE / sub
        for p in sorted(root.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                sources.append((p, directory / sub / p.relative_to(root)))
    if TEMPLATES.is_dir():
        for p in sorted(TEMPLATES.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".py":
                sources.append((p, directory / "templates" / p.relative_to(TEMPLATES)))
    written = []
    try:
        for src, dst in sources:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
            written.append(dst)
        schema = directory / "plans" / SCHEMA_FILE  # editors complete and check the plan's keys with it
        schema.write_bytes(plan_schema_text().encode("utf-8"))
        written.append(schema)
    except OSError as exc:
        raise InputError(Problem("no_space", {"path": str(directory), "error": exc.strerror or str(exc)},
                                 str(directory)))
    return written
