"""Headless Chromium for the real-browser tests and the notebook's screenshot.

The browser is Debian's ``chromium`` package (``/usr/bin/chromium``, or the path in
``PRESIGNLAB_CHROMIUM``), driven by playwright from PyPI through its executable path: never a
browser that playwright downloads. It runs headless with a fresh profile and no background
networking. Neither playwright nor chromium is a dependency of the kit: when one is missing,
:func:`browser_unavailable` says which and how to install it, and :func:`screenshot` returns a
:class:`Screenshot` without an image instead of raising.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "CHROMIUM_ARGS",
    "CHROMIUM_ENV",
    "DEFAULT_CHROMIUM",
    "Screenshot",
    "browser_unavailable",
    "chromium_path",
    "launch_chromium",
    "screenshot",
    "upload_with_page",
]

CHROMIUM_ENV = "PRESIGNLAB_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
)
#: The browser window, in CSS pixels.
VIEWPORT_WIDTH, VIEWPORT_HEIGHT = 900, 860


def chromium_path() -> str:
    """The Chromium executable to drive: ``$PRESIGNLAB_CHROMIUM`` or ``/usr/bin/chromium``."""
    return os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM


def browser_unavailable() -> str | None:
    """Why no browser can be driven here (a sentence with the fix), or None when one can."""
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (pip install playwright; no browser download needed)"
    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)) and shutil.which(path) is None:
        return f"no Chromium at {path} (Debian: apt-get install chromium; or set {CHROMIUM_ENV})"
    return None


@contextmanager
def launch_chromium(*, har_path: str | Path | None = None) -> Iterator[Any]:
    """A headless Chromium browser context with a fresh profile (playwright's BrowserContext).

    With ``har_path``, every request of the context is recorded there as a HAR file (bodies
    embedded), as DevTools' "Save all as HAR" would; the file is written when the block ends.
    """
    reason = browser_unavailable()
    if reason is not None:
        raise RuntimeError(f"Cannot start a browser: {reason}")
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory(prefix="presignlab-chromium-") as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=chromium_path(),
            headless=True,
            args=list(CHROMIUM_ARGS),
            viewport={"width": VIEWPORT_WIDTH, "height": VIEWPORT_HEIGHT},
            record_har_path=har_path,
            record_har_content="embed" if har_path else None,
        )
        try:
            yield context
        finally:
            context.close()


@dataclass(frozen=True)
class Screenshot:
    """A PNG of a page, or the reason there is none; displays itself in a notebook."""

    png: bytes | None = field(repr=False)
    reason: str | None = None

    def __repr__(self) -> str:
        if self.png is None:
            return f"No screenshot: {self.reason}"
        return f"Screenshot ({len(self.png)} bytes of PNG)"

    def _repr_png_(self) -> bytes | None:
        return self.png


def upload_with_page(page: Any, url: str, name: str, data: bytes, content_type: str) -> None:
    """Open the upload page at ``url``, choose a file, get a URL, upload, and wait for a result."""
    page.goto(url)
    page.set_input_files("#file", files=[{"name": name, "mimeType": content_type, "buffer": data}])
    page.click("#get-url")
    page.wait_for_selector("#grant:not([hidden])")
    page.click("#upload")
    page.wait_for_selector("#result:not([data-outcome=none])")


def screenshot(url: str, name: str, data: bytes, content_type: str) -> Screenshot:
    """Upload ``data`` through the page at ``url`` in headless Chromium and take a screenshot.

    Without a browser, returns a Screenshot whose ``reason`` says what is missing.
    """
    reason = browser_unavailable()
    if reason is not None:
        return Screenshot(None, reason)

    def take() -> Screenshot:
        with launch_chromium() as context:
            page = context.new_page()
            upload_with_page(page, url, name, data, content_type)
            return Screenshot(page.screenshot(full_page=True))

    # playwright's sync API refuses to run in a thread with a running asyncio loop (a Jupyter
    # kernel's): a worker thread has none.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="presignlab-browser") as pool:
        return pool.submit(take).result()
