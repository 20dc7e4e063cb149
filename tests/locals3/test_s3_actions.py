"""Unit tests of the S3 request -> IAM action / resource / condition context mapping."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from presignlab.locals3.authn.identity import Principal
from presignlab.locals3.authz.actions import (
    acl_headers,
    request_context,
    s3_operation,
)
from presignlab.locals3.wire.errors import S3Error
from presignlab.signing.sent_request import SentRequest

NOW = datetime(2026, 11, 29, 4, 0, 5, tzinfo=UTC)


def req(method: str, query: str = "", headers: tuple[tuple[str, str], ...] = ()) -> SentRequest:
    pairs = tuple((p.partition("=")[0], p.partition("=")[2]) for p in query.split("&") if p)
    return SentRequest(method, "localhost:9000", "/", pairs, headers)


@pytest.mark.parametrize(
    ("method", "query", "key", "name", "action"),
    [
        ("PUT", "", "k", "PutObject", "s3:PutObject"),
        ("GET", "", "k", "GetObject", "s3:GetObject"),
        ("HEAD", "", "k", "HeadObject", "s3:GetObject"),
        ("GET", "versionId=v1", "k", "GetObject", "s3:GetObjectVersion"),
        ("DELETE", "", "k", "DeleteObject", "s3:DeleteObject"),
        ("DELETE", "versionId=v1", "k", "DeleteObject", "s3:DeleteObjectVersion"),
        ("PUT", "acl=", "k", "PutObjectAcl", "s3:PutObjectAcl"),
        ("PUT", "acl=&versionId=v", "k", "PutObjectAcl", "s3:PutObjectVersionAcl"),
        ("GET", "acl=", "k", "GetObjectAcl", "s3:GetObjectAcl"),
        ("PUT", "tagging=", "k", "PutObjectTagging", "s3:PutObjectTagging"),
        ("DELETE", "tagging=", "k", "DeleteObjectTagging", "s3:DeleteObjectTagging"),
        ("POST", "uploads=", "k", "CreateMultipartUpload", "s3:PutObject"),
        ("PUT", "partNumber=1&uploadId=u", "k", "UploadPart", "s3:PutObject"),
        ("POST", "uploadId=u", "k", "CompleteMultipartUpload", "s3:PutObject"),
        ("DELETE", "uploadId=u", "k", "AbortMultipartUpload", "s3:AbortMultipartUpload"),
        ("GET", "uploadId=u", "k", "ListParts", "s3:ListMultipartUploadParts"),
        ("GET", "X-Amz-Date=x&response-content-type=a", "k", "GetObject", "s3:GetObject"),
        ("PUT", "", None, "CreateBucket", "s3:CreateBucket"),
        ("DELETE", "", None, "DeleteBucket", "s3:DeleteBucket"),
        ("GET", "", None, "ListObjects", "s3:ListBucket"),
        ("GET", "list-type=2&prefix=a", None, "ListObjectsV2", "s3:ListBucket"),
        ("HEAD", "", None, "HeadBucket", "s3:ListBucket"),
        ("GET", "versions=", None, "ListObjectVersions", "s3:ListBucketVersions"),
        ("GET", "uploads=", None, "ListMultipartUploads", "s3:ListBucketMultipartUploads"),
        ("PUT", "policy=", None, "PutBucketPolicy", "s3:PutBucketPolicy"),
        ("GET", "policy=", None, "GetBucketPolicy", "s3:GetBucketPolicy"),
        ("DELETE", "policy=", None, "DeleteBucketPolicy", "s3:DeleteBucketPolicy"),
        ("PUT", "cors=", None, "PutBucketCors", "s3:PutBucketCORS"),
        ("GET", "cors=", None, "GetBucketCors", "s3:GetBucketCORS"),
        ("DELETE", "cors=", None, "DeleteBucketCors", "s3:PutBucketCORS"),
        (
            "PUT",
            "ownershipControls=",
            None,
            "PutBucketOwnershipControls",
            "s3:PutBucketOwnershipControls",
        ),
        (
            "DELETE",
            "publicAccessBlock=",
            None,
            "DeletePublicAccessBlock",
            "s3:PutBucketPublicAccessBlock",
        ),
        (
            "PUT",
            "publicAccessBlock=",
            None,
            "PutPublicAccessBlock",
            "s3:PutBucketPublicAccessBlock",
        ),
        ("PUT", "acl=", None, "PutBucketAcl", "s3:PutBucketAcl"),
        ("GET", "location=", None, "GetBucketLocation", "s3:GetBucketLocation"),
        ("POST", "delete=", None, "DeleteObjects", "s3:DeleteObject"),
        ("POST", "", None, "PostObject", "s3:PutObject"),
    ],
)
def test_operation_mapping(
    method: str, query: str, key: str | None, name: str, action: str
) -> None:
    op = s3_operation(req(method, query), "bkt", key)
    assert (op.name, op.action) == (name, action)
    star = name in ("DeleteObjects", "PostObject")
    expected = "arn:aws:s3:::bkt" + (f"/{key}" if key else "/*" if star else "")
    assert op.resource == expected


@pytest.mark.parametrize(
    ("method", "query", "key", "code"),
    [
        ("PATCH", "", None, "405 MethodNotAllowed"),
        ("POST", "", "k", "405 MethodNotAllowed"),
        ("GET", "acl=&policy=", None, "400 InvalidRequest"),
        ("GET", "analytics=", None, "501 NotImplemented"),
    ],
)
def test_requests_that_are_no_single_operation(
    method: str, query: str, key: str | None, code: str
) -> None:
    with pytest.raises(S3Error) as info:
        s3_operation(req(method, query), "bkt", key)
    assert str(info.value).startswith(code)


def test_object_attributes_need_the_header_that_names_them() -> None:
    wanted = (("x-amz-object-attributes", "ETag"),)
    op = s3_operation(req("GET", "attributes=&versionId=v", wanted), "bkt", "k")
    assert (op.name, op.action) == ("GetObjectAttributes", "s3:GetObjectVersionAttributes")
    assert s3_operation(req("GET", "attributes="), "bkt", "k").name == "GetObject"


def test_list_buckets() -> None:
    op = s3_operation(req("GET"), None, None)
    assert (op.name, op.action, op.resource) == (
        "ListBuckets",
        "s3:ListAllMyBuckets",
        "arn:aws:s3:::*",
    )


def test_acl_and_tagging_headers_need_more_actions() -> None:
    op = s3_operation(
        req("PUT", "", (("x-amz-acl", "public-read"), ("x-amz-tagging", "a=b"))), "bkt", "k"
    )
    assert op.requirements == (
        ("s3:PutObject", "arn:aws:s3:::bkt/k"),
        ("s3:PutObjectAcl", "arn:aws:s3:::bkt/k"),
        ("s3:PutObjectTagging", "arn:aws:s3:::bkt/k"),
    )
    hoisted = s3_operation(req("POST", "uploads=&x-amz-acl=private"), "bkt", "k")
    assert ("s3:PutObjectAcl", "arn:aws:s3:::bkt/k") in hoisted.also


def test_copy_needs_get_on_source() -> None:
    op = s3_operation(
        req("PUT", "", (("x-amz-copy-source", "/src/a%20b.txt?versionId=3"),)), "bkt", "k"
    )
    assert op.name == "CopyObject"
    assert op.also == (("s3:GetObjectVersion", "arn:aws:s3:::src/a b.txt"),)
    part = s3_operation(
        req("PUT", "partNumber=1&uploadId=u", (("x-amz-copy-source", "src/k"),)), "bkt", "k"
    )
    assert (part.name, part.also) == ("UploadPartCopy", (("s3:GetObject", "arn:aws:s3:::src/k"),))


def test_create_bucket_with_acl_and_ownership() -> None:
    op = s3_operation(
        req("PUT", "", (("x-amz-acl", "private"), ("x-amz-object-ownership", "ObjectWriter"))),
        "bkt",
        None,
    )
    assert [a for a, _ in op.also] == ["s3:PutBucketAcl", "s3:PutBucketOwnershipControls"]


def test_acl_headers_from_headers_and_query() -> None:
    request = req("PUT", "x-amz-grant-read=uri%3Dx", (("X-Amz-Acl", "private"),))
    assert acl_headers(request) == {"x-amz-acl": "private", "x-amz-grant-read": "uri%3Dx"}


def test_context_for_presigned_sigv4_put() -> None:
    request = req(
        "PUT",
        "X-Amz-Date=20261129T040000Z&x-amz-acl=bucket-owner-full-control",
        (("x-amz-server-side-encryption", "AES256"),),
    )
    alice = Principal("user", "123456789012", "arn:aws:iam::123456789012:user/alice", "alice")
    ctx = request_context(
        request, scheme="sigv4-query", now=NOW, principal=alice, user_id="AIDAEXAMPLE"
    )
    assert ctx["s3:authType"] == ["REST-QUERY-STRING"]
    assert ctx["s3:signatureversion"] == ["AWS4-HMAC-SHA256"]
    assert ctx["s3:signatureAge"] == ["5000"]
    assert ctx["s3:x-amz-acl"] == ["bucket-owner-full-control"]
    assert ctx["s3:x-amz-server-side-encryption"] == ["AES256"]
    assert ctx["aws:SecureTransport"] == ["false"]
    assert ctx["aws:SourceIp"] == ["127.0.0.1"]
    assert ctx["aws:username"] == ["alice"]
    assert ctx["aws:userid"] == ["AIDAEXAMPLE"]
    assert ctx["aws:PrincipalArn"] == [alice.arn]
    assert ctx["aws:PrincipalType"] == ["User"]
    assert ctx["aws:CurrentTime"] == ["2026-11-29T04:00:05Z"]


def test_context_for_other_schemes_and_callers() -> None:
    listing = req("GET", "prefix=home/&delimiter=/", (("Date", "Sun, 29 Nov 2026 04:00:00 GMT"),))
    ctx = request_context(listing, scheme="sigv2-header", now=NOW, source_ip="10.0.0.1")
    assert (ctx["s3:authType"], ctx["s3:signatureversion"]) == (["REST-HEADER"], ["AWS"])
    assert ctx["s3:signatureAge"] == ["0"]  # AUTHZ-07: always 0 for SigV2
    assert (ctx["s3:prefix"], ctx["s3:delimiter"], ctx["aws:SourceIp"]) == (
        ["home/"],
        ["/"],
        ["10.0.0.1"],
    )
    assert "aws:username" not in ctx
    anonymous = request_context(req("GET"), scheme="anonymous", now=NOW)
    assert "s3:authType" not in anonymous and "aws:PrincipalArn" not in anonymous
    post = request_context(req("POST"), scheme="sigv4-post", now=NOW)
    assert post["s3:authType"] == ["POST"]
    session = Principal(
        "assumed-role", "123456789012", "arn:aws:sts::123456789012:assumed-role/R/s", "R"
    )
    ctx = request_context(req("GET"), scheme="sigv4-header", now=NOW, principal=session)
    assert ctx["aws:PrincipalArn"] == ["arn:aws:iam::123456789012:role/R"]
    assert ctx["aws:PrincipalType"] == ["AssumedRole"] and "aws:username" not in ctx
    root = Principal("root", "123456789012", "arn:aws:iam::123456789012:root")
    assert request_context(req("GET"), scheme="sigv4-header", now=NOW, principal=root)[
        "aws:userid"
    ] == ["123456789012"]
