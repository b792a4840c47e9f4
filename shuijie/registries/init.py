"""``shuijie init``: copy the example workspace shipped in ``shuijie/example``.

Writes ``registries/`` (each registry once: Excel, or YAML with ``--yaml``; calendar.yaml,
lists.yaml), ``plans/`` (with
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


REGISTRY_STEMS = ("items", "objects", "inspectors", "experts")
REGISTRY_FORMS = (".xlsx", ".yaml")


def _chosen(p: Path, form: str) -> bool:
    """Whether ``p`` (an example file) belongs to the chosen form of the registries."""
    return not (p.stem in REGISTRY_STEMS and p.suffix in REGISTRY_FORMS and p.suffix != form)


def _plan_for(text: str, form: str) -> str:
    """The example plan pointing every registry at the chosen form."""
    for stem in REGISTRY_STEMS:
        for suffix in REGISTRY_FORMS:
            text = text.replace(f"../registries/{stem}{suffix}", f"../registries/{stem}{form}")
    return text


def init_workspace(directory: Path, *, force: bool = False, yaml: bool = False) -> list[Path]:
    """Write the example workspace.  Each registry is written once: as Excel (the form clerks
    edit; drop-downs made from ``registries/lists.yaml``), or as YAML with ``yaml``, and the
    plan reads exactly those files — no second copy that nobody reads."""
    directory = Path(directory)
    form = ".yaml" if yaml else ".xlsx"
    if directory.exists() and not directory.is_dir():
        raise InputError(Problem("init_not_dir", {"path": str(directory)}, str(directory)))
    if directory.exists() and any(directory.iterdir()) and not force:
        raise InputError(Problem("init_not_empty", {"path": str(directory)}, str(directory)))
    sources: list[tuple[Path, Path]] = []
    for sub in ("registries", "plans"):
        root = EXAMPLE / sub
        for p in sorted(root.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and _chosen(p, form):
                sources.append((p, directory / sub / p.relative_to(root)))
    if TEMPLATES.is_dir():
        for p in sorted(TEMPLATES.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".py":
                sources.append((p, directory / "templates" / p.relative_to(TEMPLATES)))
    written = []
    try:
        for src, dst in sources:
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.suffix == ".yaml" and src.parent.name == "plans":
                dst.write_text(_plan_for(src.read_text(encoding="utf-8"), form), encoding="utf-8")
            else:
                shutil.copyfile(src, dst)
            written.append(dst)
        schema = directory / "plans" / SCHEMA_FILE  # editors complete and check the plan's keys with it
        schema.write_bytes(plan_schema_text().encode("utf-8"))
        written.append(schema)
    except OSError as exc:
        raise InputError(Problem("no_space", {"path": str(directory), "error": exc.strerror or str(exc)},
                                 str(directory)))
    return written
