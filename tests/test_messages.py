"""The message catalogue: every problem code the code raises has a Chinese and an English
text, and both texts take the same parameters (so ``--lang en`` never prints a raw key)."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import shuijie
from shuijie.core import messages

SRC = Path(shuijie.__file__).parent


def _codes_used() -> dict[str, str]:
    """String literals passed as the code of ``Problem(...)`` or ``<problems>.add(...)``."""
    used: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            first = node.args[0]
            if name in ("Problem", "add") and isinstance(first, ast.Constant) and isinstance(first.value, str):
                if first.value.isidentifier() and first.value.islower():
                    used[first.value] = f"{path.relative_to(SRC)}:{node.lineno}"
    return used


def _fields(template: str) -> set[str]:
    """Parameter names; a per-language parameter (``kind_zh`` / ``kind_en``) counts as one."""
    names = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    return {n[:-3] if n.endswith(("_zh", "_en")) else n for n in names}


def test_every_code_raised_is_in_the_catalogue():
    used = _codes_used()
    assert len(used) > 50  # the scan found the codes (it cannot pass vacuously)
    missing = {code: where for code, where in used.items() if not messages.has(code)}
    assert missing == {}


def test_both_languages_take_the_same_parameters():
    for key in messages.all_keys():
        zh, en = messages._CATALOGUE[key]
        assert zh.strip() and en.strip(), key
        assert _fields(zh) == _fields(en), key
        assert messages.render(key, "zh") and messages.render(key, "en")


def test_unknown_key_does_not_crash():
    assert "no_such_key" in messages.render("no_such_key", "en", x=1)
