"""The gate every real-browser test passes first."""

from __future__ import annotations

import os

import pytest

from presignlab.lab.browser import browser_unavailable


def require_browser() -> None:
    """Skip (or, under CI, fail) when Debian's chromium or playwright is missing."""
    reason = browser_unavailable()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set, so the real-browser tests must run, but {reason}")
    pytest.skip(f"real-browser test skipped: {reason}")
