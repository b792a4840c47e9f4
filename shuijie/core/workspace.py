"""A plan with every registry it names, loaded and validated: what the stages after the
registries read (the snapshot, the draw's papers, results, publication)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shuijie.core.calendar import WorkCalendar
from shuijie.core.models import Expert, Inspector, Item, Plan
from shuijie.core.objects import ObjectTable


@dataclass
class Workspace:
    """A plan with every registry it names, loaded and validated."""

    plan: Plan
    plan_path: Path
    items: list[Item]
    objects: ObjectTable  # the objects registry as columns
    inspectors: list[Inspector]
    experts: list[Expert]
    calendar: WorkCalendar
    files: dict[str, Path] = field(default_factory=dict)  # role -> resolved path (plan, items, …)
    warnings: list[Any] = field(default_factory=list)  # Problems (warning=True) found by check
    lists: dict[str, list[str]] = field(default_factory=dict)  # registries/lists.yaml: field → allowed values
    settings: dict[str, Any] = field(default_factory=dict)  # registries/settings.yaml (leaders)

    @property
    def rounds_dir(self) -> Path:
        return (self.plan_path.parent / self.plan.rounds_dir).resolve()

    def item_map(self) -> dict[str, Item]:
        return {i.id: i for i in self.items}

    def inspector_map(self) -> dict[str, Inspector]:
        return {p.id: p for p in self.inspectors}

    def expert_map(self) -> dict[str, Expert]:
        return {e.id: e for e in self.experts}
