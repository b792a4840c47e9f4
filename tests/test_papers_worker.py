"""The papers worker (shuijie.papers.worker) is a speed trick that changes no byte.

write_papers is run three ways on the example round — worker forced on (a forked child
writes the workbooks), forced off, and forced on with ``os.fork`` removed as on Windows —
and every paper must come out byte-identical (第十九条: the papers of a round are kept and
``verify`` recomputes them, so they must not depend on how they were written).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shuijie.core.draw import run_draw
from shuijie.core.snapshot import build_snapshot
from shuijie.papers import worker, write_papers
from shuijie.registries.check import load_workspace


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def drawn(workspace: Path):
    ws = load_workspace(next((workspace / "plans").glob("*.yaml")))
    snap = build_snapshot(ws)
    record = run_draw(snap.files, ["3", "1", "4"])
    record.update(unmatched=snap.unmatched, cooldown_excluded=snap.cooldown_excluded)
    return ws, record


def test_same_bytes_with_and_without_the_worker_and_without_fork(drawn, tmp_path, monkeypatch):
    ws, record = drawn
    if not worker.can_fork():
        pytest.skip("this machine cannot fork (or has one core): the forced-on run would be serial")
    forks = []
    real_fork = os.fork

    def counting_fork():
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", counting_fork)
    on = write_papers(tmp_path / "on", ws, record, worker=True)
    assert forks == [1], "worker=True must write the workbooks in a forked child"
    off = write_papers(tmp_path / "off", ws, record, worker=False)
    assert forks == [1], "worker=False must not fork"
    monkeypatch.delattr(os, "fork")  # as on Windows
    assert not worker.can_fork()
    nofork = write_papers(tmp_path / "nofork", ws, record, worker=True)

    a, b, c = _tree(tmp_path / "on"), _tree(tmp_path / "off"), _tree(tmp_path / "nofork")
    assert any(n.endswith(".xlsx") for n in a) and any(n.endswith(".docx") for n in a)
    assert len(a) >= 8
    assert a == b == c
    assert sorted(p.relative_to(tmp_path / "on").as_posix() for p in on) == sorted(a)
    assert len(on) == len(off) == len(nofork)


def test_the_switch(monkeypatch):
    monkeypatch.delenv(worker.ENV, raising=False)
    assert worker.use_worker(None, worker.PARALLEL_FROM) is True
    assert worker.use_worker(None, worker.PARALLEL_FROM - 1) is False
    assert worker.use_worker(False, 10**6) is False
    monkeypatch.setenv(worker.ENV, "0")
    assert worker.use_worker(None, 10**6) is False
    assert worker.use_worker(True, 1) is True  # the parameter wins over the environment
    monkeypatch.setenv(worker.ENV, "1")
    assert worker.use_worker(None, 1) is True


def test_env_zero_keeps_a_large_round_in_one_process(drawn, tmp_path, monkeypatch):
    """SHUIJIE_PAPERS_WORKER=0 with the size threshold at 1: no fork happens."""
    ws, record = drawn
    monkeypatch.setattr(worker, "PARALLEL_FROM", 1)
    monkeypatch.setenv(worker.ENV, "0")
    calls = []
    monkeypatch.setattr(os, "fork", lambda: calls.append(1) or (_ for _ in ()).throw(AssertionError("forked")),
                        raising=False)
    write_papers(tmp_path / "p", ws, record)
    assert calls == []
    assert (tmp_path / "p" / "检查组安排.xlsx").is_file()


def test_annex2_forms_shared_from_both_ends_are_each_written_once(drawn, tmp_path):
    """With the worker, 附件2's .docx forms go to whichever side is free: each side claims a form
    by creating its file and stops at the first the other claimed.  Simulated here with the
    third form claimed by "the other side" first: the two ends write the rest, once each, and
    every form has the bytes of a plain run."""
    from shuijie.papers import annex2, context
    from shuijie.papers.engine import ANNEX2_TEMPLATE, load_template

    ws, record = drawn
    visits = context.build(ws, record)
    assert len(visits) >= 5
    tpl = load_template(ws.plan_path, ANNEX2_TEMPLATE)
    plain = annex2.write_annex2_docs(tmp_path / "plain", visits, tpl, None)
    folder = tmp_path / "shared" / annex2.ANNEX2_DIR
    folder.mkdir(parents=True)
    claimed = folder / plain[2].name
    claimed.write_bytes(plain[2].read_bytes())
    first = annex2.write_annex2_docs(tmp_path / "shared", visits, tpl, None, shared=1)
    last = annex2.write_annex2_docs(tmp_path / "shared", visits, tpl, None, shared=-1)
    assert [p.name for p in first] == [p.name for p in plain[:2]]
    assert [p.name for p in last] == [p.name for p in reversed(plain[3:])]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == {p.name: p.read_bytes() for p in plain}
