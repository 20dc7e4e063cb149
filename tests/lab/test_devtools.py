"""DevTools' evidence from headless Chromium (``presignlab.lab.devtools``) and the synthetic
global-endpoint stand-in (``presignlab.lab.global_endpoint``).

``copy_as_curl`` is checked against the shape Chromium DevTools writes (``generateCurlCommand``:
quoting, ignored headers, ``-X``, ``--data-raw``, ``--compressed``) and read back by the kit's
own ``--curl`` reader; the recordings run the seed's stack in the real browser (skipped without
playwright or chromium, failing under CI).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from presignlab.diagnosis.inputs import failed_s3_cases, parse_curl, parse_har
from presignlab.diagnosis.inputs.shell_words import bash_words
from presignlab.lab.devtools import copy_as_curl, record_upload
from presignlab.lab.global_endpoint import REDIRECT_MESSAGE, GlobalEndpointStandIn
from presignlab.seed import Stack
from support.browser import require_browser

URL = "https://b.s3.amazonaws.com/k.jpg?X-Amz-Signature=abc&X-Amz-SignedHeaders=host"
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8


def test_a_put_is_copied_as_chromium_does() -> None:
    headers = [
        ("Host", "b.s3.amazonaws.com"),
        ("Accept-Encoding", "gzip"),
        ("Content-Type", "image/jpeg"),
        ("Content-Length", "1234"),
        ("x-empty", " "),
    ]
    assert copy_as_curl("PUT", URL, headers) == (
        f"curl '{URL}' \\\n  -X 'PUT' \\\n  -H 'Content-Type: image/jpeg' \\\n"
        "  -H 'Content-Length: 1234' \\\n  -H 'x-empty;' \\\n  --compressed"
    )


def test_a_text_body_is_data_raw_and_drops_content_length() -> None:
    command = copy_as_curl("POST", URL, [("Content-Length", "3")], "a=1")
    assert "-X" not in command and "Content-Length" not in command
    assert command.endswith("--data-raw 'a=1' \\\n  --compressed")
    assert copy_as_curl("GET", "http://h/", []) == "curl 'http://h/' --compressed"


def test_quotes_bangs_and_control_characters_use_ansi_c_quoting() -> None:
    command = copy_as_curl("PUT", "http://h/{x}", [("X-Note", "it's done!\n")])
    assert "'http://h/\\{x\\}'" in command
    assert "$'X-Note: it\\'s done\\u0021\\n'" in command
    assert bash_words(command.replace("\\\n", " "))[5] == "X-Note: it's done!\n"


def test_the_kits_curl_reader_reads_the_copy_back() -> None:
    headers = [("Content-Type", "image/png"), ("Origin", "http://127.0.0.1:3000")]
    read = parse_curl(copy_as_curl("PUT", URL, headers))
    assert (read.url, read.method, read.headers) == (URL, "PUT", tuple(headers))


def test_the_stand_in_answers_every_request_with_s3s_307() -> None:
    with GlobalEndpointStandIn(region="eu-west-2") as stand_in:
        for method in ("OPTIONS", "PUT"):
            answer = requests.request(
                method, f"{stand_in.url}/photos/a.jpg?x=1", data=b"abc", timeout=10,
                allow_redirects=False,
            )  # fmt: skip
            assert answer.status_code == 307
            assert answer.headers["Location"] == (
                "https://photos.s3.eu-west-2.amazonaws.com/a.jpg?x=1"
            )
            assert f"<Message>{REDIRECT_MESSAGE}</Message>" in answer.text
            assert "<Endpoint>photos.s3.eu-west-2.amazonaws.com</Endpoint>" in answer.text


@pytest.fixture(name="stack")
def stack_fixture() -> Iterator[Stack]:
    require_browser()
    with Stack(id_factory=lambda: "fixed") as stack:
        yield stack


@pytest.mark.browser
def test_a_refused_preflight_is_in_the_har_as_devtools_shows_it(stack: Stack) -> None:
    """Opened as localhost, the page is another origin than the CORS rule's 127.0.0.1."""
    recording = record_upload(
        stack.page_url.replace("127.0.0.1", "localhost"), "a.jpg", PHOTO, "image/jpeg"
    )
    assert recording.page_findings == ("cors-preflight-denied",)
    assert any("No 'Access-Control-Allow-Origin'" in m for m in recording.errors())
    (case,) = failed_s3_cases(parse_har(recording.har_text()))
    assert case.preflight is not None and case.preflight.status == 403
    assert case.request is not None and case.request.status == 0


@pytest.mark.browser
def test_the_put_is_captured_with_the_headers_sent(stack: Stack) -> None:
    recording = record_upload(stack.page_url, "a.jpg", PHOTO, "image/jpeg", send_type="image/png")
    assert recording.page_findings == ("signed-header-value-mismatch",)
    put = recording.last("PUT", stack.endpoint_url)
    assert put.header("Content-Type") == "image/png" and put.header("Host") is not None
    read = parse_curl(put.as_curl())
    assert read.url == put.url and ("Content-Type", "image/png") in read.headers
