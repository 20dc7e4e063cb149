"""The seed's system in a real browser: headless Chromium uploads through the upload page.

Playwright (PyPI) drives Debian's ``chromium`` by its executable path against a running
:class:`~presignlab.seed.Stack`: the strict local S3, the signing API and the page. Without
playwright or chromium these tests skip and say why; when ``CI`` is set they fail instead,
so CI can never pass without running them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest

from presignlab.lab.browser import launch_chromium, upload_with_page
from presignlab.seed import Stack, serve_stack
from support.browser import require_browser

pytestmark = pytest.mark.browser

#: 200 KiB that start like a JPEG file; the bytes S3 stores must be these exactly.
PHOTO = b"\xff\xd8\xff\xe0" + hashlib.sha256(b"presign-lab").digest() * 6400
RESULT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_browser()
    with launch_chromium() as context:
        yield context


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with serve_stack() as running:
        yield running


@pytest.fixture
def page(browser: Any, stack: Stack) -> Iterator[Any]:
    tab = browser.new_page()
    tab.set_default_timeout(RESULT_TIMEOUT_MS)
    yield tab
    tab.close()


def _stored_keys(stack: Stack) -> list[str]:
    listing = stack.client().list_objects_v2(Bucket=stack.bucket)
    return [entry["Key"] for entry in listing.get("Contents", [])]


def _text(page: Any, selector: str) -> str:
    return str(page.inner_text(selector)).strip()


def test_upload_succeeds_and_s3_stores_the_exact_bytes(page: Any, stack: Stack) -> None:
    upload_with_page(page, stack.page_url, "holiday photo.jpg", PHOTO, "image/jpeg")
    assert page.get_attribute("#result", "data-outcome") == "uploaded", _text(page, "#result")
    key = _text(page, "#grant-key")
    assert key.startswith("uploads/") and key.endswith("/holiday_photo.jpg")
    stored = stack.client().get_object(Bucket=stack.bucket, Key=key)
    assert stored["Body"].read() == PHOTO
    assert stored["ContentType"] == "image/jpeg"
    assert stored["ETag"] in _text(page, "#result")  # readable thanks to ExposeHeaders: ETag
    assert page.get_attribute("#progress", "value") == "100"
    assert _text(page, "#progress-text") == "100%"


def test_no_cors_rule_for_the_origin_fails_before_the_put(page: Any, stack: Stack) -> None:
    """The rule names localhost instead of 127.0.0.1: the preflight is refused, no PUT is sent."""
    s3 = stack.client()
    other = [dict(stack.cors_rules[0], AllowedOrigins=[f"http://localhost:{stack.api_port}"])]
    s3.put_bucket_cors(Bucket=stack.bucket, CORSConfiguration={"CORSRules": other})
    before = _stored_keys(stack)
    failed: list[tuple[str, str]] = []
    page.on("requestfailed", lambda request: failed.append((request.method, request.failure)))
    try:
        upload_with_page(page, stack.page_url, "blocked.png", PHOTO, "image/png")
        # the server judges the preflight against the bucket's current rules: keep the
        # localhost-only rule until its answer is on the page
        page.wait_for_selector("#diagnosis[data-ready=true]")
    finally:
        s3.put_bucket_cors(Bucket=stack.bucket, CORSConfiguration={"CORSRules": stack.cors_rules})
    assert page.get_attribute("#result", "data-outcome") == "network-error"
    assert "CORS" in _text(page, "#result") and stack.origin in _text(page, "#result")
    assert failed == [("PUT", "net::ERR_FAILED")]  # how Chromium reports a CORS refusal
    assert _stored_keys(stack) == before
    assert page.is_hidden("#s3-error")
    # the server judged the preflight against the bucket's rules: a CORS failure, naming the origin
    first = page.locator("#diagnosis-findings li").first
    assert first.get_attribute("data-code") == "cors-preflight-denied"
    assert stack.origin in first.inner_text() and "signature" not in _text(
        page, "#diagnosis-findings"
    )


def test_page_opened_at_another_origin_is_named_a_cors_failure(page: Any, stack: Stack) -> None:
    """localhost and 127.0.0.1 are different origins: the bucket's rule admits only the latter."""
    other = f"http://localhost:{stack.api_port}/"
    upload_with_page(page, other, "photo.png", PHOTO, "image/png")
    assert page.get_attribute("#result", "data-outcome") == "network-error"
    page.wait_for_selector("#diagnosis[data-ready=true]")
    first = page.locator("#diagnosis-findings li").first
    assert first.get_attribute("data-code") == "cors-preflight-denied"
    assert f"http://localhost:{stack.api_port}" in first.inner_text()
    assert "--" not in _text(page, "#diagnosis")  # no command-line advice on the page


def test_content_type_other_than_signed_shows_signature_mismatch(page: Any, stack: Stack) -> None:
    page.goto(stack.page_url)
    page.click("details summary")
    page.fill("#send-type", "image/png")
    before = _stored_keys(stack)
    page.set_input_files(
        "#file", files=[{"name": "a.jpg", "mimeType": "image/jpeg", "buffer": PHOTO}]
    )
    page.click("#get-url")
    page.wait_for_selector("#grant:not([hidden])")
    page.click("#upload")
    page.wait_for_selector("#diagnosis[data-ready=true]")
    assert page.get_attribute("#result", "data-outcome") == "s3-error"
    assert _text(page, "#error-status") == "403"
    assert _text(page, "#error-code") == "SignatureDoesNotMatch"
    assert _text(page, "#error-message").startswith("The request signature we calculated")
    first = page.locator("#diagnosis-findings li").first
    assert first.get_attribute("data-code") == "signed-header-value-mismatch"
    assert "(confirmed)" in first.inner_text()  # diagnosed on the server, with the signer's secret
    assert page.locator("#diagnosis-comparison table.presignlab-comparison tr.differs").count() >= 1
    assert "--" not in _text(page, "#diagnosis")  # no command-line advice on the page
    assert stack.signer is not None and stack.signer.secret_access_key not in page.content()
    assert "content-type: sent image/png, signed image/jpeg" in _text(page, "#header-check")
    assert _stored_keys(stack) == before


def test_expired_url_shows_access_denied(page: Any, stack: Stack) -> None:
    page.goto(stack.page_url)
    page.set_input_files(
        "#file", files=[{"name": "late.pdf", "mimeType": "application/pdf", "buffer": PHOTO}]
    )
    page.click("#get-url")
    page.wait_for_selector("#grant:not([hidden])")
    expires = int(_text(page, "#grant-expires").split()[0])
    stack.clock.advance(seconds=expires + 60)
    try:
        page.click("#upload")
        page.wait_for_selector("#diagnosis[data-ready=true]")
    finally:
        stack.clock.advance(seconds=-(expires + 60))
    assert _text(page, "#error-code") == "AccessDenied"
    assert _text(page, "#error-message") == "Request has expired"
    assert "expired" in _text(page, "#diagnosis-findings")


def test_disallowed_content_type_is_refused_by_the_signing_api(page: Any, stack: Stack) -> None:
    page.goto(stack.page_url)
    page.select_option("#content-type", "text/html")
    page.set_input_files(
        "#file", files=[{"name": "x.html", "mimeType": "text/html", "buffer": b"<p>"}]
    )
    page.click("#get-url")
    page.wait_for_selector("#result[data-outcome=api-error]")
    assert "HTTP 400" in _text(page, "#result") and "not allowed" in _text(page, "#result")
    assert page.is_disabled("#upload")
