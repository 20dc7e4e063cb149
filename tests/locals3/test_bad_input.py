"""Bad input gets a 4xx AWS XML answer, the server keeps serving, and nothing is stored."""

from __future__ import annotations

import hashlib
import logging
from urllib.parse import urlsplit

import pytest
import requests

from presignlab.locals3 import pipeline
from presignlab.locals3.server import LocalS3
from support.locals3 import (
    error_code,
    raw_request,
    sign_v4_headers,
)

BUCKET = "presign-lab-bad"


@pytest.fixture
def bucket(local_s3: LocalS3) -> LocalS3:
    local_s3.client().create_bucket(Bucket=BUCKET)
    return local_s3


def _still_serving_and_empty(server: LocalS3) -> None:
    assert server.client().list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def _presigned_put(server: LocalS3, key: str = "k.txt") -> str:
    return server.client().generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": key}
    )


def _target(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}", parts.netloc


def test_broken_percent_encoding_in_path(bucket: LocalS3) -> None:
    status, body = raw_request(bucket, f"GET /{BUCKET}/a%zzb HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert status == 400 and error_code(body) == "InvalidURI"
    _still_serving_and_empty(bucket)


def test_broken_percent_encoding_in_query(bucket: LocalS3) -> None:
    status, body = raw_request(
        bucket, f"GET /{BUCKET}/k?X-Amz-Date=%G1 HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    )
    assert status == 400 and error_code(body) == "InvalidURI"


def test_non_utf8_header_bytes(bucket: LocalS3) -> None:
    target, host = _target(_presigned_put(bucket))
    request = (
        f"PUT {target} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 2\r\n".encode()
        + b"x-amz-meta-name: caf\xe9\xff\r\n\r\nhi"
    )
    status, body = raw_request(bucket, request)
    assert status == 400 and error_code(body) == "InvalidArgument"
    assert b"<ArgumentName>x-amz-meta-name</ArgumentName>" in body
    _still_serving_and_empty(bucket)


def test_huge_header_line_and_huge_header_section(bucket: LocalS3) -> None:
    status, body = raw_request(
        bucket, b"GET / HTTP/1.1\r\nHost: x\r\nx-big: " + b"a" * 70000 + b"\r\n\r\n"
    )
    assert status == 400 and error_code(body) == "RequestHeaderSectionTooLarge"
    many = b"".join(b"x-amz-meta-h%d: %s\r\n" % (i, b"v" * 200) for i in range(60))
    status, body = raw_request(bucket, b"GET / HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    assert status == 400 and error_code(body) == "RequestHeaderSectionTooLarge"


def test_body_shorter_than_content_length(bucket: LocalS3) -> None:
    target, host = _target(_presigned_put(bucket))
    request = (
        f"PUT {target} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 100\r\n\r\n".encode() + b"x" * 10
    )
    status, body = raw_request(bucket, request, half_close=True)
    assert status == 400 and error_code(body) == "IncompleteBody"
    assert (
        b"You did not provide the number of bytes specified by the Content-Length HTTP header."
        in body
    )
    _still_serving_and_empty(bucket)


def test_put_without_content_length(bucket: LocalS3) -> None:
    target, host = _target(_presigned_put(bucket))
    status, body = raw_request(bucket, f"PUT {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    assert status == 411 and error_code(body) == "MissingContentLength"
    _still_serving_and_empty(bucket)


def test_http_chunked_put_is_not_implemented(bucket: LocalS3) -> None:
    url = _presigned_put(bucket)
    answer = requests.put(url, data=(part for part in (b"one ", b"two")), timeout=10)
    assert answer.request.headers.get("Transfer-Encoding") == "chunked"
    assert answer.status_code == 501 and error_code(answer.content) == "NotImplemented"
    assert "<Header>Transfer-Encoding</Header>" in answer.text
    _still_serving_and_empty(bucket)


def test_idle_client_times_out_without_hanging_a_worker() -> None:
    with LocalS3(socket_timeout=0.5) as server:
        server.client().create_bucket(Bucket=BUCKET)
        target, host = _target(_presigned_put(server))
        request = f"PUT {target} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 100\r\n\r\nxx".encode()
        status, body = raw_request(server, request)
        assert status == 400 and error_code(body) == "RequestTimeout"
        _still_serving_and_empty(server)


def test_content_sha256_mismatch(bucket: LocalS3) -> None:
    url = f"{bucket.endpoint_url}/{BUCKET}/k.txt"
    claimed = hashlib.sha256(b"something else").hexdigest()
    headers = sign_v4_headers(bucket, "PUT", url, payload=claimed)
    answer = requests.put(url, data=b"the real body", headers=headers, timeout=10)
    assert answer.status_code == 400 and error_code(answer.content) == "XAmzContentSHA256Mismatch"
    assert (
        b"The provided 'x-amz-content-sha256' header does not match what was computed."
        in answer.content
    )
    computed = hashlib.sha256(b"the real body").hexdigest()
    assert (
        f"<ClientComputedContentSHA256>{claimed}</ClientComputedContentSHA256>"
        f"<S3ComputedContentSHA256>{computed}</S3ComputedContentSHA256><RequestId>"
    ).encode() in answer.content
    _still_serving_and_empty(bucket)
    good = sign_v4_headers(bucket, "PUT", url, payload=computed)
    assert requests.put(url, data=b"the real body", headers=good, timeout=10).status_code == 200


def test_bad_signature_stores_nothing_and_ids_match(bucket: LocalS3) -> None:
    answer = requests.put(_presigned_put(bucket) + "0", data=b"x", timeout=10)
    assert answer.status_code == 403 and error_code(answer.content) == "SignatureDoesNotMatch"
    assert f"<RequestId>{answer.headers['x-amz-request-id']}</RequestId>".encode() in answer.content
    assert f"<HostId>{answer.headers['x-amz-id-2']}</HostId>".encode() in answer.content
    assert answer.headers["Content-Type"] == "application/xml"
    _still_serving_and_empty(bucket)


def test_unexpected_exception_is_a_logged_500(
    bucket: LocalS3,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(pipeline, "authenticate", broken)
    with caplog.at_level(logging.ERROR, logger="presignlab.locals3"):
        answer = requests.get(f"{bucket.endpoint_url}/{BUCKET}", timeout=10)
    assert answer.status_code == 500 and error_code(answer.content) == "InternalError"
    assert any("simulated bug" in (r.exc_text or "") or r.exc_info for r in caplog.records)
    captured = capsys.readouterr()
    assert "simulated bug" not in captured.out + captured.err


def test_one_server_header_like_s3(bucket: LocalS3) -> None:
    answer = requests.put(_presigned_put(bucket) + "0", data=b"x", timeout=10)
    assert answer.raw.headers.getlist("Server") == ["AmazonS3"]
