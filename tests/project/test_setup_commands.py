"""The two set-up commands do what the README promises.

Most checks read ``make -n`` (nothing run); one starts ``make lab`` for real on a free port and
reads the page it lands on.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
OVERVIEW = "/lab/tree/00-overview.ipynb"


def _dry_run(target: str) -> str:
    return subprocess.run(
        ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def test_make_lab_creates_the_venv_and_binds_jupyterlab_to_loopback() -> None:
    commands = _dry_run("lab")
    assert "-m venv .venv" in commands
    assert "pip install --quiet -e '.[lab]'" in commands
    assert "jupyter lab --ip=127.0.0.1 --port=8888 " in commands
    assert "--notebook-dir=notebooks" in commands
    # JupyterLab overrides ServerApp.default_url with its own /lab: only LabApp's is obeyed.
    assert "--LabApp.default_url=/lab/tree/00-overview.ipynb" in commands
    assert "ServerApp.default_url" not in commands


def test_make_lab_takes_the_port_and_refuses_to_pick_another() -> None:
    commands = subprocess.run(
        ["make", "-n", "-B", "lab", "PORT=8899"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--ip=127.0.0.1 --port=8899 --ServerApp.port_retries=0" in commands


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
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert "test" in extras and "presignlab[lab]" in extras["test"]


# -- make lab, for real -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _lab_env(tmp_path: Path, token: str) -> dict[str, str]:
    """Our own token, no browser, and Jupyter's config and runtime files in ``tmp_path``."""
    config = tmp_path / "jupyter-config"
    config.mkdir()
    (config / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"open_browser": False}})
    )
    return {
        **os.environ,
        "JUPYTER_TOKEN": token,
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
    }


def _require_installed_lab() -> None:
    """``make lab`` must not install anything here: its venv stamp must be up to date."""
    stamp = f"{os.environ.get('VENV', '.venv')}/.installed-lab"
    if subprocess.run(["make", "-q", stamp], cwd=ROOT, check=False).returncode != 0:
        reason = f"{stamp} is missing or older than pyproject.toml: run make {stamp} first"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make lab exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"make lab did not listen on {port} within 90 s:\n{log.read_text()[-3000:]}")


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to make and JupyterLab (their own process group), then wait until none is left."""
    group = process.pid
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(group, signal.SIGKILL)
        process.wait()
        pytest.fail("make lab did not stop within 30 s of SIGTERM")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.killpg(group, signal.SIGKILL)
    pytest.fail("JupyterLab outlived make lab by 30 s")


def _page_config(html: str) -> dict[str, object]:
    found = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.DOTALL
    )
    assert found, "the page has no JupyterLab page config"
    config: dict[str, object] = json.loads(found.group(1))
    return config


def test_make_lab_lands_on_00_overview(tmp_path: Path) -> None:
    _require_installed_lab()
    port, token = _free_port(), secrets.token_hex(16)
    log = tmp_path / "make-lab.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["make", "lab", f"PORT={port}"],
            cwd=ROOT,
            env=_lab_env(tmp_path, token),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for_port(port, process, log)
        root = f"http://127.0.0.1:{port}/"
        first = requests.get(root, params={"token": token}, allow_redirects=False, timeout=30)
        assert first.status_code == 302
        assert urlsplit(first.headers["Location"]).path == OVERVIEW
        page = requests.get(root, params={"token": token}, timeout=30)
        assert page.status_code == 200 and urlsplit(page.url).path == OVERVIEW
        config = _page_config(page.text)
        assert config["appName"] == "JupyterLab" and config["treePath"] == "00-overview.ipynb"
        assert requests.get(f"{root}api/contents/00-overview.ipynb", params={"token": token},
                            timeout=30).json()["type"] == "notebook"  # fmt: skip
    finally:
        _stop_group(process)
    printed = log.read_text()
    assert f"http://127.0.0.1:{port}{OVERVIEW}?token=" in printed
    assert token not in printed
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_make_lab_fails_clearly_when_its_port_is_taken(tmp_path: Path) -> None:
    _require_installed_lab()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            ["make", "lab", f"PORT={port}"],
            check=False,
            cwd=ROOT,
            env=_lab_env(tmp_path, secrets.token_hex(16)),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            start_new_session=True,
        )
    assert result.returncode != 0
    assert f"port {port} is not available" in result.stderr
