"""Helpers for the strict local S3 tests: raw requests, signing, error codes, recorded answers."""

from __future__ import annotations

import json
import re
import socket
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from presignlab.locals3.server import LocalS3
from presignlab.signing import sigv4
from presignlab.signing.sent_request import (
    SentRequest,
    sigv4_canonical_request,
    sigv4_string_to_sign,
)

__all__ = [
    "assert_recorded",
    "dechunk",
    "error_code",
    "raw_request",
    "read_answer",
    "recorded_case",
    "sign_v4_headers",
]


def raw_request(
    server: LocalS3, data: bytes, *, half_close: bool = False, timeout: float = 10
) -> tuple[int, bytes]:
    """Send raw bytes to ``server``; return ``(status, body)`` of the answer."""
    with socket.create_connection((server.host, server.port), timeout=timeout) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        response = read_answer(sock)
    status = int(response.split(b" ", 2)[1])
    head, _, body = response.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in head.lower():
        body = dechunk(body)
    return status, body


def read_answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes, without any interim ``100 Continue``."""
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    response = b"".join(chunks)
    while response.startswith(b"HTTP/1.1 100"):
        response = response.split(b"\r\n\r\n", 1)[1]
    return response


def dechunk(body: bytes) -> bytes:
    """The payload of an HTTP ``Transfer-Encoding: chunked`` body."""
    out = b""
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += rest[:size]
        body = rest[size + 2 :]
    return out


def error_code(body: bytes) -> str | None:
    """The ``<Code>`` of an S3 or IAM/STS XML error body."""
    match = re.search(rb"<Code>([^<]*)</Code>", body)
    return match.group(1).decode() if match else None


def sign_v4_headers(
    server: LocalS3,
    method: str,
    url: str,
    *,
    payload: str,
    headers: dict[str, str] | None = None,
    now: datetime | None = None,
    region: str = "us-east-1",
) -> dict[str, str]:
    """Headers for a SigV4 header-signed request whose payload line is ``payload`` (any value)."""
    instant = now or datetime.now(UTC)
    amz_date = instant.strftime("%Y%m%dT%H%M%SZ")
    all_headers = {**(headers or {}), "x-amz-date": amz_date, "x-amz-content-sha256": payload}
    signed = sorted({"host", *(name.lower() for name in all_headers)})
    sent = SentRequest.to_url(url, method, all_headers)
    canonical = sigv4_canonical_request(sent, signed, payload)
    to_sign = sigv4_string_to_sign(canonical, amz_date, region)
    key = sigv4.signing_key(server.secret_access_key, amz_date, region)
    scope = sigv4.credential_scope(amz_date, region)
    all_headers["Authorization"] = (
        f"{sigv4.ALGORITHM} Credential={server.access_key_id}/{scope}, "
        f"SignedHeaders={';'.join(signed)}, Signature={sigv4.signature(key, to_sign)}"
    )
    all_headers["Host"] = urlsplit(url).netloc
    return all_headers


RECORDED = Path(__file__).resolve().parents[1] / "data" / "aws_recorded"


@cache
def _recorded_cases() -> dict[str, dict[str, object]]:
    cases: dict[str, dict[str, object]] = {}
    for path in sorted(RECORDED.glob("*.json")):
        for case in json.loads(path.read_text())["cases"]:
            cases[case["id"]] = case
    return cases


def recorded_case(case_id: str) -> dict[str, object]:
    """One AWS-recorded case of ``tests/data/aws_recorded`` (README there) by its id."""
    return _recorded_cases()[case_id]


def assert_recorded(
    case_id: str,
    status: int,
    body: bytes,
    *,
    placeholders: bool = True,
    order: Sequence[str] | None = None,
) -> None:
    """``status`` and the XML error ``body`` are what AWS answered in ``case_id``.

    Code and Message must be equal; the extra elements must come in the recorded order with the
    recorded values, except values LocalStack replaced by a ``<placeholder>``; RequestId and
    HostId must come last. ``order`` is the element order the spec chose where the recording
    shows none (a snapshot sorts its keys, CHOICE-105); it must name the recorded elements.
    """
    response = recorded_case(case_id)["response"]
    assert isinstance(response, dict)
    assert status == response["status"], (status, response)
    root = ET.fromstring(body)
    names = [child.tag for child in root]
    assert names[:2] == ["Code", "Message"] and names[-2:] == ["RequestId", "HostId"], names
    assert root.findtext("Code") == response["code"]
    expected_message = str(response["message"])
    if placeholders and "<" in expected_message:
        prefix = expected_message.split("<", 1)[0]
        assert (root.findtext("Message") or "").startswith(prefix)
    else:
        assert root.findtext("Message") == expected_message
    elements = dict(response.get("elements") or {})
    recorded_order = response.get("element_order")
    if order is not None:
        assert sorted(order) == sorted(elements), (order, elements)
        assert recorded_order is None or list(recorded_order) == list(order), recorded_order
    expected_order = recorded_order or order or list(elements)
    assert names[2:-2] == list(expected_order), (names, expected_order)
    for name, value in elements.items():
        if not (placeholders and str(value).startswith("<")):
            assert root.findtext(name) == value, (name, root.findtext(name), value)
