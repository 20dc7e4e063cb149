"""Faults on the wire: clients that vanish, lie about Content-Length, or trickle their body.

Each case is sent over a raw socket on loopback to a strict local S3 whose socket timeout is
one second. The server must answer as AWS does (``IncompleteBody``, ``RequestTimeout``) or
close cleanly, store nothing partial, free the worker thread, and keep serving. Two upload
paths are exercised where it matters: a presigned PUT (``UNSIGNED-PAYLOAD``, the body streams
through to moto) and a header-signed PUT with a hex payload SHA-256 (the body is spooled and
verified first).
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests

from presignlab.locals3.server import LocalS3
from support.locals3 import error_code, sign_v4_headers

BUCKET = "presign-lab-faults"
TIMEOUT = 1.0
#: Seconds allowed beyond the socket timeout for an answer or a freed worker (slow CI).
SLACK = 4.0


@pytest.fixture(scope="module")
def server() -> Iterator[LocalS3]:
    with LocalS3(socket_timeout=TIMEOUT) as s3:
        s3.client().create_bucket(Bucket=BUCKET)
        yield s3


def _workers() -> int:
    """Request-handling threads alive in this process (the server runs in-process)."""
    return sum("process_request_thread" in t.name for t in threading.enumerate())


def _wait_for_workers(expected: int = 0, limit: float = TIMEOUT + SLACK) -> None:
    deadline = time.monotonic() + limit
    while _workers() > expected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _workers() <= expected, "a worker thread is still busy: hung on a dead client?"


def _keys(server: LocalS3, prefix: str) -> list[str]:
    listed = server.client().list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return [o["Key"] for o in listed.get("Contents", [])]


def _still_serving(server: LocalS3, prefix: str, n: int = 5) -> None:
    """``n`` fresh presigned PUTs succeed and read back exactly."""
    s3 = server.client()
    for i in range(n):
        key = f"{prefix}after-{i}"
        url = s3.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": key})
        body = f"still serving {i}".encode()
        answer = requests.put(url, data=body, timeout=10)
        assert answer.status_code == 200, answer.text
        assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == body


def _request_head(server: LocalS3, key: str, length: int, path: str) -> bytes:
    """The request line and headers of a PUT of ``length`` bytes, presigned or header-signed."""
    if path == "presigned":
        url = server.client().generate_presigned_url(
            "put_object", Params={"Bucket": BUCKET, "Key": key}
        )
        parts = urlsplit(url)
        return (
            f"PUT {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Content-Length: {length}\r\n\r\n"
        ).encode()
    url = f"{server.endpoint_url}/{BUCKET}/{key}"
    digest = hashlib.sha256(_body(length)).hexdigest()
    headers = sign_v4_headers(server, "PUT", url, payload=digest)
    lines = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return f"PUT /{BUCKET}/{key} HTTP/1.1\r\n{lines}Content-Length: {length}\r\n\r\n".encode()


def _body(length: int) -> bytes:
    return (b"0123456789abcdef" * (length // 16 + 1))[:length]


def _read_answer(sock: socket.socket, limit: float) -> tuple[int | None, bytes, bytes]:
    """``(status, head, body)`` read until the server closes; status None if nothing came."""
    sock.settimeout(limit)
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except (ConnectionResetError, TimeoutError):
        pass
    data = b"".join(chunks)
    if not data:
        return None, b"", b""
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), head, body


PATHS = pytest.mark.parametrize("path", ["presigned", "signed-payload"])


@pytest.mark.parametrize(
    ("path", "mib"), [("presigned", 4), ("signed-payload", 4), ("presigned", 16)]
)  # 16 MiB: a large PutObject, spooled to disk by the strict layer (locals3/body/large_put.py)
def test_client_disconnecting_mid_upload_stores_nothing(
    server: LocalS3, path: str, mib: int
) -> None:
    prefix = f"disconnect-{path}-{mib}/"
    length = mib * 1024 * 1024
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(_request_head(server, f"{prefix}object", length, path))
        sock.sendall(_body(length)[: length // 2])
    _wait_for_workers()
    assert _keys(server, prefix) == []
    _still_serving(server, prefix)
    assert _keys(server, prefix + "object") == []


@PATHS
def test_body_shorter_than_content_length_then_end_of_stream(server: LocalS3, path: str) -> None:
    prefix = f"short-eof-{path}/"
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(_request_head(server, f"{prefix}object", 1000, path) + _body(400))
        sock.shutdown(socket.SHUT_WR)
        status, _, body = _read_answer(sock, TIMEOUT + SLACK)
    assert status == 400 and error_code(body) == "IncompleteBody"
    _wait_for_workers()
    assert _keys(server, prefix) == []


@PATHS
def test_body_shorter_than_content_length_then_silence(server: LocalS3, path: str) -> None:
    """The client keeps the connection open and sends no more: RequestTimeout, in time."""
    prefix = f"short-idle-{path}/"
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(_request_head(server, f"{prefix}object", 1000, path) + _body(400))
        start = time.monotonic()
        status, _, body = _read_answer(sock, TIMEOUT + SLACK)
        elapsed = time.monotonic() - start
    assert status == 400 and error_code(body) == "RequestTimeout"
    assert TIMEOUT * 0.9 <= elapsed <= TIMEOUT + SLACK
    _wait_for_workers()
    assert _keys(server, prefix) == []


@PATHS
def test_body_longer_than_content_length(server: LocalS3, path: str) -> None:
    """Extra bytes are not stored, and a request hidden in them is never run."""
    prefix = f"long-{path}/"
    smuggled = (
        f"PUT /{BUCKET}/{prefix}smuggled HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nbad"
    ).encode()
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(
            _request_head(server, f"{prefix}object", 64, path) + _body(64) + b"EXTRA" + smuggled
        )
        status, head, body = _read_answer(sock, TIMEOUT + SLACK)
    assert status == 200, body
    assert head.count(b"HTTP/1.1 ") == 1 and b"connection: close" in head.lower()
    assert body == b"", "only one answer on the connection"
    s3 = server.client()
    _wait_for_workers()
    assert _keys(server, prefix) == [f"{prefix}object"]
    stored = s3.get_object(Bucket=BUCKET, Key=f"{prefix}object")
    assert stored["Body"].read() == _body(64)
    assert stored["ETag"] == f'"{hashlib.md5(_body(64)).hexdigest()}"'
    _still_serving(server, prefix, n=2)


def test_early_refusal_of_a_large_body_is_still_answered(server: LocalS3) -> None:
    """A bad signature is refused before the 8 MiB body is read; the client gets the 403 XML."""
    url = server.client().generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": "refused/object"}
    )
    tampered = url[:-1] + ("0" if url[-1] != "0" else "1")
    answer = requests.put(tampered, data=_body(8 << 20), timeout=10)
    assert answer.status_code == 403 and error_code(answer.content) == "SignatureDoesNotMatch"
    _wait_for_workers()
    assert _keys(server, "refused/") == []


def test_trickled_body_that_stalls_times_out_and_frees_the_worker(server: LocalS3) -> None:
    prefix = "trickle-stall/"
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(_request_head(server, f"{prefix}object", 100, "presigned"))
        for byte in _body(5):
            sock.sendall(bytes([byte]))
            time.sleep(TIMEOUT / 4)
        start = time.monotonic()
        status, _, body = _read_answer(sock, TIMEOUT + SLACK)
        elapsed = time.monotonic() - start
    assert status == 400 and error_code(body) == "RequestTimeout"
    assert elapsed <= TIMEOUT + SLACK
    _wait_for_workers()
    assert _keys(server, prefix) == []
    _still_serving(server, prefix)


def test_slow_but_steady_body_does_not_block_other_clients(server: LocalS3) -> None:
    """A body trickling just under the idle timeout is accepted; others are served meanwhile."""
    prefix = "trickle-steady/"
    payload = _body(12)
    result: dict[str, object] = {}

    def slow_upload() -> None:
        with socket.create_connection((server.host, server.port), timeout=10) as sock:
            sock.sendall(_request_head(server, f"{prefix}slow", len(payload), "presigned"))
            for byte in payload:
                sock.sendall(bytes([byte]))
                time.sleep(TIMEOUT / 5)
            result["answer"] = _read_answer(sock, TIMEOUT + SLACK)

    thread = threading.Thread(target=slow_upload)
    thread.start()
    started = time.monotonic()
    _still_serving(server, prefix, n=10)
    assert thread.is_alive(), "the other requests were served while the slow body trickled"
    assert time.monotonic() - started < len(payload) * TIMEOUT / 5
    thread.join(timeout=30)
    status, _, _ = result["answer"]  # type: ignore[misc]
    assert status == 200
    stored = server.client().get_object(Bucket=BUCKET, Key=f"{prefix}slow")
    assert stored["Body"].read() == payload
    _wait_for_workers()
