"""``presignlab serve`` stops cleanly on Ctrl-C even when started with SIGINT ignored.

A shell starts a background job (``cmd &``, or ``make test`` under ``trap '' INT``) with SIGINT
ignored, and Python installs its KeyboardInterrupt handler only when SIGINT is at its default,
so ``serve`` must restore the handler itself, before it prints anything.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

SERVE = "import sys; from presignlab.cli import main; sys.exit(main(sys.argv[1:]))"
# Run the rest of the command line with SIGINT ignored (as a shell's background job would) or at
# its default, whatever the disposition this test process inherited.
WITH_SIGINT = (
    "import os, signal, sys; "
    "signal.signal(signal.SIGINT, signal.SIG_IGN if sys.argv[1] == 'ignored' else signal.SIG_DFL); "
    "os.execv(sys.executable, [sys.executable, *sys.argv[2:]])"
)
# serve, with a real SIGINT delivered to itself right after the banner's first line.
CTRL_C_DURING_BANNER = """
import os, signal, sys
import presignlab.cli.serve as cli_serve
from presignlab.cli import main

def print_then_interrupt(*args, **kwargs):
    print(*args, **kwargs)
    if str(args[0]).startswith("S3 endpoint:"):
        os.kill(os.getpid(), signal.SIGINT)

cli_serve.print = print_then_interrupt
sys.exit(main(sys.argv[1:]))
"""


def _start(code: str, *args: str, ignore_sigint: bool = True) -> subprocess.Popen[str]:
    sigint = "ignored" if ignore_sigint else "default"
    return subprocess.Popen(
        [sys.executable, "-c", WITH_SIGINT, sigint, "-c", code, "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _finish(process: subprocess.Popen[str]) -> tuple[str, str]:
    try:
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return out, err


def test_ctrl_c_stops_serve_started_with_sigint_ignored() -> None:
    process = _start(SERVE)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("S3 endpoint: http://127.0.0.1:")
        process.send_signal(signal.SIGINT)
    finally:
        out, err = _finish(process)
    assert (process.returncode, err) == (0, "")
    assert out.rstrip().endswith("Stopped.")


@pytest.mark.parametrize("ignored", [True, False], ids=["sigint-ignored", "sigint-default"])
def test_ctrl_c_during_the_banner_stops_cleanly_without_a_traceback(ignored: bool) -> None:
    process = _start(CTRL_C_DURING_BANNER, ignore_sigint=ignored)
    out, err = _finish(process)
    assert err == "", err  # no "Traceback (most recent call last)", no KeyboardInterrupt
    assert process.returncode == 0
    lines = out.splitlines()
    assert lines[0].startswith("S3 endpoint: http://127.0.0.1:")
    assert "Press Ctrl-C to stop." not in lines  # interrupted before the banner's end
    assert lines[-1] == "Stopped."


def test_ctrl_c_during_the_banner_of_the_s3_alone() -> None:
    process = _start(CTRL_C_DURING_BANNER, "--s3-only")
    out, err = _finish(process)
    assert (process.returncode, err) == (0, "")
    assert out.splitlines()[-1] == "Stopped." and "Press Ctrl-C to stop." not in out
