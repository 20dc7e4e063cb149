"""Answers carry AWS's header set (issue 11 item 9; RESP-02, RESP-03, RESP-09).

Every answer has ``x-amz-request-id`` and ``x-amz-id-2`` and none of the request-only headers
moto echoes (``x-amz-content-sha256``, ``x-amz-sdk-checksum-algorithm``) nor moto's
``x-amzn-RequestId``; object answers name SSE-S3 (``x-amz-server-side-encryption: AES256``)
when no other encryption applies; GetBucketEncryption answers the SSE-S3 default rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import pytest
import requests

from presignlab.locals3.server import LocalS3
from support.locals3 import recorded_case

BUCKET = "headers-bucket"
#: Headers S3 never sends back (RESP-03).
REQUEST_ONLY = ("x-amz-content-sha256", "x-amz-sdk-checksum-algorithm", "x-amzn-requestid")
_REQUEST_ID = re.compile(r"^[0-9A-F]{16}$")


@pytest.fixture
def s3(local_s3: LocalS3) -> LocalS3:
    local_s3.client().create_bucket(Bucket=BUCKET)
    return local_s3


def _headers(response: Mapping[str, Any]) -> dict[str, str]:
    return dict(response["ResponseMetadata"]["HTTPHeaders"])


def _assert_s3_header_set(headers: Mapping[str, str]) -> None:
    lower = {name.lower(): value for name, value in headers.items()}
    for name in REQUEST_ONLY:
        assert name not in lower, (name, lower)
    assert _REQUEST_ID.match(lower.get("x-amz-request-id", "")), lower
    assert lower.get("x-amz-id-2"), lower


def _put(server: LocalS3) -> dict[str, Any]:
    return dict(
        server.client().put_object(
            Bucket=BUCKET, Key="k.txt", Body=b"hello", ChecksumAlgorithm="SHA256"
        )
    )


def _multipart(server: LocalS3) -> list[dict[str, Any]]:
    client = server.client()
    created = client.create_multipart_upload(Bucket=BUCKET, Key="mpu.bin")
    part = client.upload_part(
        Bucket=BUCKET, Key="mpu.bin", UploadId=created["UploadId"], PartNumber=1, Body=b"data"
    )
    done = client.complete_multipart_upload(
        Bucket=BUCKET,
        Key="mpu.bin",
        UploadId=created["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]},
    )
    return [created, part, done]


OBJECT_ANSWERS: dict[str, Callable[[LocalS3], list[dict[str, Any]]]] = {
    "PutObject": lambda s: [_put(s)],
    "GetObject": lambda s: [_put(s), s.client().get_object(Bucket=BUCKET, Key="k.txt")],
    "HeadObject": lambda s: [_put(s), s.client().head_object(Bucket=BUCKET, Key="k.txt")],
    "CopyObject": lambda s: [
        _put(s),
        s.client().copy_object(Bucket=BUCKET, Key="copy.txt", CopySource=f"{BUCKET}/k.txt"),
    ],
    "multipart": _multipart,
}


@pytest.mark.parametrize("name", list(OBJECT_ANSWERS))
def test_object_answers_name_sse_s3_and_carry_s3_s_headers(s3: LocalS3, name: str) -> None:
    for response in OBJECT_ANSWERS[name](s3):
        headers = _headers(response)
        _assert_s3_header_set(headers)
        assert headers.get("x-amz-server-side-encryption") == "AES256", headers


def test_a_put_answer_has_no_content_type_as_recorded(s3: LocalS3) -> None:
    """HEADERS-PUT-OP: AWS's PutObject answer has no Content-Type (moto's framework adds one)."""
    recorded = recorded_case("HEADERS-PUT-OP")["response"]["headers"]  # type: ignore[index]
    assert "Content-Type" not in recorded
    headers = _headers(_put(s3))
    assert "content-type" not in headers
    assert headers["x-amz-server-side-encryption"] == recorded["x-amz-server-side-encryption"]


def test_a_presigned_post_answer_names_sse_s3(s3: LocalS3) -> None:
    post = s3.client().generate_presigned_post(BUCKET, "posted.txt")
    answer = requests.post(
        post["url"], data=post["fields"], files={"file": ("a.txt", b"hi")}, timeout=10
    )
    assert answer.status_code == 204, answer.text
    assert answer.headers["x-amz-server-side-encryption"] == "AES256"
    _assert_s3_header_set(answer.headers)


def test_sse_s3_is_the_default_and_sse_kms_is_named_as_asked(s3: LocalS3) -> None:
    client = s3.client()
    plain = client.put_object(Bucket=BUCKET, Key="plain.txt", Body=b"x")
    kms = client.put_object(Bucket=BUCKET, Key="kms.txt", Body=b"x", ServerSideEncryption="aws:kms")
    assert _headers(plain)["x-amz-server-side-encryption"] == "AES256"
    assert _headers(kms)["x-amz-server-side-encryption"] == "aws:kms"


BUCKET_ANSWERS: dict[str, Callable[[Any], Any]] = {
    "ListBuckets": lambda c: c.list_buckets(),
    "ListObjectsV2": lambda c: c.list_objects_v2(Bucket=BUCKET),
    "GetBucketLocation": lambda c: c.get_bucket_location(Bucket=BUCKET),
    "HeadBucket": lambda c: c.head_bucket(Bucket=BUCKET),
    "GetBucketVersioning": lambda c: c.get_bucket_versioning(Bucket=BUCKET),
    "DeleteObject": lambda c: c.delete_object(Bucket=BUCKET, Key="absent"),
}


@pytest.mark.parametrize("name", list(BUCKET_ANSWERS))
def test_every_answer_has_request_ids_and_no_echoed_header(s3: LocalS3, name: str) -> None:
    headers = _headers(BUCKET_ANSWERS[name](s3.client()))
    _assert_s3_header_set(headers)
    assert "x-amz-server-side-encryption" not in headers


def test_a_304_echoes_no_request_only_header(s3: LocalS3) -> None:
    etag = _put(s3)["ETag"]
    url = s3.client().generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": "k.txt"}
    )
    answer = requests.get(url, headers={"If-None-Match": etag}, timeout=10)
    assert answer.status_code == 304
    _assert_s3_header_set(answer.headers)


def test_get_bucket_encryption_answers_the_sse_s3_default(s3: LocalS3) -> None:
    """RESP-09: a bucket with no configuration (new, or after DeleteBucketEncryption)."""
    client = s3.client()
    default = {
        "Rules": [
            {
                "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
                "BucketKeyEnabled": False,
            }
        ]
    }
    fresh = client.get_bucket_encryption(Bucket=BUCKET)
    assert fresh["ServerSideEncryptionConfiguration"] == default
    _assert_s3_header_set(_headers(fresh))
    client.delete_bucket_encryption(Bucket=BUCKET)
    again = client.get_bucket_encryption(Bucket=BUCKET)
    assert again["ServerSideEncryptionConfiguration"] == default
    rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}
    client.put_bucket_encryption(Bucket=BUCKET, ServerSideEncryptionConfiguration={"Rules": [rule]})
    got = client.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]
    assert got["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
