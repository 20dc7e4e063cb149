"""Load: 16 concurrent clients x 50 presigned PUTs each, valid and invalid mixed, on loopback.

Every answer is below 500; every valid upload is stored byte for byte (ETag = MD5, body read
back); no refused upload leaves an object. The server's clock is pinned, so "expired" URLs are
URLs signed two hours before it, and the bodies come from seeded random generators.
"""

from __future__ import annotations

import hashlib
import http.client
import random
import re
import threading
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from presignlab import presign_v4
from presignlab.clock import Clock
from presignlab.locals3.server import LocalS3

BUCKET = "presign-lab-load"
CLIENTS = 16
PUTS_EACH = 50
#: The server's pinned clock: real time at import (boto3's header auth allows 15 minutes' skew).
NOW = datetime.now(UTC).replace(microsecond=0)
KINDS = ("valid", "valid-typed", "tampered", "expired", "wrong-type")
EXPECTED = {
    "tampered": (403, "SignatureDoesNotMatch"),
    "expired": (403, "AccessDenied"),
    "wrong-type": (403, "SignatureDoesNotMatch"),
}


@dataclass
class Sent:
    """One upload and what came back."""

    key: str
    kind: str
    body: bytes
    status: int = 0
    code: str | None = None
    etag: str | None = None


@pytest.fixture(scope="module")
def server() -> Iterator[LocalS3]:
    with LocalS3(clock=Clock(NOW), socket_timeout=5) as s3:
        s3.client().create_bucket(Bucket=BUCKET)
        yield s3


def _plan(server: LocalS3, client: int, i: int) -> tuple[Sent, str, dict[str, str]]:
    """The ``i``-th upload of ``client``: its record, the request target and its headers."""
    rng = random.Random(client * 1000 + i)
    kind = KINDS[(client + i) % len(KINDS)]
    key = f"c{client:02d}/{i:02d}-{kind}.bin"
    body = rng.randbytes(rng.choice([0, 1, 1024, 65536 + 17]))
    signed_type = {"Content-Type": "image/png"} if kind in ("valid-typed", "wrong-type") else {}
    url = presign_v4(
        "PUT",
        f"{server.endpoint_url}/{BUCKET}/{key}",
        access_key=server.access_key_id,
        secret_key=server.secret_access_key,
        region="us-east-1",
        now=NOW - timedelta(hours=2) if kind == "expired" else NOW,
        expires=60 if kind == "expired" else 3600,
        headers=signed_type,
    )
    if kind == "tampered":
        flipped = "0" if url[-1] != "0" else "1"
        url = url[:-1] + flipped
    headers = {"Content-Length": str(len(body))}
    if kind == "valid-typed":
        headers["Content-Type"] = "image/png"
    elif kind == "wrong-type":
        headers["Content-Type"] = "text/plain"
    parts = urlsplit(url)
    return Sent(key, kind, body), f"{parts.path}?{parts.query}", headers


def _client(server: LocalS3, client: int, out: list[Sent], errors: list[BaseException]) -> None:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        for i in range(PUTS_EACH):
            sent, target, headers = _plan(server, client, i)
            conn.request("PUT", target, body=sent.body, headers=headers)
            answer = conn.getresponse()
            data = answer.read()
            sent.status = answer.status
            sent.etag = answer.getheader("ETag")
            match = re.search(rb"<Code>([^<]*)</Code>", data)
            sent.code = match.group(1).decode() if match else None
            out.append(sent)
    except BaseException as exc:
        errors.append(exc)
    finally:
        conn.close()


def test_concurrent_mixed_presigned_puts(server: LocalS3) -> None:
    results: list[Sent] = []
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_client, args=(server, c, results, errors)) for c in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a client hung"
    assert not errors, errors[:3]
    assert len(results) == CLIENTS * PUTS_EACH

    assert [r for r in results if r.status >= 500] == []
    valid = {r.key: r for r in results if r.kind.startswith("valid")}
    for r in results:
        if r.kind.startswith("valid"):
            assert r.status == 200, (r.key, r.status, r.code)
            assert r.etag == f'"{hashlib.md5(r.body).hexdigest()}"', r.key
        else:
            assert (r.status, r.code) == EXPECTED[r.kind], (r.key, r.status, r.code)

    s3 = server.client()
    listed = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        listed.update({o["Key"]: o for o in page.get("Contents", [])})
    assert set(listed) == set(valid), "a refused upload was stored, or a valid one is missing"
    for key, r in valid.items():
        assert listed[key]["Size"] == len(r.body)
        assert listed[key]["ETag"] == r.etag
        stored = s3.get_object(Bucket=BUCKET, Key=key)
        assert stored["Body"].read() == r.body, key
        if r.kind == "valid-typed":
            assert stored["ContentType"] == "image/png"


def test_a_valid_url_expires_when_the_clock_moves(server: LocalS3) -> None:
    sent, target, headers = _plan(server, 96, 0)
    assert sent.kind == "valid-typed"
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        server.clock.advance(hours=2)
        conn.request("PUT", target, body=b"late", headers={**headers, "Content-Length": "4"})
        answer = conn.getresponse()
        data = answer.read()
    finally:
        server.clock.set(NOW)
        conn.close()
    assert answer.status == 403 and b"<Code>AccessDenied</Code>" in data
    assert b"<Message>Request has expired</Message>" in data
    assert server.client().list_objects_v2(Bucket=BUCKET, Prefix="c96/")["KeyCount"] == 0


def _stream(size: int) -> Iterator[bytes]:
    block = bytes(range(256)) * 4096  # 1 MiB
    while size > 0:
        yield block[: min(size, len(block))]
        size -= len(block)


def test_a_large_presigned_put_streams_to_disk(server: LocalS3) -> None:
    """24 MiB through the server allocate far less than the body (moto alone held it twice)."""
    size = 24 * 1024 * 1024 + 5
    sent, target, headers = _plan(server, 101, 0)  # valid, signed Content-Type image/png
    assert sent.kind == "valid-typed"
    digest = hashlib.md5(b"".join(_stream(size))).hexdigest()
    conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
    tracemalloc.start()
    try:
        headers = {**headers, "Content-Length": str(size)}
        conn.request("PUT", target, body=_stream(size), headers=headers)
        answer = conn.getresponse()
        answer.read()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        conn.close()
    assert answer.status == 200 and answer.getheader("ETag") == f'"{digest}"'
    assert peak < 16 * 1024 * 1024, f"{peak / 2**20:.1f} MiB allocated during the upload"
    stored = server.client().get_object(Bucket=BUCKET, Key=sent.key)
    assert stored["ContentLength"] == size and stored["ContentType"] == "image/png"
    assert stored["ETag"] == f'"{digest}"'
    assert hashlib.md5(stored["Body"].read()).hexdigest() == digest
