"""moto's refusals reach a client in AWS's words and envelope (issue 11 item 9).

Each case drives real requests through the strict local S3 and compares the error body with the
answer AWS recorded (``tests/data/aws_recorded``): status, Code, exact Message, the elements in
AWS's order, then RequestId and HostId in AWS's format (MPU-01 to MPU-08, RESP-01). The audit
table in docs/aws-behaviour.md ("moto's errors and AWS's answers") lists the same codes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from presignlab import presign_v4
from presignlab.locals3.server import LocalS3
from presignlab.locals3.wire.errors import S3Error
from support.locals3 import assert_recorded

BUCKET = "audit-bucket"
#: moto's envelope and words, none of which may reach a client (MPU-06).
MOTO_MARKS = (
    b'encoding="utf-8"',
    b"9Gjjt1m+cjU4OPvX9O9/8RuvnG41MRb",
    b"moto",
    b"might not have been uploaded",
    b"minimum allowed object size",
    b"The parts list must be specified in order",
    b"ObjectLockConfiguration<",
    b"Bucket is missing ObjectLockConfiguration",
    b"The target bucket for logging does not exist.",
)
_REQUEST_ID = re.compile(r"^[0-9A-F]{16}$")
_HOST_ID = re.compile(r"^[A-Za-z0-9+/]{72}$")


@pytest.fixture
def s3(local_s3: LocalS3) -> LocalS3:
    local_s3.client().create_bucket(Bucket=BUCKET)
    return local_s3


def _send(
    server: LocalS3,
    operation: str,
    params: dict[str, object],
    *,
    method: str,
    data: bytes = b"",
    headers: dict[str, str] | None = None,
) -> requests.Response:
    """``operation`` through a presigned URL (query auth), so the raw body comes back."""
    url = server.client().generate_presigned_url(operation, Params=params, HttpMethod=method)
    return requests.request(method, url, data=data, headers=headers or {}, timeout=10)


def _send_document(server: LocalS3, path: str, document: bytes) -> requests.Response:
    """A PUT of ``document`` to ``/BUCKET{path}`` (e.g. ``?tagging``) on a SigV4 presigned URL."""
    url = presign_v4(
        "PUT",
        f"{server.endpoint_url}/{BUCKET}{path}",
        access_key=server.access_key_id,
        secret_key=server.secret_access_key,
        region="us-east-1",
        now=datetime.now(UTC),
    )
    return requests.put(url, data=document, timeout=10)


def _upload(server: LocalS3, key: str, *parts: bytes) -> tuple[str, list[str]]:
    client = server.client()
    upload_id = client.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]
    etags = [
        client.upload_part(Bucket=BUCKET, Key=key, UploadId=upload_id, PartNumber=n, Body=body)[
            "ETag"
        ]
        for n, body in enumerate(parts, start=1)
    ]
    return upload_id, etags


def _complete_document(*parts: tuple[int, str]) -> bytes:
    listed = "".join(
        f"<Part><PartNumber>{n}</PartNumber><ETag>{etag}</ETag></Part>" for n, etag in parts
    )
    return f"<CompleteMultipartUpload>{listed}</CompleteMultipartUpload>".encode()


def _complete(server: LocalS3, key: str, upload_id: str, document: bytes) -> requests.Response:
    return _send(
        server,
        "complete_multipart_upload",
        {"Bucket": BUCKET, "Key": key, "UploadId": upload_id},
        method="POST",
        data=document,
    )


def _assert_aws_envelope(answer: requests.Response) -> None:
    """RequestId and HostId last, in AWS's shapes, equal to the headers (RESP-01)."""
    root = ET.fromstring(answer.content)
    assert answer.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Error>')
    request_id, host_id = root.findtext("RequestId") or "", root.findtext("HostId") or ""
    assert _REQUEST_ID.match(request_id), request_id
    assert _HOST_ID.match(host_id), host_id
    assert answer.headers["x-amz-request-id"] == request_id
    assert answer.headers["x-amz-id-2"] == host_id
    words = re.sub(rb"<(RequestId|HostId)>[^<]*</\1>", b"", answer.content)
    for mark in MOTO_MARKS:
        assert mark not in words, mark


# -- MPU-01: the case, word for word ----------------------------------------------------


def test_a_wrong_etag_on_completion_is_aws_s_invalid_part(s3: LocalS3) -> None:
    upload_id, _ = _upload(s3, "mpu.bin", b"data")
    wrong = "d41d8cd98f00b204e9800998ecf8427e"
    answer = _complete(s3, "mpu.bin", upload_id, _complete_document((1, f'"{wrong}"')))
    assert answer.status_code == 400
    root = ET.fromstring(answer.content)
    assert [child.tag for child in root] == [
        "Code", "Message", "UploadId", "PartNumber", "ETag", "RequestId", "HostId",
    ]  # fmt: skip
    assert root.findtext("Message") == (
        "One or more of the specified parts could not be found.  The part may not have been "
        "uploaded, or the specified entity tag may not match the part's entity tag."
    )
    assert root.findtext("UploadId") == upload_id
    assert (root.findtext("PartNumber"), root.findtext("ETag")) == ("1", wrong)
    assert_recorded("MPU-INVALID-PART-ETAG", answer.status_code, answer.content)
    _assert_aws_envelope(answer)


# -- the audit table, driven through real requests ----------------------------------------------


@dataclass(frozen=True)
class Case:
    """A request the backend refuses, and the recorded AWS answer it must get."""

    recorded: str
    run: Callable[[LocalS3], requests.Response]
    order: tuple[str, ...] | None = None


def _bucket_get(sub: str) -> Callable[[LocalS3], requests.Response]:
    def run(server: LocalS3) -> requests.Response:
        return _send(server, sub, {"Bucket": BUCKET}, method="GET")

    return run


def _no_ownership(server: LocalS3) -> requests.Response:
    server.client().delete_bucket_ownership_controls(Bucket=BUCKET)
    return _bucket_get("get_bucket_ownership_controls")(server)


def _no_public_access_block(server: LocalS3) -> requests.Response:
    server.client().delete_public_access_block(Bucket=BUCKET)
    return _bucket_get("get_public_access_block")(server)


def _part_number_wrong(server: LocalS3) -> requests.Response:
    upload_id, etags = _upload(server, "mpu.bin", b"data")
    return _complete(server, "mpu.bin", upload_id, _complete_document((2, etags[0])))


def _no_parts(server: LocalS3) -> requests.Response:
    upload_id, _ = _upload(server, "mpu.bin", b"data")
    return _complete(server, "mpu.bin", upload_id, b"<CompleteMultipartUpload/>")


def _too_small(server: LocalS3) -> requests.Response:
    upload_id, etags = _upload(server, "mpu.bin", b"data", b"data")
    return _complete(server, "mpu.bin", upload_id, _complete_document((1, etags[0]), (2, etags[1])))


def _unordered(server: LocalS3) -> requests.Response:
    upload_id, etags = _upload(server, "mpu.bin", b"data", b"data")
    return _complete(server, "mpu.bin", upload_id, _complete_document((2, etags[1]), (1, etags[0])))


def _no_such_upload(server: LocalS3) -> requests.Response:
    return _complete(server, "mpu.bin", "fakeid", _complete_document((1, "x")))


def _part_number_negative(server: LocalS3) -> requests.Response:
    upload_id, _ = _upload(server, "mpu.bin")
    params = {"Bucket": BUCKET, "Key": "mpu.bin", "UploadId": upload_id, "PartNumber": -1}
    return _send(server, "upload_part", params, method="PUT", data=b"data")


def _range_beyond(server: LocalS3) -> requests.Response:
    server.client().put_object(Bucket=BUCKET, Key="eight", Body=b"12345678")
    params = {"Bucket": BUCKET, "Key": "eight", "Range": "bytes=1024-4096"}
    return _send(server, "get_object", params, method="GET", headers={"Range": "bytes=1024-4096"})


def _if_match(server: LocalS3) -> requests.Response:
    server.client().put_object(Bucket=BUCKET, Key="k", Body=b"x")
    return _send(
        server, "get_object", {"Bucket": BUCKET, "Key": "k"}, method="GET",
        headers={"If-Match": '"0123"'},
    )  # fmt: skip


def _versioned(server: LocalS3) -> None:
    server.client().put_bucket_versioning(
        Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"}
    )


def _deleted_version(server: LocalS3) -> requests.Response:
    _versioned(server)
    client = server.client()
    version = client.put_object(Bucket=BUCKET, Key="test-delete", Body=b"x")["VersionId"]
    client.delete_object(Bucket=BUCKET, Key="test-delete", VersionId=version)
    params = {"Bucket": BUCKET, "Key": "test-delete", "VersionId": version}
    return _send(server, "get_object", params, method="GET")


def _not_empty(server: LocalS3) -> requests.Response:
    server.client().put_object(Bucket=BUCKET, Key="k", Body=b"x")
    return _send(server, "delete_bucket", {"Bucket": BUCKET}, method="DELETE")


def _not_empty_versioned(server: LocalS3) -> requests.Response:
    _versioned(server)
    server.client().put_object(Bucket=BUCKET, Key="k", Body=b"x")
    server.client().delete_object(Bucket=BUCKET, Key="k")
    return _send(server, "delete_bucket", {"Bucket": BUCKET}, method="DELETE")


def _tagging(*keys: str) -> bytes:
    tags = "".join(f"<Tag><Key>{k}</Key><Value>v</Value></Tag>" for k in keys)
    return f"<Tagging><TagSet>{tags}</TagSet></Tagging>".encode()


def _duplicate_bucket_tags(server: LocalS3) -> requests.Response:
    return _send_document(server, "?tagging", _tagging("Key1", "Key1"))


def _aws_prefixed_object_tag(server: LocalS3) -> requests.Response:
    server.client().put_object(Bucket=BUCKET, Key="k", Body=b"x")
    return _send_document(server, "/k?tagging", _tagging("aws:prefixed"))


def _lock_without_versioning(server: LocalS3) -> requests.Response:
    document = (
        b"<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>"
        b"</ObjectLockConfiguration>"
    )
    return _send(
        server, "put_object_lock_configuration", {"Bucket": BUCKET}, method="PUT", data=document
    )


def _retention_without_lock(server: LocalS3) -> requests.Response:
    server.client().put_object(Bucket=BUCKET, Key="k", Body=b"x")
    document = (
        b"<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>2100-01-01T00:00:00Z"
        b"</RetainUntilDate></Retention>"
    )
    return _send(
        server, "put_object_retention", {"Bucket": BUCKET, "Key": "k"}, method="PUT",
        data=document,
    )  # fmt: skip


def _copy_to_itself(server: LocalS3) -> requests.Response:
    server.client().put_object(Bucket=BUCKET, Key="k", Body=b"x")
    params = {"Bucket": BUCKET, "Key": "k", "CopySource": f"{BUCKET}/k"}
    return _send(
        server, "copy_object", params, method="PUT",
        headers={"x-amz-copy-source": f"{BUCKET}/k"},
    )  # fmt: skip


def _logging_target_missing(server: LocalS3) -> requests.Response:
    document = (
        b'<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LoggingEnabled>'
        b"<TargetBucket>no-such-target-bucket</TargetBucket><TargetPrefix>log/</TargetPrefix>"
        b"</LoggingEnabled></BucketLoggingStatus>"
    )
    return _send_document(server, "?logging", document)


def _replication_without_versioning(server: LocalS3) -> requests.Response:
    document = (
        b"<ReplicationConfiguration><Role>arn:aws:iam::123456789012:role/r</Role><Rule>"
        b"<ID>r</ID><Status>Enabled</Status><Prefix></Prefix><Destination>"
        b"<Bucket>arn:aws:s3:::other</Bucket></Destination></Rule></ReplicationConfiguration>"
    )
    return _send_document(server, "?replication", document)


CASES = {
    "NoSuchBucketPolicy": Case("CAT-113", _bucket_get("get_bucket_policy")),
    "NoSuchCORSConfiguration": Case("CAT-177", _bucket_get("get_bucket_cors")),
    "NoSuchTagSet": Case("CAT-146", _bucket_get("get_bucket_tagging")),
    "NoSuchWebsiteConfiguration": Case("CAT-052", _bucket_get("get_bucket_website")),
    "NoSuchLifecycleConfiguration": Case(
        "CAT-017", _bucket_get("get_bucket_lifecycle_configuration")
    ),
    "ReplicationConfigurationNotFoundError": Case("CAT-054", _bucket_get("get_bucket_replication")),
    "ObjectLockConfigurationNotFoundError": Case(
        "CAT-153", _bucket_get("get_object_lock_configuration")
    ),
    "OwnershipControlsNotFoundError": Case("CAT-156", _no_ownership),
    "NoSuchPublicAccessBlockConfiguration": Case("CAT-159", _no_public_access_block),
    "InvalidPart (part number)": Case("MPU-INVALID-PART-NUMBER", _part_number_wrong),
    "InvalidRequest (no parts)": Case("MPU-NO-PARTS", _no_parts),
    "EntityTooSmall": Case("MPU-PART-TOO-SMALL", _too_small),
    "InvalidPartOrder": Case("MPU-PARTS-UNORDERED", _unordered),
    "NoSuchUpload": Case("MPU-NO-SUCH-UPLOAD", _no_such_upload),
    "InvalidArgument (partNumber)": Case(
        "CAT-061", _part_number_negative, ("ArgumentName", "ArgumentValue")
    ),
    "InvalidRange": Case("CAT-002", _range_beyond, ("RangeRequested", "ActualObjectSize")),
    "PreconditionFailed": Case("CAT-019", _if_match),
    "NoSuchVersion": Case("CAT-140", _deleted_version, ("Key", "VersionId")),
    "BucketNotEmpty": Case("CAT-143", _not_empty),
    "BucketNotEmpty (versioned)": Case("CAT-142", _not_empty_versioned),
    "InvalidTag (duplicate keys)": Case("CAT-148", _duplicate_bucket_tags),
    "InvalidTag (aws: prefix)": Case("CAT-152", _aws_prefixed_object_tag),
    "InvalidBucketState": Case("CAT-154", _lock_without_versioning),
    "InvalidRequest (no Object Lock)": Case("CAT-086", _retention_without_lock),
    "InvalidRequest (copy to itself)": Case("CAT-072", _copy_to_itself),
    "InvalidTargetBucketForLogging": Case("CAT-075", _logging_target_missing),
    "InvalidRequest (replication)": Case("CAT-055", _replication_without_versioning),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_backend_refusal_is_answered_as_aws_recorded_it(s3: LocalS3, name: str) -> None:
    case = CASES[name]
    answer = case.run(s3)
    assert_recorded(case.recorded, answer.status_code, answer.content, order=case.order)
    _assert_aws_envelope(answer)


def test_logging_target_names_the_missing_bucket(s3: LocalS3) -> None:
    answer = _logging_target_missing(s3)
    assert ET.fromstring(answer.content).findtext("TargetBucket") == "no-such-target-bucket"


def test_a_refusal_aws_never_recorded_keeps_moto_s_code_and_not_its_words(s3: LocalS3) -> None:
    """CHOICE-95: ListParts with a negative max-parts (no AWS answer recorded) is moto's
    InvalidArgument with the kit's words, no elements, AWS's envelope."""
    upload_id, _ = _upload(s3, "mpu.bin")
    params = {"Bucket": BUCKET, "Key": "mpu.bin", "UploadId": upload_id, "MaxParts": -5}
    answer = _send(s3, "list_parts", params, method="GET")
    assert answer.status_code == 400
    root = ET.fromstring(answer.content)
    assert [child.tag for child in root] == ["Code", "Message", "RequestId", "HostId"]
    assert root.findtext("Code") == "InvalidArgument"
    assert b"Argument max-parts must be an integer" not in answer.content
    _assert_aws_envelope(answer)


# -- the translation itself, on bodies moto could send -------------------------------------------


def _translate(status: int, body: bytes, **changes: object) -> S3Error:
    """``backend.errors.s3_error_for`` on a GetObject of ``b/k`` (imported here: the module is
    the one this file tests, so each test fails on its own without it)."""
    from presignlab.locals3.backend.errors import ErrorContext, s3_error_for

    fields: dict[str, Any] = {
        "account_id": "123456789012", "method": "GET", "operation": "GetObject", "bucket": "b",
        "key": "k", **changes,
    }  # fmt: skip
    return s3_error_for(status, body, ErrorContext(**fields))


def _moto_body(inner: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<Error>' + inner + "<RequestId>abc</RequestId>"
        "<HostId>9Gjjt1m+cjU4OPvX9O9/8RuvnG41MRb/18Oux2o5H5MY7ISNTlXN+Dz9IG62/ILVxhAGI0qyPfg="
        "</HostId></Error>"
    ).encode()


def test_an_unknown_moto_code_keeps_status_and_code_in_the_kit_s_words() -> None:
    error = _translate(
        409, _moto_body("<Code>SomethingNew</Code><Message>moto says so</Message><X>1</X>")
    )
    assert (error.status, error.code, error.extra) == (409, "SomethingNew", ())
    assert "moto" not in error.message and error.message


@pytest.mark.parametrize(
    ("status", "body"),
    [(500, _moto_body("<Code>InternalError</Code><Message>boom</Message>")), (400, b"<html/>"),
     (400, b"not xml at all")],
)  # fmt: skip
def test_a_moto_failure_or_an_unreadable_answer_is_internal_error(status: int, body: bytes) -> None:
    error = _translate(status, body)
    assert (error.status, error.code) == (500, "InternalError")


def test_a_known_code_takes_aws_s_message_not_moto_s() -> None:
    body = _moto_body(
        "<Code>NoSuchVersion</Code><Message>The specified version does not exist.</Message>"
    )
    error = _translate(404, body, params={"versionId": "v1"})
    assert error.extra == (("Key", "k"), ("VersionId", "v1"))
