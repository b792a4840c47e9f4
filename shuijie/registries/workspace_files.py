"""The workspace's own declarations beside its registries (``registries/``):

* ``lists.yaml`` — the allowed values of 区域, 行业, 类型, 风险等级, 信用等级 (and 登记状态,
  执法门类 when wanted), written by ``init``; the Excel drop-downs are made from it.  A
  registry value outside its list, or a plan value (population, strata, 执法区域, 适用行业)
  outside it, is a problem that suggests the closest allowed values.
* ``columns.yaml`` — per registry, a header the tool does not know → its field.
* ``settings.yaml`` — ``leaders:`` who may lead a team (``all_qualified``, 职务, or ids)
  when the roster has no 可任组长 column (:mod:`shuijie.core.rules.qualification`).

Each is optional; when present it is part of the round's inputs (copied to ``inputs/``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shuijie.core.errors import InputError, Problem
from shuijie.core.models import Expert, Inspector, Item, Object, Recusal
from shuijie.core.text import fold_header
from shuijie.registries.yamlsafe import load_yaml

LISTS_FILE = "lists.yaml"
COLUMNS_FILE = "columns.yaml"
SETTINGS_FILE = "settings.yaml"
FILES = {"lists": LISTS_FILE, "columns": COLUMNS_FILE, "settings": SETTINGS_FILE}

# field → its name in lists.yaml (first) and the other names accepted there
LIST_FIELDS: dict[str, tuple[str, ...]] = {
    "area": ("区域", "area", "所属区域", "县区"),
    "industry": ("行业", "industry", "行业类别"),
    "kind": ("类型", "kind", "对象类型"),
    "risk": ("风险等级", "risk"),
    "credit": ("信用等级", "credit"),
    "status": ("登记状态", "status"),
    "scope": ("执法门类", "scope"),
}
_LIST_KEYS = {fold_header(n): f for f, names in LIST_FIELDS.items() for n in names}
ROLE_NAMES = {"objects": ("objects", "检查对象"), "inspectors": ("inspectors", "检查人员", "执法检查人员"),
              "experts": ("experts", "专家", "检查专家"), "items": ("items", "抽查事项"),
              "recusals": ("recusals", "回避")}
ROLE_MODELS = {"objects": Object, "inspectors": Inspector, "experts": Expert, "items": Item, "recusals": Recusal}
_ROLE_KEYS = {fold_header(n): r for r, names in ROLE_NAMES.items() for n in names}


def list_label(field: str) -> str:
    return LIST_FIELDS[field][0]


def _yaml(path: Path, shown: str) -> tuple[Any, list[Problem]]:
    try:
        return load_yaml(path, shown), []
    except InputError as exc:
        return None, list(exc.problems)


def _line(data: Any, key: Any) -> int | None:
    lines = getattr(data, "lines", None) or {}
    return lines.get(str(key), getattr(data, "line", None))


def load_lists(path: Path, shown: str) -> tuple[dict[str, list[str]], list[Problem]]:
    """``lists.yaml``: field → allowed values (in the file's order)."""
    data, probs = _yaml(path, shown)
    out: dict[str, list[str]] = {}
    if probs or data is None:
        return out, probs
    if not isinstance(data, dict):
        return out, [Problem("lists_invalid", {"path": shown, "detail": "不是「字段: 值列表」的映射"}, shown, 1)]
    for key, vals in data.items():
        field = _LIST_KEYS.get(fold_header(str(key)))
        if field is None:
            probs.append(Problem("lists_invalid", {"path": shown, "detail": f"未知的字段「{key}」"},
                                 shown, _line(data, key), str(key)))
            continue
        if vals is None:
            vals = []
        if not isinstance(vals, list) or any(isinstance(v, (list, dict)) for v in vals):
            probs.append(Problem("lists_invalid", {"path": shown, "detail": f"「{key}」的值应为列表"},
                                 shown, _line(data, key), str(key)))
            continue
        out[field] = [str(v).strip() for v in vals if v is not None and str(v).strip()]
    return out, probs


def load_columns(path: Path, shown: str) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """``columns.yaml``: role → folded header → field (a field named in English or by an accepted header)."""
    data, probs = _yaml(path, shown)
    out: dict[str, dict[str, str]] = {}
    if probs or data is None:
        return out, probs
    if not isinstance(data, dict):
        return out, [Problem("columns_file_invalid", {"path": shown, "detail": "不是映射"}, shown, 1)]
    for key, mapping in data.items():
        role = _ROLE_KEYS.get(fold_header(str(key)))
        if role is None or not isinstance(mapping, dict):
            probs.append(Problem("columns_file_invalid", {"path": shown, "detail": f"「{key}」"},
                                 shown, _line(data, key), str(key)))
            continue
        model: Any = ROLE_MODELS[role]
        names = {fold_header(n): n for n in model.model_fields if n != "recusals"}
        for f, aliases in model.HEADERS.items():
            for a in aliases:
                names.setdefault(fold_header(a), f)
        for header, target in mapping.items():
            field = names.get(fold_header(str(target)))
            if field is None:
                probs.append(Problem("columns_file_invalid",
                                     {"path": shown, "detail": f"「{target}」不是{key}的字段"},
                                     shown, _line(mapping, header), str(header)))
                continue
            out.setdefault(role, {})[fold_header(str(header))] = field
    return out, probs


def load_settings(path: Path, shown: str) -> tuple[dict[str, Any], list[Problem]]:
    """``settings.yaml``: ``leaders`` (``all_qualified`` or a list of 职务 / ids)."""
    data, probs = _yaml(path, shown)
    out: dict[str, Any] = {}
    if probs or data is None:
        return out, probs
    if not isinstance(data, dict):
        return out, [Problem("settings_invalid", {"path": shown, "detail": "不是映射"}, shown, 1)]
    for key, v in data.items():
        if str(key) != "leaders":
            probs.append(Problem("settings_invalid", {"path": shown, "detail": f"未知的设置「{key}」（可用：leaders）"},
                                 shown, _line(data, key), str(key)))
            continue
        if isinstance(v, str) and v.strip() == "all_qualified":
            out["leaders"] = "all_qualified"
        elif isinstance(v, list) and v and all(isinstance(x, (str, int)) and not isinstance(x, bool) for x in v):
            out["leaders"] = [str(x).strip() for x in v]
        elif isinstance(v, str) and v.strip():
            out["leaders"] = [v.strip()]
        else:
            probs.append(Problem("settings_invalid",
                                 {"path": shown, "detail": "leaders 应为 all_qualified、职务列表或人员编号列表"},
                                 shown, _line(data, key), "leaders"))
    return out, probs
