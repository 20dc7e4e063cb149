"""Bounded everything: hostile documents get AWS's 4xx, slow clients a deadline, crowds a cap."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests
from botocore.exceptions import ClientError

from presignlab.locals3.server import LocalS3
from presignlab.signing import sigv4
from support.locals3 import (
    error_code,
    read_answer,
    sign_v4_headers,
)

BUCKET = "limits-bucket"


@pytest.fixture
def bucket(local_s3: LocalS3) -> LocalS3:
    local_s3.client().create_bucket(Bucket=BUCKET)
    return local_s3


def _nested(depth: int) -> str:
    return '{"a":' * depth + '"x"' + "}" * depth


def _signed_put(server: LocalS3, target: str, body: bytes) -> requests.Response:
    url = f"{server.endpoint_url}{target}"
    headers = sign_v4_headers(server, "PUT", url, payload=hashlib.sha256(body).hexdigest())
    return requests.put(url, data=body, headers=headers, timeout=30)


def test_a_bucket_policy_nested_thousands_deep_is_malformed(bucket: LocalS3) -> None:
    statement = (
        '{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",'
        f'"Resource":"arn:aws:s3:::{BUCKET}/*","Condition":{{"StringEquals":{_nested(3000)}}}}}'
    )
    policy = '{"Version":"2012-10-17","Statement":[' + statement + "]}"
    answer = _signed_put(bucket, f"/{BUCKET}?policy", policy.encode())
    assert answer.status_code == 400 and error_code(answer.content) == "MalformedPolicy"


def test_a_bucket_policy_over_20_kb_is_too_large(bucket: LocalS3) -> None:
    statement = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": [f"arn:aws:s3:::{BUCKET}/k{i:05d}" for i in range(1200)],
    }
    policy = json.dumps({"Version": "2012-10-17", "Statement": [statement]}).encode()
    assert len(policy) > 20 * 1024
    answer = _signed_put(bucket, f"/{BUCKET}?policy", policy)
    assert answer.status_code == 400 and error_code(answer.content) == "MalformedPolicy"
    assert b"Policy exceeds the maximum allowed document size." in answer.content
    with pytest.raises(ClientError):
        bucket.client().get_bucket_policy(Bucket=BUCKET)


def test_an_iam_policy_nested_thousands_deep_is_malformed(bucket: LocalS3) -> None:
    iam = bucket.client("iam")
    iam.create_user(UserName="deep")
    with pytest.raises(ClientError) as info:
        iam.put_user_policy(UserName="deep", PolicyName="p", PolicyDocument=_nested(3000))
    assert info.value.response["Error"]["Code"] == "MalformedPolicyDocument"


def test_a_post_policy_nested_two_thousand_deep_is_an_invalid_policy(bucket: LocalS3) -> None:
    now = datetime.now(UTC)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    expiration = (now + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    document = '{"expiration":"' + expiration + '","conditions":[' + _nested(2000) + "]}"
    policy = base64.b64encode(document.encode()).decode()
    scope = sigv4.credential_scope(amz_date, "us-east-1")
    key = sigv4.signing_key(bucket.secret_access_key, amz_date, "us-east-1")
    fields = {
        "key": "deep.txt",
        "x-amz-algorithm": sigv4.ALGORITHM,
        "x-amz-credential": f"{bucket.access_key_id}/{scope}",
        "x-amz-date": amz_date,
        "policy": policy,
        "x-amz-signature": sigv4.signature(key, policy),
    }
    answer = requests.post(
        f"{bucket.endpoint_url}/{BUCKET}", data=fields, files={"file": ("d", b"x")}, timeout=30
    )
    assert answer.status_code == 400 and error_code(answer.content) == "InvalidPolicyDocument"


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)


@pytest.mark.parametrize(
    ("sub", "body"),
    [
        ("cors", LAUGHS + b"<CORSConfiguration><CORSRule><AllowedMethod>&lol2;</AllowedMethod>"
         b"<AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>"),
        ("tagging", LAUGHS + b"<Tagging><TagSet><Tag><Key>&lol2;</Key><Value>v</Value></Tag>"
         b"</TagSet></Tagging>"),
        ("tagging", b"<Tagging>" + b"<a>" * 10000 + b"</a>" * 10000 + b"</Tagging>"),
        ("cors", b"<CORSConfiguration><CORSRule>"),
    ],
)  # fmt: skip
def test_hostile_xml_bodies_are_malformed_xml(bucket: LocalS3, sub: str, body: bytes) -> None:
    answer = _signed_put(bucket, f"/{BUCKET}?{sub}", body)
    assert answer.status_code == 400 and error_code(answer.content) == "MalformedXML"


def test_a_config_body_over_its_bound_is_refused_while_streaming(bucket: LocalS3) -> None:
    """An HTTP-chunked body has no declared length: the bound holds while it streams."""
    sent = []

    def chunks() -> Iterator[bytes]:
        for _ in range(48):
            sent.append(1)
            yield b"<a>" * 21846  # 64 KiB a chunk, 3 MiB in all

    url = f"{bucket.endpoint_url}/{BUCKET}?tagging"
    headers = sign_v4_headers(bucket, "PUT", url, payload=sigv4.UNSIGNED_PAYLOAD)
    answer = requests.put(url, data=chunks(), headers=headers, timeout=30)
    assert answer.status_code == 413 and error_code(answer.content) == "RequestEntityTooLarge"
    declared = dict(headers, **{"Content-Length": str(3 * 1024 * 1024)})
    with socket.create_connection((bucket.host, bucket.port), timeout=10) as sock:
        target = url.split(str(bucket.port), 1)[1]
        head = f"PUT {target} HTTP/1.1\r\n" + "".join(f"{n}: {v}\r\n" for n, v in declared.items())
        sock.sendall(head.encode() + b"\r\n")
        assert error_code(read_answer(sock)) == "RequestEntityTooLarge"


# -- slow clients, crowds, early answers --------------------------------------------------------


@pytest.fixture
def quick() -> Iterator[LocalS3]:
    """A LocalS3 with a 1-second header deadline and room for 8 connections."""
    with LocalS3(socket_timeout=15, header_timeout=1.0, max_connections=8) as server:
        server.client().create_bucket(Bucket=BUCKET)
        yield server


def _connect(server: LocalS3) -> socket.socket:
    return socket.create_connection((server.host, server.port), timeout=15)


def test_a_client_trickling_its_headers_gets_request_timeout(quick: LocalS3) -> None:
    with _connect(quick) as sock:
        started = time.monotonic()
        answer = b""
        for byte in b"GET /limits-bucket HTTP/1.1\r\nHost: x\r\n":
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
            time.sleep(0.2)
            if time.monotonic() - started > 3:
                break
        answer = read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert error_code(answer) == "RequestTimeout"
    assert time.monotonic() - started < 6


def test_a_client_trickling_its_body_gets_request_timeout_and_stores_nothing(
    quick: LocalS3,
) -> None:
    url = quick.client().generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": "slow.txt"}
    )
    target = url.split(str(quick.port), 1)[1]
    head = (
        f"PUT {target} HTTP/1.1\r\nHost: {quick.host}:{quick.port}\r\nContent-Length: 100\r\n\r\n"
    )
    with _connect(quick) as sock:
        sock.sendall(head.encode())
        started = time.monotonic()
        while time.monotonic() - started < 4:
            try:
                sock.sendall(b"x")
            except OSError:
                break
            time.sleep(0.25)
        answer = read_answer(sock)
    assert b"RequestTimeout" in answer or b"IncompleteBody" in answer, answer[:300]
    with pytest.raises(ClientError):
        quick.client().head_object(Bucket=BUCKET, Key="slow.txt")


def test_beyond_the_connection_cap_a_client_gets_slow_down(quick: LocalS3) -> None:
    idle = [_connect(quick) for _ in range(8)]
    try:
        time.sleep(0.2)
        with _connect(quick) as extra:
            extra.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = read_answer(extra)
        assert answer.startswith(b"HTTP/1.1 503"), answer[:200]
        assert error_code(answer) == "SlowDown"
    finally:
        for sock in idle:
            sock.close()
    time.sleep(1.5)  # the idle connections reach their deadline and free their places
    assert quick.client().list_buckets()["Buckets"]


def test_300_trickling_clients_do_not_delay_a_normal_request(local_s3: LocalS3) -> None:
    local_s3.client().create_bucket(Bucket=BUCKET)
    stop = threading.Event()
    socks = [_connect(local_s3) for _ in range(300)]

    def trickle() -> None:
        while not stop.is_set():
            for sock in socks:
                with contextlib.suppress(OSError):
                    sock.send(b"G")
            stop.wait(1.0)

    worker = threading.Thread(target=trickle, daemon=True)
    worker.start()
    try:
        time.sleep(0.5)
        client = local_s3.client()
        started = time.monotonic()
        client.put_object(Bucket=BUCKET, Key="normal.txt", Body=b"fine")
        assert client.get_object(Bucket=BUCKET, Key="normal.txt")["Body"].read() == b"fine"
        assert time.monotonic() - started < 1.0
    finally:
        stop.set()
        worker.join()
        for sock in socks:
            sock.close()


def test_an_early_answer_does_not_hold_the_connection() -> None:
    """A 412 to a 64 KiB PUT is answered, then the connection closes long before the timeout."""
    with LocalS3(socket_timeout=15) as server:
        _early_answer(server)


def _early_answer(local_s3: LocalS3) -> None:
    client = local_s3.client()
    client.create_bucket(Bucket=BUCKET)
    client.put_object(Bucket=BUCKET, Key="taken.txt", Body=b"first")
    url = client.generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": "taken.txt", "IfNoneMatch": "*"}
    )
    target = url.split(str(local_s3.port), 1)[1]
    body = b"x" * 65536
    head = (
        f"PUT {target} HTTP/1.1\r\nHost: {local_s3.host}:{local_s3.port}\r\n"
        f"If-None-Match: *\r\nContent-Length: {len(body) * 4}\r\n\r\n"
    )
    with socket.create_connection((local_s3.host, local_s3.port), timeout=30) as sock:
        sock.sendall(head.encode() + body)  # a quarter of the body, then nothing
        started = time.monotonic()
        answer = read_answer(sock)
        closed_after = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 412"), answer[:200]
    assert closed_after < 5, closed_after
    assert client.get_object(Bucket=BUCKET, Key="taken.txt")["Body"].read() == b"first"
