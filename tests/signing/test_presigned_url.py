"""parse_presigned_url: every failure path, every defect, and boto3's real URLs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from unittest import mock

import boto3
import botocore.auth
import pytest
from botocore.config import Config
from hypothesis import given, settings
from hypothesis import strategies as st

from presignlab.errors import PresignedUrlError
from presignlab.signing.presign import presign_v2, presign_v4
from presignlab.signing.presigned_url import (
    MAX_URL_LENGTH,
    PresignedUrl,
    _locate,
    parse_amz_date,
    parse_presigned_url,
)

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "FQoGZXIvYXdzEXAMPLE/token+with=chars"
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
SIGNER = {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY}


def v4(
    url: str = "https://examplebucket.s3.us-east-1.amazonaws.com/photos/cat.png", **kw: object
) -> str:
    options: dict[str, object] = {"region": "us-east-1", "now": NOW, "expires": 600, **SIGNER, **kw}
    return presign_v4("PUT", url, **options)  # type: ignore[arg-type]


def replace_param(url: str, name: str, value: str | None) -> str:
    """``url`` with query parameter ``name`` set to the raw ``value`` (None removes it)."""
    base, _, query = url.partition("?")
    items = [p for p in query.split("&") if p.partition("=")[0] != name]
    if value is not None:
        items.append(f"{name}={value}")
    return f"{base}?{'&'.join(items)}"


# --- failure paths: PresignedUrlError -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (None, "must be text, not NoneType"),
        (b"https://b.s3.amazonaws.com/k", "must be text, not bytes"),
        (42, "must be text, not int"),
        ("https://b.s3.amazonaws.com/k?X-Amz-Algorithm=" + "a" * MAX_URL_LENGTH, "characters long"),
        (
            "https://b.s3.amazonaws.com/a b?X-Amz-Algorithm=x",
            "space or control character (code 0x20)",
        ),
        ("https://b.s3.amazonaws.com/k?X-Amz-Date=1\n2", "code 0x0a"),
        ("https://b.s3.amazonaws.com/k\x00?Signature=x", "code 0x00"),
        ("https://b.s3.amazonaws.com/k\x7f?Signature=x", "code 0x7f"),
        ("ftp://b.s3.amazonaws.com/k?X-Amz-Algorithm=x", "not an http:// or https:// URL"),
        ("b.s3.amazonaws.com/k?X-Amz-Algorithm=x", "not an http:// or https:// URL"),
        ("https:///k?X-Amz-Algorithm=x", "not an http:// or https:// URL"),
        ("https://user@:443/k?X-Amz-Algorithm=x", "no host name"),
        (
            "https://b.s3.amazonaws.com:99999/k?X-Amz-Algorithm=x",
            "port is not a number from 0 to 65535",
        ),
        ("https://b.s3.amazonaws.com:http/k?X-Amz-Algorithm=x", "port is not a number"),
        ("https://[::1/k?X-Amz-Algorithm=x", "not a URL that can be read"),
        ("https://b.s3.amazonaws.com/k%2?X-Amz-Algorithm=x", "Broken percent-encoding in the path"),
        (
            "https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2",
            "Broken percent-encoding in the value",
        ),
        (
            "https://b.s3.amazonaws.com/k?X-Amz-%zzDate=1",
            "Broken percent-encoding in a query parameter name",
        ),
        ("https://b.s3.amazonaws.com/k", "no authentication parameters"),
        ("https://b.s3.amazonaws.com/k?versionId=3&x-id=GetObject", "no authentication parameters"),
    ],
)
def test_unreadable_input_raises_an_actionable_error(text: object, says: str) -> None:
    with pytest.raises(PresignedUrlError, match=None) as caught:
        parse_presigned_url(text)  # type: ignore[arg-type]
    assert says in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("signature", "says"),
    [
        ("aeeed9bb", "this one has 8 characters. The URL looks truncated"),
        ("", "this one has 0 characters"),
        ("a" * 65, "this one has 65 characters"),
        ("qLsbhe1V0mFKvbTXmZMhHR5ARxg%3D", "not base64); this one has 28 characters"),
        ("%21" * 64, "this one has 64 characters"),
    ],
)
def test_truncated_or_foreign_sigv4_signature_raises(signature: str, says: str) -> None:
    url = replace_param(v4(), "X-Amz-Signature", signature)
    with pytest.raises(PresignedUrlError) as caught:
        parse_presigned_url(url)
    assert says in str(caught.value) and "64 lower-case hex digits" in str(caught.value)


def test_upper_case_hex_signature_is_read_but_flagged() -> None:
    sig = parse_presigned_url(v4()).signature
    assert sig is not None
    parsed = parse_presigned_url(replace_param(v4(), "X-Amz-Signature", sig.upper()))
    assert parsed.signature == sig.upper()
    assert [(d.code, d.parameter) for d in parsed.defects] == [
        ("malformed-signature", "X-Amz-Signature")
    ]
    assert "lower-case" in parsed.defects[0].message


@pytest.mark.parametrize(
    "signature", ["abc%3D", "qLsbhe1V0mFKvbTXmZMhHR5ARx", "qLsbhe1V0mFKvbTXmZMhHR5ARxg%3D%3D"]
)
def test_truncated_sigv2_signature_raises(signature: str) -> None:
    url = f"https://s3.amazonaws.com/b/k?AWSAccessKeyId={ACCESS_KEY}&Expires=1714564800&Signature={signature}"
    with pytest.raises(PresignedUrlError, match="28 base64 characters"):
        parse_presigned_url(url)


def test_sigv2_signature_with_a_bare_plus_is_read_as_a_space_and_flagged() -> None:
    url = f"https://s3.amazonaws.com/b/k?AWSAccessKeyId={ACCESS_KEY}&Expires=1714564800&Signature=ab+d/0123456789012345678901%3D"
    parsed = parse_presigned_url(url)
    assert parsed.signature == "ab d/0123456789012345678901="
    assert [d.code for d in parsed.defects] == ["malformed-signature"]
    assert "%2B" in parsed.defects[0].message
    encoded = url.replace("ab+d", "ab%2Bd")
    assert parse_presigned_url(encoded).signature == "ab+d/0123456789012345678901="
    assert parse_presigned_url(encoded).defects == ()


# --- defects: readable but wrong ----------------------------------------------------------------


def codes(url: str) -> list[tuple[str, str]]:
    return [(d.code, d.parameter) for d in parse_presigned_url(url).defects]


@pytest.mark.parametrize(
    "name",
    [
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Signature",
        "X-Amz-Date",
        "X-Amz-SignedHeaders",
        "X-Amz-Expires",
    ],
)
def test_each_missing_sigv4_parameter_is_a_defect(name: str) -> None:
    url = replace_param(v4(), name, None)
    parsed = parse_presigned_url(url)
    assert [(d.code, d.parameter) for d in parsed.defects] == [("missing-auth-parameter", name)]
    assert (
        "requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature"
        in parsed.defects[0].message
    )


def test_all_missing_but_one_lists_them_in_awss_order() -> None:
    url = "https://b.s3.amazonaws.com/k?X-Amz-Date=20240501T120000Z"
    assert codes(url) == [
        (
            "missing-auth-parameter",
            "X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-SignedHeaders, X-Amz-Expires",
        )
    ]


@pytest.mark.parametrize("name", ["AWSAccessKeyId", "Expires", "Signature"])
def test_each_missing_sigv2_parameter_is_a_defect(name: str) -> None:
    url = presign_v2("GET", "https://s3.amazonaws.com/b/k", expires_at=NOW, **SIGNER)
    parsed = parse_presigned_url(replace_param(url, name, None))
    assert [(d.code, d.parameter) for d in parsed.defects] == [("missing-auth-parameter", name)]
    assert (
        "requires the Signature, Expires and AWSAccessKeyId parameters" in parsed.defects[0].message
    )


@pytest.mark.parametrize(
    "credential",
    [
        "AKIAIOSFODNN7EXAMPLE%252F20240501%252Fus-east-1%252Fs3%252Faws4_request",  # double-encoded
        "AKIAIOSFODNN7EXAMPLE%2F20240501%2Fus-east-1%2Fs3",  # four parts
        "AKIAIOSFODNN7EXAMPLE%2F20240501%2Fus-east-1%2Fs3%2Faws4_request%2Fextra",  # six parts
        "AKIAIOSFODNN7EXAMPLE%2F%2Fus-east-1%2Fs3%2Faws4_request",  # empty date
        "AKIAIOSFODNN7EXAMPLE%2F2024-05-01%2Fus-east-1%2Fs3%2Faws4_request",  # date not YYYYMMDD
        "AKIAIOSFODNN7EXAMPLE%2F20240501%2Fus-east-1%2Fs3%2Faws5_request",  # wrong terminator
        "",
    ],
)
def test_malformed_credential_variants(credential: str) -> None:
    parsed = parse_presigned_url(replace_param(v4(), "X-Amz-Credential", credential))
    assert [(d.code, d.parameter) for d in parsed.defects] == [
        ("malformed-credential", "X-Amz-Credential")
    ]


def test_double_encoded_credential_uses_awss_message() -> None:
    url = v4().replace("%2F", "%252F")
    (defect,) = parse_presigned_url(url).defects
    assert defect.message.startswith(
        "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed"
    )


@pytest.mark.parametrize(
    "value", ["2024-05-01T12:00:00Z", "20240501T120000", "20241301T120000Z", "20240501T250000Z", ""]
)
def test_bad_amz_date(value: str) -> None:
    parsed = parse_presigned_url(replace_param(v4(), "X-Amz-Date", value))
    assert [(d.code, d.parameter) for d in parsed.defects] == [("malformed-date", "X-Amz-Date")]
    assert parsed.signed_at is None and parsed.expires_at is None
    assert "ISO8601 Long Format" in parsed.defects[0].message


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("abc", "should be a number"),
        ("1.5", "should be a number"),
        ("", "should be a number"),
        ("-1", "must be non-negative"),
    ],
)
def test_bad_expires(value: str, says: str) -> None:
    parsed = parse_presigned_url(replace_param(v4(), "X-Amz-Expires", value))
    assert [(d.code, d.parameter) for d in parsed.defects] == [
        ("malformed-expires", "X-Amz-Expires")
    ]
    assert says in parsed.defects[0].message


def test_sigv2_expires_not_a_number() -> None:
    url = presign_v2("GET", "https://s3.amazonaws.com/b/k", expires_at=NOW, **SIGNER)
    parsed = parse_presigned_url(replace_param(url, "Expires", "tomorrow"))
    assert [(d.code, d.parameter) for d in parsed.defects] == [("malformed-expires", "Expires")]
    assert parsed.expires_at is None


def test_signed_headers_without_host() -> None:
    parsed = parse_presigned_url(
        replace_param(v4(), "X-Amz-SignedHeaders", "content-type%3Bx-amz-acl")
    )
    assert [(d.code, d.parameter) for d in parsed.defects] == [
        ("malformed-signed-headers", "X-Amz-SignedHeaders")
    ]
    assert parsed.signed_headers == ("content-type", "x-amz-acl")


# --- positive parses of boto3's URLs ------------------------------------------------------------


def boto3_url(
    region: str = "us-east-1",
    *,
    signature_version: str = "s3v4",
    style: str | None = None,
    endpoint_url: str | None = None,
    token: str | None = None,
    op: str = "put_object",
    s3_options: dict[str, object] | None = None,
    **params: object,
) -> str:
    s3: dict[str, object] = {"addressing_style": style} if style else {}
    s3.update(s3_options or {})
    config = Config(signature_version=signature_version, s3=s3)
    client = boto3.session.Session().client(
        "s3",
        region_name=region,
        endpoint_url=endpoint_url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=token,
        config=config,
    )
    with (
        mock.patch.object(botocore.auth, "get_current_datetime", lambda: NOW.replace(tzinfo=None)),
        mock.patch.object(botocore.auth.time, "time", lambda: NOW.timestamp()),
    ):
        return client.generate_presigned_url(
            op,
            Params={"Bucket": "examplebucket", "Key": "photos/cat 1+2.png", **params},
            ExpiresIn=600,
        )


@pytest.mark.parametrize(
    ("region", "style", "host", "addressing"),
    [
        ("us-east-1", "virtual", "examplebucket.s3.amazonaws.com", "virtual"),
        ("ap-southeast-2", None, "examplebucket.s3.amazonaws.com", "virtual"),  # boto3's choice
        ("us-east-1", "path", "s3.amazonaws.com", "path"),
        ("eu-central-1", "virtual", "examplebucket.s3.eu-central-1.amazonaws.com", "virtual"),
        ("eu-central-1", "path", "s3.eu-central-1.amazonaws.com", "path"),
        ("ap-southeast-2", "virtual", "examplebucket.s3.ap-southeast-2.amazonaws.com", "virtual"),
        ("cn-north-1", "virtual", "examplebucket.s3.cn-north-1.amazonaws.com.cn", "virtual"),
    ],
)
def test_boto3_sigv4_urls(region: str, style: str | None, host: str, addressing: str) -> None:
    parsed = parse_presigned_url(boto3_url(region, style=style))
    assert (parsed.version, parsed.scheme, parsed.host, parsed.hostname, parsed.port) == (
        "sigv4",
        "https",
        host,
        host,
        None,
    )
    assert (parsed.addressing, parsed.bucket, parsed.key) == (
        addressing,
        "examplebucket",
        "photos/cat 1+2.png",
    )
    assert (parsed.access_key_id, parsed.region, parsed.service) == (ACCESS_KEY, region, "s3")
    assert parsed.algorithm == "AWS4-HMAC-SHA256"
    assert (parsed.credential_date, parsed.amz_date) == ("20240501", "20240501T120000Z")
    assert parsed.signed_at == NOW
    assert parsed.expires_in == 600
    assert parsed.expires_at == NOW + timedelta(seconds=600)
    assert parsed.signed_headers == ("host",)
    assert parsed.required_headers == {}
    assert parsed.session_token_present is False
    assert parsed.signature is not None and len(parsed.signature) == 64
    assert parsed.defects == ()
    # the global endpoint with a bucket in front implies no region (DNS finds the bucket's)
    assert _locate(parsed.hostname, parsed.path)[3] in (region, None)


@pytest.mark.parametrize(
    ("options", "style", "host", "host_region"),
    [
        (
            {"use_dualstack_endpoint": True},
            "virtual",
            "examplebucket.s3.dualstack.us-west-2.amazonaws.com",
            "us-west-2",
        ),
        (
            {"use_dualstack_endpoint": True},
            "path",
            "s3.dualstack.us-west-2.amazonaws.com",
            "us-west-2",
        ),
        (
            {"use_accelerate_endpoint": True},
            "virtual",
            "examplebucket.s3-accelerate.amazonaws.com",
            None,
        ),
        (
            {"use_accelerate_endpoint": True, "use_dualstack_endpoint": True},
            "virtual",
            "examplebucket.s3-accelerate.dualstack.amazonaws.com",
            None,
        ),
    ],
)
def test_boto3_dualstack_and_accelerate_hosts(
    options: dict[str, object],
    style: str,
    host: str,
    host_region: str | None,
) -> None:
    parsed = parse_presigned_url(boto3_url("us-west-2", style=style, s3_options=options))
    assert (parsed.host, parsed.bucket, parsed.key, parsed.addressing) == (
        host,
        "examplebucket",
        "photos/cat 1+2.png",
        style,
    )
    assert (parsed.region, _locate(parsed.hostname, parsed.path)[3]) == ("us-west-2", host_region)


@pytest.mark.parametrize(
    ("hostname", "bucket", "region"),
    [
        ("s3.amazonaws.com", None, None),  # global: boto3 signs it for any region
        ("examplebucket.s3.amazonaws.com", "examplebucket", None),
        ("examplebucket.s3.eu-west-1.amazonaws.com", "examplebucket", "eu-west-1"),
        ("examplebucket.s3-eu-west-1.amazonaws.com", "examplebucket", "eu-west-1"),
        ("s3-eu-west-1.amazonaws.com", None, "eu-west-1"),
        ("s3-external-1.amazonaws.com", None, "us-east-1"),
        ("examplebucket.s3-external-1.amazonaws.com", "examplebucket", "us-east-1"),
        ("examplebucket.s3.dualstack.us-west-2.amazonaws.com", "examplebucket", "us-west-2"),
        ("s3.dualstack.us-west-2.amazonaws.com", None, "us-west-2"),
        ("examplebucket.s3-accelerate.amazonaws.com", "examplebucket", None),
        ("examplebucket.s3-accelerate.dualstack.amazonaws.com", "examplebucket", None),
        ("examplebucket.s3.cn-north-1.amazonaws.com.cn", "examplebucket", "cn-north-1"),
        ("s3.cn-northwest-1.amazonaws.com.cn", None, "cn-northwest-1"),
        ("examplebucket.s3-fips.us-gov-west-1.amazonaws.com", "examplebucket", "us-gov-west-1"),
        ("s3-fips.dualstack.us-east-1.amazonaws.com", None, "us-east-1"),
        ("examplebucket.s3-website-us-east-1.amazonaws.com", "examplebucket", "us-east-1"),
        ("examplebucket.s3-website.eu-west-1.amazonaws.com", "examplebucket", "eu-west-1"),
        (
            "myap-123456789012.s3-accesspoint.us-west-2.amazonaws.com",
            "myap-123456789012",
            "us-west-2",
        ),
        (
            "examplebucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com",
            "examplebucket",
            "us-east-1",
        ),
        ("vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com", None, "us-east-1"),
        ("my.dotted.s3.bucket.s3.eu-west-1.amazonaws.com", "my.dotted.s3.bucket", "eu-west-1"),
        ("s3.amazonaws.com.example.org", None, None),
        ("nots3.amazonaws.com", None, None),
        ("s3-control.us-west-2.amazonaws.com", None, None),
    ],
)
def test_aws_hosts(hostname: str, bucket: str | None, region: str | None) -> None:
    found = _locate(hostname, "/pathbucket/key")
    if bucket is None:
        assert found == ("pathbucket", "key", "path", region)
    else:
        assert found == (bucket, "pathbucket/key", "virtual", region)


@pytest.mark.parametrize(
    ("endpoint", "host", "port", "scheme"),
    [
        ("http://127.0.0.1:4566", "127.0.0.1:4566", 4566, "http"),
        ("http://localhost:9000", "localhost:9000", 9000, "http"),
        ("https://minio.example.com:9443", "minio.example.com:9443", 9443, "https"),
        ("https://storage.example.com", "storage.example.com", None, "https"),
    ],
)
def test_boto3_custom_endpoints_are_path_style(
    endpoint: str, host: str, port: int | None, scheme: str
) -> None:
    url = boto3_url("us-east-1", endpoint_url=endpoint, style="path")
    assert url.startswith(f"{endpoint}/examplebucket/photos/cat%201%2B2.png?")
    parsed = parse_presigned_url(url)
    assert (parsed.scheme, parsed.host, parsed.port) == (scheme, host, port)
    assert (parsed.addressing, parsed.bucket, parsed.key, parsed.region) == (
        "path",
        "examplebucket",
        "photos/cat 1+2.png",
        "us-east-1",
    )
    assert _locate(parsed.hostname, parsed.path)[3] is None
    assert parsed.defects == ()


def test_boto3_global_path_style_url_for_another_region_implies_no_host_region() -> None:
    client = boto3.session.Session().client(
        "s3",
        region_name="eu-west-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(signature_version="s3v4"),
    )
    url = client.generate_presigned_url(
        "get_object", Params={"Bucket": "b", "Key": "k"}
    )  # too short for a DNS name
    parsed = parse_presigned_url(url)
    assert (parsed.host, parsed.addressing, parsed.region) == (
        "s3.amazonaws.com",
        "path",
        "eu-west-1",
    )
    assert _locate(parsed.hostname, parsed.path)[3] is None


def test_ipv6_userinfo_and_default_port_hosts_are_the_host_header() -> None:
    assert parse_presigned_url(v4("http://[::1]:9000/b/k")).host == "[::1]:9000"
    assert (
        parse_presigned_url(v4("https://user:pw@S3.Example.COM:443/b/k")).host == "s3.example.com"
    )
    assert parse_presigned_url(v4("http://localhost:80/b/k")).host == "localhost"
    assert parse_presigned_url(v4("http://localhost:443/b/k")).host == "localhost:443"


def test_session_token_is_flagged_but_never_shown() -> None:
    url = boto3_url("eu-west-1", token=TOKEN)
    parsed = parse_presigned_url(url)
    assert parsed.session_token_present is True
    assert parsed.param("X-Amz-Security-Token") == TOKEN
    shown = json.dumps(parsed.to_dict())
    assert TOKEN not in shown and "FQoGZXIvYXdz" not in shown
    assert parsed.to_dict()["session_token_present"] is True


def test_put_with_content_type_acl_metadata_and_checksum_lists_required_headers() -> None:
    url = boto3_url(
        "us-west-2",
        ContentType="image/png",
        ACL="public-read",
        Metadata={"foo": "bar"},
        ChecksumSHA256="47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
    )
    parsed = parse_presigned_url(url)
    assert parsed.signed_headers == (
        "content-type",
        "host",
        "x-amz-acl",
        "x-amz-checksum-sha256",
        "x-amz-meta-foo",
    )
    assert parsed.required_headers == {
        "content-type": None,
        "x-amz-acl": None,
        "x-amz-checksum-sha256": None,
        "x-amz-meta-foo": None,
    }


def test_a_signed_header_hoisted_into_the_query_is_not_required_again() -> None:
    url = v4(headers={"x-amz-acl": "private", "x-amz-date": "20240501T120000Z"})
    url = replace_param(url, "x-amz-acl", "private")  # what the JS SDK v3 does with some x-amz-*
    parsed = parse_presigned_url(url)
    # X-Amz-Date the query parameter is not the x-amz-date header
    assert parsed.required_headers == {"x-amz-date": None}


def test_boto3_sigv2_url_with_hoisted_headers() -> None:
    url = boto3_url(
        "us-east-1",
        signature_version="s3",
        token=TOKEN,
        ContentType="image/png",
        ACL="public-read",
        Metadata={"foo": "bar"},
    )
    parsed = parse_presigned_url(url)
    assert (parsed.version, parsed.algorithm, parsed.service, parsed.region) == (
        "sigv2",
        "HmacSHA1",
        "s3",
        None,
    )
    assert (parsed.bucket, parsed.key, parsed.access_key_id) == (
        "examplebucket",
        "photos/cat 1+2.png",
        ACCESS_KEY,
    )
    assert parsed.expires_at == NOW + timedelta(seconds=600)
    assert parsed.required_headers == {"content-type": "image/png"}
    assert parsed.session_token_present is True
    assert TOKEN not in json.dumps(parsed.to_dict())
    assert {"x-amz-acl", "x-amz-meta-foo", "x-amz-security-token", "content-type"} <= set(
        parsed.signed_headers
    )
    assert parsed.signature is not None and len(parsed.signature) == 28
    assert parsed.defects == ()


def test_expiry_instant_and_to_dict() -> None:
    parsed = parse_presigned_url(v4(expires=604800))
    assert parsed.expires_at == datetime(2024, 5, 8, 12, 0, 0, tzinfo=UTC)
    view = parsed.to_dict()
    assert (
        view["signed_at"] == "2024-05-01T12:00:00Z" and view["expires_at"] == "2024-05-08T12:00:00Z"
    )
    assert json.loads(json.dumps(view)) == view
    assert isinstance(parsed, PresignedUrl)


def test_surrounding_white_space_is_ignored() -> None:
    assert parse_presigned_url(f"  {v4()}\n").signature == parse_presigned_url(v4()).signature


def test_parse_amz_date() -> None:
    assert parse_amz_date("20240501T120000Z") == NOW
    assert parse_amz_date("20240230T120000Z") is None
    assert parse_amz_date("") is None


# --- robustness: nothing but PresignedUrlError escapes ------------------------------------------

_URL_CHARS = st.one_of(
    st.sampled_from([*list(":/?#[]@!$&'()*+,;=%-._~ \n\t"), "%2", "%zz", "%C3", "X-Amz-", "="]),
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
)


def _read_or_refuse(text: str) -> None:
    try:
        parsed = parse_presigned_url(text)
    except PresignedUrlError as exc:
        assert str(exc)
    else:
        assert parsed.version in ("sigv4", "sigv2")
        json.dumps(parsed.to_dict())


@settings(max_examples=500)
@given(st.lists(_URL_CHARS, max_size=40).map("".join))
def test_arbitrary_text_is_read_or_refused_with_presigned_url_error(text: str) -> None:
    _read_or_refuse(text)
    _read_or_refuse(f"https://b.s3.amazonaws.com/{text}?X-Amz-Algorithm={text}")


@settings(max_examples=500)
@given(st.integers(min_value=0, max_value=400), st.lists(_URL_CHARS, max_size=4).map("".join))
def test_edited_boto3_urls_are_read_or_refused(at: int, insert: str) -> None:
    url = v4(headers={"Content-Type": "a/b"}, session_token=TOKEN)
    at = min(at, len(url))
    _read_or_refuse(url[:at] + insert + url[at:])
    _read_or_refuse(url[:at])
