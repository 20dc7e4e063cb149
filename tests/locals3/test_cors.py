"""CORS of the strict local S3: every row of reference §3, plus reading rules from moto."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto import mock_aws

from presignlab.locals3.backend.moto_app import strip_moto_cors_headers
from presignlab.locals3.cors import (
    NOT_ALLOWED_MESSAGE,
    VARY,
    actual_response_headers,
    bucket_cors_rules,
    preflight,
)
from presignlab.locals3.wire.errors import S3Error
from presignlab.signing.sent_request import SentRequest

RULES: list[dict[str, Any]] = [
    {
        "AllowedOrigins": ["http://localhost:8888"],
        "AllowedMethods": ["GET", "PUT"],
        "AllowedHeaders": ["x-amz-*", "Content-Type"],
        "ExposeHeaders": ["ETag", "x-amz-request-id"],
        "MaxAgeSeconds": 3000,
    },
    {"AllowedOrigins": ["http://*.origin.com"], "AllowedMethods": ["POST"]},
    {"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]},
]


def options(path: str = "/bucket/key", **headers: str) -> SentRequest:
    pairs = tuple((name.replace("_", "-"), value) for name, value in headers.items())
    return SentRequest("OPTIONS", "127.0.0.1:9000", path, (), pairs)


def refused(
    request: SentRequest, *, key: str | None = "key", rules: Any = RULES, exists: bool = True
) -> S3Error:
    with pytest.raises(S3Error) as info:
        preflight(request, bucket="bucket", key=key, rules=rules, bucket_exists=exists)
    return info.value


def shape(err: S3Error) -> tuple[int, str, str, tuple[tuple[str, str], ...]]:
    return err.status, err.code, err.message, tuple(err.extra)


# -- no Origin -------------------------------------------------------------------------------


@pytest.mark.parametrize(("rules", "exists"), [(RULES, True), ([], True), (None, False)])
def test_no_origin_is_bad_request_even_without_bucket(rules: Any, exists: bool) -> None:
    err = refused(options(Access_Control_Request_Method="PUT"), rules=rules, exists=exists)
    assert shape(err) == (
        400,
        "BadRequest",
        "Insufficient information. Origin request header needed.",
        (),
    )


def test_referer_is_not_an_origin() -> None:
    err = refused(
        options(Referer="http://localhost:8888/page", Access_Control_Request_Method="GET")
    )
    assert err.code == "BadRequest"


# -- no configuration / no bucket ------------------------------------------------------------


@pytest.mark.parametrize(("method", "echoed"), [("PUT", "PUT"), (None, "OPTIONS")])
def test_no_cors_config(method: str | None, echoed: str) -> None:
    headers = {"Origin": "http://localhost:8888"}
    if method:
        headers["Access_Control_Request_Method"] = method
    err = refused(options(**headers), key="key", rules=[])
    assert shape(err) == (
        403,
        "AccessForbidden",
        "CORSResponse: CORS is not enabled for this bucket.",
        (("Method", echoed), ("ResourceType", "BUCKET")),
    )


@pytest.mark.parametrize(("method", "echoed"), [("GET", "GET"), (None, "OPTIONS")])
def test_bucket_not_found(method: str | None, echoed: str) -> None:
    headers = {"Origin": "http://localhost:8888"}
    if method:
        headers["Access_Control_Request_Method"] = method
    err = refused(options(**headers), rules=None, exists=False)
    assert shape(err) == (
        403,
        "AccessForbidden",
        "CORSResponse: Bucket not found",
        (("Method", echoed), ("ResourceType", "BUCKET")),
    )


# -- no rule matches -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://other.test", "Access_Control_Request_Method": "PUT"},
        {"Origin": "http://localhost:8888", "Access_Control_Request_Method": "DELETE"},
        {
            "Origin": "http://localhost:8888",
            "Access_Control_Request_Method": "PUT",
            "Access_Control_Request_Headers": "x-custom",
        },
        {"Origin": "http://test.origin.com/", "Access_Control_Request_Method": "POST"},
        {
            "Origin": "http://test.origin.com",
            "Access_Control_Request_Method": "POST",
            "Access_Control_Request_Headers": "content-type",
        },
    ],
)
def test_no_rule_matches_object(headers: dict[str, str]) -> None:
    err = refused(options(**headers), key="key")
    assert shape(err) == (
        403,
        "AccessForbidden",
        NOT_ALLOWED_MESSAGE,
        (("Method", headers["Access_Control_Request_Method"]), ("ResourceType", "OBJECT")),
    )
    assert "evalution" in err.message


def test_no_rule_matches_bucket() -> None:
    err = refused(
        options("/bucket", Origin="http://other.test", Access_Control_Request_Method="PUT"),
        key=None,
    )
    assert tuple(err.extra) == (("Method", "PUT"), ("ResourceType", "BUCKET"))


# -- a rule matches --------------------------------------------------------------------------


def test_preflight_match_headers() -> None:
    request = options(
        Origin="http://localhost:8888",
        Access_Control_Request_Method="PUT",
        Access_Control_Request_Headers="Content-Type,X-Amz-Meta-Foo",
    )
    assert preflight(request, bucket="bucket", key="key", rules=RULES, bucket_exists=True) == [
        ("Content-Length", "0"),
        ("Access-Control-Allow-Origin", "http://localhost:8888"),
        ("Access-Control-Allow-Methods", "GET, PUT"),
        ("Access-Control-Allow-Headers", "content-type, x-amz-meta-foo"),
        ("Access-Control-Expose-Headers", "ETag, x-amz-request-id"),
        ("Access-Control-Max-Age", "3000"),
        ("Access-Control-Allow-Credentials", "true"),
        ("Vary", VARY),
    ]


def test_wildcard_origin_answers_star_without_credentials() -> None:
    request = options(Origin="http://anywhere.test", Access_Control_Request_Method="GET")
    headers = preflight(request, bucket="bucket", key="key", rules=RULES, bucket_exists=True)
    assert ("Access-Control-Allow-Origin", "*") in headers
    assert not any(name == "Access-Control-Allow-Credentials" for name, _ in headers)
    assert not any(name == "Access-Control-Allow-Headers" for name, _ in headers)
    assert not any(name == "Content-Type" for name, _ in headers)


def test_subdomain_wildcard_origin_is_echoed() -> None:
    request = options(Origin="http://test.origin.com", Access_Control_Request_Method="POST")
    headers = dict(preflight(request, bucket="bucket", key=None, rules=RULES, bucket_exists=True))
    assert headers["Access-Control-Allow-Origin"] == "http://test.origin.com"
    assert headers["Access-Control-Allow-Methods"] == "POST"


def test_allowed_headers_case_insensitive_and_spaces_optional() -> None:
    request = options(
        Origin="http://localhost:8888",
        Access_Control_Request_Method="GET",
        Access_Control_Request_Headers="CONTENT-TYPE, x-amz-date",
    )
    headers = dict(preflight(request, bucket="bucket", key="key", rules=RULES, bucket_exists=True))
    assert headers["Access-Control-Allow-Headers"] == "content-type, x-amz-date"


def test_first_matching_rule_wins() -> None:
    rules = [
        {"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": 1},
        {
            "AllowedOrigins": ["http://localhost:8888"],
            "AllowedMethods": ["GET"],
            "MaxAgeSeconds": 2,
        },
    ]
    request = options(Origin="http://localhost:8888", Access_Control_Request_Method="GET")
    headers = dict(preflight(request, bucket="bucket", key="key", rules=rules, bucket_exists=True))
    assert (
        headers["Access-Control-Max-Age"] == "1" and headers["Access-Control-Allow-Origin"] == "*"
    )


# -- actual requests -------------------------------------------------------------------------


def test_actual_request_gets_the_same_headers() -> None:
    request = SentRequest("PUT", "h", "/bucket/key", (), (("Origin", "http://localhost:8888"),))
    assert actual_response_headers(request, RULES) == [
        ("Access-Control-Allow-Origin", "http://localhost:8888"),
        ("Access-Control-Allow-Methods", "GET, PUT"),
        ("Access-Control-Expose-Headers", "ETag, x-amz-request-id"),
        ("Access-Control-Max-Age", "3000"),
        ("Access-Control-Allow-Credentials", "true"),
        ("Vary", VARY),
    ]


@pytest.mark.parametrize(
    ("method", "origin", "rules"),
    [
        ("DELETE", "http://localhost:8888", RULES),
        ("GET", None, RULES),
        ("GET", "http://localhost:8888", []),
        ("PUT", "http://other.test", RULES),
    ],
)
def test_actual_request_without_match_gets_nothing(
    method: str, origin: str | None, rules: Any
) -> None:
    headers = (("Origin", origin),) if origin else ()
    assert (
        actual_response_headers(SentRequest(method, "h", "/bucket/key", (), headers), rules) == []
    )


def test_strip_moto_cors_headers() -> None:
    headers = [
        ("Content-Type", "text/plain"),
        ("Access-Control-Allow-Origin", "*"),
        ("access-control-allow-methods", "GET"),
        ("Vary", "Origin"),
        ("Vary", "Accept-Encoding, Origin"),
        ("ETag", '"x"'),
    ]
    assert strip_moto_cors_headers(headers) == [
        ("Content-Type", "text/plain"),
        ("Vary", "Accept-Encoding"),
        ("ETag", '"x"'),
    ]


# -- rules from moto -------------------------------------------------------------------------


def test_bucket_cors_rules_from_moto() -> None:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="with-cors")
        client.create_bucket(Bucket="without-cors")
        client.put_bucket_cors(Bucket="with-cors", CORSConfiguration={"CORSRules": RULES[:2]})
        account = "123456789012"
        assert bucket_cors_rules(account, "with-cors") == RULES[:2]
        assert bucket_cors_rules(account, "without-cors") == []
        assert bucket_cors_rules(account, "missing") is None


def test_moto_already_answers_the_cors_configuration_rows() -> None:
    """GetBucketCors without a configuration and PutBucketCors with an unknown method (§3 "Also")
    are answered by moto exactly as AWS does, so the local S3 passes them through."""
    from botocore.exceptions import ClientError

    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="cors-config")
        with pytest.raises(ClientError) as missing:
            client.get_bucket_cors(Bucket="cors-config")
        assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        assert missing.value.response["Error"] == {
            "Code": "NoSuchCORSConfiguration",
            "Message": "The CORS configuration does not exist",
            "BucketName": "cors-config",
        }
        bad = {"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["MYMETHOD"]}]}
        with pytest.raises(ClientError) as unsupported:
            client.put_bucket_cors(Bucket="cors-config", CORSConfiguration=bad)
        assert unsupported.value.response["Error"]["Message"] == (
            "Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD"
        )
