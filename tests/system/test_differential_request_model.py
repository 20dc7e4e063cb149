"""Differential test of the one request model: what the layer decided is what moto changed.

Hypothesis builds hostile requests from a small grammar: paths with bucket names carrying
``;``, ``%3B``, doubled or encoded slashes, dot segments, upper case and ``+``; Host headers
naming the bucket, a dotted bucket that does not exist, a foreign domain, S3 endpoints; queries
mixing sub-resources (``acl``, ``policy``, ``delete``, ``uploads``, ``tagging``, ...) with
``Signature``-like and SDK parameters; bodies that are policies, DeleteObjects XML or bytes.
Each request is sent over a raw socket, and the test compares moto's whole state before and
after with the requests the layer handed to moto:

* anonymous requests never change the private bucket (nor create or delete a bucket);
* requests signed by the root change only the bucket or the object the layer decided (and,
  for DeleteObjects, only keys of the decided bucket).

Every request also gets an answer that is never a 5xx.
"""

from __future__ import annotations

import hashlib
import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presignlab.errors import PresignedUrlError
from presignlab.locals3 import pipeline
from presignlab.locals3.backend import objects
from presignlab.locals3.server import LocalS3
from presignlab.signing import sigv4
from presignlab.signing.sent_request import (
    SentRequest,
    sigv4_canonical_request,
    sigv4_string_to_sign,
)
from presignlab.signing.uri import parse_query, percent_decode
from support.locals3 import read_answer

PRIVATE = "private-bucket"
OTHER = "other-bucket"
DOTTED = "a.dotted.bucket"
BUCKETS = (PRIVATE, OTHER, DOTTED)
KEYS = ("secret.txt", "dir/a b.txt", "x+y")

POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{PRIVATE}", f"arn:aws:s3:::{PRIVATE}/*"],
            }
        ],
    }
).encode()
DELETE = (
    b'<?xml version="1.0" encoding="UTF-8"?><Delete>'
    b"<Object><Key>secret.txt</Key></Object><Object><Key>x+y</Key></Object></Delete>"
)
TAGS = b"<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>"

bucket_token = st.sampled_from(BUCKETS).flatmap(
    lambda b: st.sampled_from(
        [b, f"{b};x", f"{b}%3Bx", b.upper(), f"{b}%2Fx", f"{b}.", f"{b}+", f"{b}%00", f"{b}..x"]
    )
)
key_token = st.sampled_from(
    ["secret.txt", "dir/a%20b.txt", "x+y", "x%2By", "planted.html", "..%2Fsecret.txt", ";x", ""]
)
path = st.one_of(
    st.builds(lambda b, k: f"/{b}/{k}", bucket_token, key_token),
    st.builds(lambda b: f"/{b}", bucket_token),
    st.builds(lambda b, k: f"//{b}/{k}", bucket_token, key_token),
    st.builds(lambda k: f"/{k}", key_token),
    st.just("/"),
)
host = st.sampled_from(
    [
        "{local}",
        "localhost:{port}",
        "{b}.localhost:{port}",
        "{b}.ghost.localhost:{port}",
        "evil.example.com",
        "{b}.evil.example.com",
        "{b}.s3.amazonaws.com",
        "s3.amazonaws.com",
        "{b}.s3.eu-west-1.amazonaws.com",
        "a.b.c",
    ]
)
query_item = st.sampled_from(
    [
        "acl",
        "policy",
        "delete",
        "uploads",
        "tagging",
        "cors",
        "publicAccessBlock",
        "versioning",
        "location",
        "list-type=2",
        "uploadId=u1",
        "partNumber=1",
        "versionId=null",
        "x-id=PutObject",
        "xSignature=",
        "Signature",
        "Signature=abc",
        "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE",
        "prefix=dir%2F",
        "response-content-type=text%2Fhtml",
    ]
)
query = st.lists(query_item, max_size=3, unique=True)
method = st.sampled_from(["GET", "PUT", "DELETE", "POST", "HEAD"])
body = st.sampled_from([b"", POLICY, DELETE, TAGS, b"<script>x</script>", b"\x00\xff"])


@pytest.fixture(scope="module")
def world() -> Iterator[LocalS3]:
    with LocalS3(socket_timeout=5) as server:
        client = server.client()
        for name in BUCKETS:
            client.create_bucket(Bucket=name)
            for key in KEYS:
                client.put_object(Bucket=name, Key=key, Body=f"{name}/{key}".encode())
        yield server


def _state() -> dict[str, Any]:
    """moto's state that requests can change, per bucket and per object."""
    from moto.s3.models import s3_backends

    out: dict[str, Any] = {}
    for account in list(s3_backends.values()):
        for backend in list(account.values()):
            for name, bucket in list(backend.buckets.items()):
                pab = bucket.public_access_block
                out[name] = {
                    "bucket": (
                        str(bucket.policy),
                        None if pab is None else sorted(vars(pab).items()),
                        str(bucket.ownership_rule),
                        repr([vars(r) for r in bucket.cors]),
                        repr(backend.get_bucket_tagging(name)),
                        repr(bucket.versioning_status),
                        repr(
                            [
                                (g.permissions, [vars(x) for x in g.grantees])
                                for g in bucket.acl.grants
                            ]
                        )
                        if bucket.acl
                        else None,
                    ),
                    "keys": {
                        key: (
                            str(obj.etag),
                            repr(obj.metadata),
                            repr(backend.get_object_tagging(obj)),
                        )
                        for key, obj in list(bucket.keys.items())
                        if hasattr(obj, "etag")
                    },
                }
    return out


def _changes(before: dict[str, Any], after: dict[str, Any]) -> set[tuple[str, str | None]]:
    """``(bucket, None)`` for bucket-level changes, ``(bucket, key)`` for object changes."""
    changed: set[tuple[str, str | None]] = set()
    for name in set(before) | set(after):
        old, new = before.get(name), after.get(name)
        if old is None or new is None or old["bucket"] != new["bucket"]:
            changed.add((name, None))
            if old is None or new is None:
                continue
        for key in set(old["keys"]) | set(new["keys"]):
            if old["keys"].get(key) != new["keys"].get(key):
                changed.add((name, key))
    return changed


def _signed_headers(
    server: LocalS3, wire_host: str, method: str, raw_path: str, raw_query: str, payload: bytes
) -> list[tuple[str, str]]:
    """Root's SigV4 Authorization for exactly this request, or none when it cannot be read."""
    try:
        decoded = percent_decode(raw_path, what="the path")
        pairs = tuple(parse_query(raw_query))
    except PresignedUrlError:
        return []
    now = datetime.now(UTC)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    digest = hashlib.sha256(payload).hexdigest()
    headers = [("x-amz-date", amz_date), ("x-amz-content-sha256", digest)]
    signed = ["host", "x-amz-content-sha256", "x-amz-date"]
    sent = SentRequest(method, wire_host, decoded, pairs, tuple(headers))
    to_sign = sigv4_string_to_sign(
        sigv4_canonical_request(sent, signed, digest), amz_date, "us-east-1"
    )
    key = sigv4.signing_key(server.secret_access_key, amz_date, "us-east-1")
    scope = sigv4.credential_scope(amz_date, "us-east-1")
    authorization = (
        f"{sigv4.ALGORITHM} Credential={server.access_key_id}/{scope}, "
        f"SignedHeaders={';'.join(signed)}, Signature={sigv4.signature(key, to_sign)}"
    )
    return [*headers, ("Authorization", authorization)]


def _send(server: LocalS3, data: bytes) -> int:
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(data)
        answer = read_answer(sock)
    assert answer, "the server did not answer"
    return int(answer.split(b" ", 2)[1])


def _run(
    server: LocalS3,
    monkeypatch: pytest.MonkeyPatch,
    *,
    signed: bool,
    method: str,
    raw_path: str,
    items: list[str],
    host_form: str,
    payload: bytes,
) -> tuple[set[tuple[str, str | None]], list[tuple[str, str | None, str]]]:
    decided: list[tuple[str, str | None, str]] = []
    real_call, real_store = pipeline.call_s3, objects.store_object

    def record_call(**kwargs: Any) -> Any:
        decided.append((kwargs["bucket"] or "", kwargs["key"], kwargs["method"]))
        return real_call(**kwargs)

    def record_store(account: str, bucket: str, key: str, *args: Any, **kwargs: Any) -> Any:
        decided.append((bucket, key, "POST"))
        return real_store(account, bucket, key, *args, **kwargs)

    monkeypatch.setattr(pipeline, "call_s3", record_call)
    monkeypatch.setattr(objects, "store_object", record_store)
    wire_host = host_form.format(local=f"{server.host}:{server.port}", port=server.port, b=PRIVATE)
    raw_query = "&".join(items)
    headers = (
        _signed_headers(server, wire_host, method, raw_path, raw_query, payload) if signed else []
    )
    target = raw_path + (f"?{raw_query}" if raw_query else "")
    head = f"{method} {target} HTTP/1.1\r\nHost: {wire_host}\r\nContent-Length: {len(payload)}\r\n"
    head += "".join(f"{n}: {v}\r\n" for n, v in headers) + "Connection: close\r\n\r\n"
    before = _state()
    status = _send(server, head.encode("latin-1") + payload)
    changed = _changes(before, _state())
    assert status < 500, (status, method, target, wire_host)
    return changed, decided


SETTINGS = settings(
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)


@SETTINGS
@given(method=method, raw_path=path, items=query, host_form=host, payload=body)
def test_anonymous_requests_never_change_the_private_bucket(
    world: LocalS3,
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    raw_path: str,
    items: list[str],
    host_form: str,
    payload: bytes,
) -> None:
    changed, _ = _run(
        world,
        monkeypatch,
        signed=False,
        method=method,
        raw_path=raw_path,
        items=items,
        host_form=host_form,
        payload=payload,
    )
    assert not {c for c in changed if c[0] in BUCKETS}, changed
    assert not changed, changed


@SETTINGS
@given(method=method, raw_path=path, items=query, host_form=host, payload=body)
def test_signed_requests_change_only_what_the_layer_decided(
    world: LocalS3,
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    raw_path: str,
    items: list[str],
    host_form: str,
    payload: bytes,
) -> None:
    if method == "DELETE" and "?" not in raw_path and not items and raw_path.count("/") == 1:
        return  # DeleteBucket of a non-empty bucket fails anyway; keep the world intact
    changed, decided = _run(
        world,
        monkeypatch,
        signed=True,
        method=method,
        raw_path=raw_path,
        items=items,
        host_form=host_form,
        payload=payload,
    )
    allowed: set[tuple[str, str | None]] = set()
    for bucket, key, _ in decided:
        allowed.add((bucket, key))
        if key is None:  # bucket-level operations (DeleteObjects: keys of that bucket)
            allowed |= {(bucket, k) for b, k in changed if b == bucket}
    assert changed <= allowed, (changed, decided)
    _restore(world, changed)


def _restore(server: LocalS3, changed: set[tuple[str, str | None]]) -> None:
    """Put the world back for the next example."""
    client = server.client()
    for bucket, key in changed:
        if bucket not in BUCKETS:
            continue
        if key is None:
            client.delete_bucket_policy(Bucket=bucket)
            client.put_public_access_block(
                Bucket=bucket,
                PublicAccessBlockConfiguration={
                    "BlockPublicAcls": True,
                    "IgnorePublicAcls": True,
                    "BlockPublicPolicy": True,
                    "RestrictPublicBuckets": True,
                },
            )
        elif key in KEYS:
            client.put_object(Bucket=bucket, Key=key, Body=f"{bucket}/{key}".encode())
        else:
            client.delete_object(Bucket=bucket, Key=key)
