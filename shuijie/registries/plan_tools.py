"""The plan as a clerk meets it: its keys, its JSON Schema, its commented YAML, key labels.

* :func:`plan_keys` walks the :class:`~shuijie.core.models.Plan` model tree into dotted keys
  (``team.size``, ``strata.where`` …); ``docs/plan.md`` documents every one (a test walks it).
* :func:`plan_schema_text` is the plan's JSON Schema (``shuijie plan schema``; ``init`` writes it
  as ``plans/plan.schema.json``) with the Chinese descriptions of the model, so that an editor with
  YAML support completes and checks keys while the clerk types (第十条: the plan is written by hand
  every quarter).  Deterministic bytes.
* :func:`dump_plan_yaml` writes a plan with a Chinese comment above every key.
* :func:`plan_key_label` names strata and items by their names in messages
  (``strata「高风险」.ratio``), never by position.

Nothing here reads a workspace; :mod:`shuijie.stages.plan_new` builds plans from one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import types
import typing
from typing import Any

import yaml
from pydantic import BaseModel

from shuijie.core.models import Object, Plan

SCHEMA_FILE = "plan.schema.json"
SCHEMA_LINE = f"# yaml-language-server: $schema=./{SCHEMA_FILE}"
# fields of an object that ``population`` and ``strata.where`` may filter on
FILTER_FIELDS = tuple(n for n in Object.model_fields if n != "id")


# ---------------------------------------------------------------- the model tree


def _submodel(annotation: Any) -> type[BaseModel] | None:
    """The model class inside ``annotation`` (``Window``, ``list[Stratum]``, ``X | None``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _submodel(arg)
            if found is not None:
                return found
    return None


def plan_keys(model: type[BaseModel] = Plan, prefix: str = "") -> list[str]:
    """Every key of the plan, dotted (``team.size``; a list of records: ``strata.name``), in model order."""
    out: list[str] = []
    for name, f in model.model_fields.items():
        key = f"{prefix}{name}"
        out.append(key)
        sub = _submodel(f.annotation)
        if sub is not None:
            out.extend(plan_keys(sub, key + "."))
    return out


def resolve_key(key: str) -> tuple[Any, bool] | None:
    """``(FieldInfo, inside)`` of a dotted key, or None when the plan has no such key.

    A list of records takes an index or a name after it (``strata.0.ratio``, ``strata.高风险.ratio``);
    a mapping field takes any one key after it (``population.industry``: ``inside`` is True)."""
    model: type[BaseModel] | None = Plan
    info = None
    pending = ""
    inside = False
    for part in key.split("."):
        if pending == "list":
            pending = ""
            continue
        if pending == "dict":
            pending, inside = "done", True
            continue
        if pending == "done" or model is None or part not in model.model_fields:
            return None
        info = model.model_fields[part]
        sub = _submodel(info.annotation)
        origin = typing.get_origin(info.annotation)
        pending = "list" if origin is list and sub is not None else "dict" if origin is dict else ""
        model = sub
    return (info, inside) if info is not None else None


def plan_field(key: str) -> Any:
    """The pydantic FieldInfo of a dotted key (see :func:`resolve_key`), or None."""
    found = resolve_key(key)
    return found[0] if found else None


# ---------------------------------------------------------------- the JSON Schema


def _tidy(node: Any) -> Any:
    """Drop pydantic's English property titles (the Chinese description says it)."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "properties" and isinstance(v, dict):
                out[k] = {pk: {kk: _tidy(vv) for kk, vv in pv.items() if kk != "title"} for pk, pv in v.items()}
            else:
                out[k] = _tidy(v)
        return out
    if isinstance(node, list):
        return [_tidy(x) for x in node]
    return node


def _filter_map(desc: str, fields: tuple[str, ...]) -> dict[str, Any]:
    """``population`` / ``where``: an object field → one value or a list of values (the loader takes both)."""
    return {
        "type": "object",
        "description": desc,
        "propertyNames": {"enum": list(fields)},
        "additionalProperties": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
    }


def plan_schema() -> dict[str, Any]:
    """The plan's JSON Schema (draft 2020-12) as a dict: the model's, adjusted to what the loader accepts."""
    schema = _tidy(Plan.model_json_schema())
    defs = schema["$defs"]
    props = schema["properties"]
    props["population"] = _filter_map(props["population"]["description"], FILTER_FIELDS)
    where = defs["Stratum"]["properties"]["where"]
    defs["Stratum"]["properties"]["where"] = _filter_map(where["description"], FILTER_FIELDS)
    ratio = defs["Stratum"]["properties"]["ratio"]
    ratio["anyOf"] = [{"type": "string", "pattern": r"^\s*(0(\.\d+)?|1(\.0+)?|\.\d+)\s*$"},
                      {"type": "number", "exclusiveMinimum": 0, "maximum": 1}, {"type": "null"}]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def plan_schema_text() -> str:
    """The schema as the file ``plans/plan.schema.json`` holds it: same model → same bytes."""
    return json.dumps(plan_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# ---------------------------------------------------------------- labels in messages

_INDEX = re.compile(r"^\d+$")


def plan_key_label(plan: Any, key: str) -> str:
    """``strata.0.ratio`` → ``strata「高风险」.ratio``; ``items.2`` → ``items「AQ-02」``.

    ``plan`` is a :class:`Plan` or the raw mapping read from YAML (before validation);
    an element without a name is shown as ``（第n项）``, counted from 1 as the clerk counts.
    """
    node: Any = plan.model_dump() if isinstance(plan, BaseModel) else plan
    out: list[str] = []
    for part in key.split("."):
        if _INDEX.match(part) and isinstance(node, list):
            i = int(part)
            elem = node[i] if i < len(node) else None
            name = elem.get("name") if isinstance(elem, dict) else elem
            label = f"「{name}」" if isinstance(name, (str, int)) and str(name).strip() else f"（第{i + 1}项）"
            if out:
                out[-1] += label
            else:
                out.append(label)
            node = elem
            continue
        out.append(part)
        node = node.get(part) if isinstance(node, dict) else None
    return ".".join(out)


# ---------------------------------------------------------------- commented YAML


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # never write anchors: the loader refuses them
        return True


_Dumper.add_representer(type(None), lambda d, _: d.represent_scalar("tag:yaml.org,2002:null", ""))


def _dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1000)


def _emit(model: type[BaseModel], data: dict[str, Any], pad: str, lines: list[str]) -> None:
    keys = [k for k in model.model_fields if k in data] + [k for k in data if k not in model.model_fields]
    for key in keys:
        value = data[key]
        f = model.model_fields.get(key)
        if f is not None and f.description:
            lines.append(f"{pad}# {f.description}")
        sub = _submodel(f.annotation) if f is not None else None
        if sub is not None and isinstance(value, dict) and value:
            lines.append(f"{pad}{key}:")
            _emit(sub, value, pad + "  ", lines)
            continue
        for line in _dump({key: value}).splitlines():
            lines.append(pad + line)


def dump_plan_yaml(data: dict[str, Any], header: tuple[str, ...] = ()) -> str:
    """The plan ``data`` as YAML: the schema line, ``header`` comment lines, a comment above each key."""
    lines = [SCHEMA_LINE, *header]
    _emit(Plan, data, "", lines)
    return "\n".join(lines) + "\n"


def plan_data(plan: Plan) -> dict[str, Any]:
    """A validated plan back to the plain mapping a plan file holds (defaults left out, dates kept)."""
    return plan.model_dump(mode="python", exclude_unset=True)


def parse_value(text: str) -> Any:
    """A ``--set key=value`` value as YAML would read it: ``3`` → 3, ``2026-03-02`` → a date, ``[a, b]`` → a list."""
    try:
        value = yaml.safe_load(text) if text.strip() else ""
    except yaml.YAMLError:
        return text
    if isinstance(value, (dt.datetime,)):
        return text
    return "" if value is None else value
