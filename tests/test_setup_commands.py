"""The two set-up commands do what the README promises (checked with ``make -n``, nothing run)."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _dry_run(target: str) -> str:
    return subprocess.run(
        ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def test_make_lab_creates_the_venv_and_binds_jupyterlab_to_loopback() -> None:
    commands = _dry_run("lab")
    assert "-m venv .venv" in commands
    assert "pip install --quiet -e '.[lab]'" in commands
    assert "jupyter lab --ip=127.0.0.1 --notebook-dir=notebooks" in commands
    assert "default_url=/lab/tree/00-overview.ipynb" in commands


def test_make_test_runs_unit_tests_and_every_notebook_under_strict_nbval() -> None:
    commands = _dry_run("test")
    assert "pip install --quiet -e '.[test]'" in commands
    line = next(line for line in commands.splitlines() if "-m pytest" in line)
    assert "--nbval " in line and "--nbval-lax" not in line
    assert "--nbval-sanitize-with tests/nbval_sanitize.cfg" in line
    assert line.rstrip().endswith("tests notebooks")


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme


def test_environment_yml_lists_nothing_pyproject_does_not() -> None:
    text = (ROOT / "environment.yml").read_text()
    deps = [line.strip()[2:] for line in text.splitlines() if line.strip().startswith("- ")]
    assert deps == ["conda-forge", "python=3.11", "pip", "pip:", "-e .[test]"]
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert "test" in extras and "presignlab[lab]" in extras["test"]
