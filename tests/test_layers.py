"""The package is a one-way graph of layers (docs/architecture.md).

Every ``import`` in ``shuijie/`` is read with :mod:`ast` — those inside functions
too — and resolved to the module it names.  The test fails on an import cycle
between modules and on any import from a layer above the importing module's own.
"""

from __future__ import annotations

import ast
from pathlib import Path

import shuijie

SRC = Path(shuijie.__file__).resolve().parent
# lowest first; a module may import only from its own layer or the ones before it
LAYERS = ("core", "registries", "store", "papers", "stages", "cli")


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The shuijie modules that ``name`` imports (at any depth of the file)."""
    is_pkg = path.name == "__init__.py"
    package = name if is_pkg else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = []
            for a in node.names:  # ``from pkg import submodule`` names the submodule
                sub = f"{mod}.{a.name}"
                targets.append(sub if sub in known else mod)
        else:
            continue
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t.startswith("shuijie") and t != name:
                out.add(t)
    return out


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {m: imports_of(m, p, known) for m, p in mods.items()}


def layer(mod: str) -> int | None:
    parts = mod.split(".")
    if len(parts) < 2:
        return None  # shuijie/__init__.py, __main__.py
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else None


def test_every_module_is_in_a_layer():
    loose = [m for m in modules() if layer(m) is None and m not in ("shuijie", "shuijie.__main__")]
    assert not loose, f"modules outside the layers {LAYERS}: {loose}"


def test_no_module_imports_from_a_layer_above():
    g = graph()
    upward = sorted(f"{m} -> {t}" for m, ts in g.items() for t in ts
                    if layer(m) is not None and layer(t) is not None and layer(t) > layer(m))
    assert not upward, "imports that run up the layers:\n" + "\n".join(upward)


def test_no_import_cycle():
    g = graph()
    # Tarjan's strongly connected components; any component of 2+ modules is a cycle
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


def test_the_checker_sees_a_cycle_and_an_upward_import(tmp_path):
    """The graph reader itself: a function-level import counts like any other."""
    pkg = tmp_path / "shuijie"
    (pkg / "core").mkdir(parents=True)
    (pkg / "papers").mkdir()
    for f in ("__init__.py", "core/__init__.py", "papers/__init__.py"):
        (pkg / f).write_text("")
    (pkg / "core" / "a.py").write_text("def f():\n    from shuijie.papers import b\n")
    (pkg / "papers" / "b.py").write_text("from ..core import a\n")
    known = {"shuijie", "shuijie.core", "shuijie.papers", "shuijie.core.a", "shuijie.papers.b"}
    assert imports_of("shuijie.core.a", pkg / "core" / "a.py", known) == {"shuijie.papers.b"}
    assert imports_of("shuijie.papers.b", pkg / "papers" / "b.py", known) == {"shuijie.core.a"}
    assert layer("shuijie.papers.b") > layer("shuijie.core.a")


def test_papers_never_import_the_later_stages():
    g = graph()
    bad = sorted(f"{m} -> {t}" for m, ts in g.items() if m.startswith("shuijie.papers")
                 for t in ts if t.startswith("shuijie.stages"))
    assert not bad, bad
