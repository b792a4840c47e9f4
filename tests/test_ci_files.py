"""The CI files stay in step with the README: .ci/run and the GitHub workflow run exactly
the README's test command, and the shell scripts parse."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import yaml
from conftest import REPO


def readme_test_command() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    m = re.search(r"Run the whole test suite.*?```bash\n(.+?)\n```", text, re.DOTALL)
    assert m, "README: no 'Run the whole test suite' command block"
    return m.group(1).strip()


def test_ci_run_runs_exactly_the_readme_test_command():
    lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_test_command() in lines
    assert ".ci/install-clients" in lines
    assert lines.index(".ci/install-clients") < lines.index(readme_test_command())


def test_workflow_runs_the_readme_test_command_on_linux_and_windows():
    wf = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    job = wf["jobs"]["test"]
    assert set(job["strategy"]["matrix"]["os"]) == {"ubuntu-latest", "windows-latest"}
    runs = [s.get("run", "").strip() for s in job["steps"]]
    assert readme_test_command() in runs
    assert ".ci/install-clients" in runs


@pytest.mark.skipif(shutil.which("bash") is None or os.name == "nt", reason="needs bash (POSIX)")
@pytest.mark.parametrize("script", ["run", "install-clients"])
def test_ci_scripts_parse_and_are_executable(script):
    path = REPO / ".ci" / script
    assert os.access(path, os.X_OK), f"{path} is not executable"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n") and "set -euo pipefail" in text
    subprocess.run(["bash", "-n", str(path)], check=True)
