"""SentRequest, the SigV4/SigV2 texts S3 computes for it, and presign_v4 / presign_v2."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest

from presignlab.errors import PresignedUrlError
from presignlab.signing import sigv2, sigv4
from presignlab.signing.presign import presign_v2, presign_v4
from presignlab.signing.presigned_url import parse_presigned_url
from presignlab.signing.sent_request import (
    SentRequest,
    host_header,
    sigv2_string_to_sign,
    sigv4_canonical_request,
    sigv4_string_to_sign,
)

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
SIGNER = {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY}


# --- SentRequest ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://b.s3.amazonaws.com/k", "b.s3.amazonaws.com"),
        ("https://B.S3.AmazonAWS.com/k", "b.s3.amazonaws.com"),
        ("https://b.s3.amazonaws.com:443/k", "b.s3.amazonaws.com"),
        ("http://b.s3.amazonaws.com:80/k", "b.s3.amazonaws.com"),
        ("http://b.s3.amazonaws.com:443/k", "b.s3.amazonaws.com:443"),
        ("https://127.0.0.1:4566/k", "127.0.0.1:4566"),
        ("http://user:secret@localhost:9000/k", "localhost:9000"),
        ("http://[::1]:9000/k", "[::1]:9000"),
        ("https://[2001:DB8::1]/k", "[2001:db8::1]"),
        ("http://h:notaport/k", "h:notaport"),
    ],
)
def test_host_is_what_an_http_client_sends(url: str, host: str) -> None:
    assert host_header(url) == host
    assert SentRequest.to_url(url).host == host


def test_a_host_header_overrides_the_urls_host_and_leaves_the_headers() -> None:
    sent = SentRequest.to_url(
        "https://b.s3.amazonaws.com/k", "put", {"Host": " other:8080 ", "X-A": "1"}
    )
    assert (sent.method, sent.host, sent.headers) == ("PUT", "other:8080", (("X-A", "1"),))


def test_path_and_query_are_decoded() -> None:
    sent = SentRequest.to_url("https://h/b/a%20b+c%2Fd?x=1+2&y=%2B&z&x=3")
    assert sent.path == "/b/a b+c/d"
    assert sent.query == (("x", "1 2"), ("y", "+"), ("z", ""), ("x", "3"))
    assert sent.param("x") == "1 2" and sent.param("X") is None
    assert SentRequest.to_url("https://h").path == "/"


def test_broken_escapes_in_the_path_raise() -> None:
    with pytest.raises(PresignedUrlError, match="the path"):
        SentRequest.to_url("https://h/b/%zz")


def test_header_joins_repeated_values_case_insensitively() -> None:
    sent = SentRequest("GET", "h", "/", (), (("X-Amz-Meta-A", "1"), ("x-amz-meta-a", "2")))
    assert sent.header("X-AMZ-META-A") == "1,2"
    assert sent.header("missing") is None


# --- SigV4 canonical request ------------------------------------------------------------------


def _url(**kw: object) -> str:
    options: dict[str, object] = {"region": "us-east-1", "now": NOW, **SIGNER, **kw}
    return presign_v4("PUT", "https://b.s3.us-east-1.amazonaws.com/k.txt", **options)  # type: ignore[arg-type]


def test_canonical_headers_trim_and_collapse_values() -> None:
    url = _url(headers={"Content-Type": "  text/plain;   charset=utf-8 "})
    sent = SentRequest.to_url(url, "PUT", {"content-type": "text/plain; charset=utf-8"})
    canonical = sigv4_canonical_request(sent, ["content-type", "host"])
    assert (
        "\ncontent-type:text/plain; charset=utf-8\nhost:b.s3.us-east-1.amazonaws.com\n\ncontent-type;host\n"
        in canonical
    )


def test_a_signed_header_not_sent_is_an_empty_line() -> None:
    sent = SentRequest.to_url(_url(headers={"x-amz-acl": "private"}), "PUT")
    assert "\nhost:b.s3.us-east-1.amazonaws.com\nx-amz-acl:\n\n" in sigv4_canonical_request(
        sent, ["host", "x-amz-acl"]
    )


def test_a_signed_header_may_come_from_the_query() -> None:
    signed = _url(headers={"x-amz-acl": "private"})
    # the same value as a query parameter (as the JS SDK hoists it): the query string changes,
    # but the header line is the same as when the header is sent
    hoisted = SentRequest.to_url(signed + "&x-amz-acl=private", "PUT")
    as_header = SentRequest.to_url(signed + "&x-amz-acl=private", "PUT", {"x-amz-acl": "private"})
    signed_names = ["host", "x-amz-acl"]
    assert sigv4_canonical_request(hoisted, signed_names) == sigv4_canonical_request(
        as_header, signed_names
    )
    # the header sent wins over the query value
    other = SentRequest.to_url(signed + "&x-amz-acl=private", "PUT", {"x-amz-acl": "public-read"})
    assert "\nx-amz-acl:public-read\n" in sigv4_canonical_request(other, signed_names)


def test_auth_parameters_are_never_header_values() -> None:
    sent = SentRequest.to_url(_url(), "PUT")
    canonical = sigv4_canonical_request(sent, ["host", "x-amz-date", "x-amz-security-token"])
    assert "\nx-amz-date:\nx-amz-security-token:\n\n" in canonical


def test_a_host_pair_in_the_headers_is_not_counted_twice() -> None:
    sent = SentRequest("GET", "h:1", "/b/k", (), (("Host", "h:1"),))
    assert "\nhost:h:1\n\nhost\n" in sigv4_canonical_request(sent, ["host"])


def test_string_to_sign() -> None:
    to_sign = sigv4_string_to_sign("CR", "20240501T120000Z", "eu-west-1")
    assert (
        to_sign
        == f"AWS4-HMAC-SHA256\n20240501T120000Z\n20240501/eu-west-1/s3/aws4_request\n{sigv4.sha256_hex('CR')}"
    )


# --- presign_v4 ------------------------------------------------------------------------------


def test_presign_v4_query_order_and_existing_query() -> None:
    url = presign_v4(
        "GET",
        "https://h/b/k?versionId=3&response-content-type=a%2Fb",
        region="eu-west-1",
        now=NOW,
        session_token="tok/+=",
        **SIGNER,
    )
    names = [n for n, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)]
    assert names == [
        "versionId",
        "response-content-type",
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-SignedHeaders",
        "X-Amz-Security-Token",
        "X-Amz-Signature",
    ]
    assert "X-Amz-Security-Token=tok%2F%2B%3D" in url
    assert "response-content-type=a%2Fb" in url


def test_presign_v4_signature_verifies_with_the_steps() -> None:
    url = presign_v4(
        "PUT",
        "https://h:9000/b/a%20b",
        region="eu-west-1",
        now=NOW,
        expires=60,
        headers={"Content-Type": "text/plain"},
        **SIGNER,
    )
    parsed = parse_presigned_url(url)
    sent = SentRequest.to_url(url, "PUT", {"Content-Type": "text/plain"})
    to_sign = sigv4_string_to_sign(
        sigv4_canonical_request(sent, parsed.signed_headers), "20240501T120000Z", "eu-west-1"
    )
    key = sigv4.signing_key(SECRET_KEY, "20240501", "eu-west-1")
    assert sigv4.signature(key, to_sign) == parsed.signature
    assert parsed.signed_headers == ("content-type", "host")
    assert url.startswith("https://h:9000/b/a%20b?")  # the path is used as given (already encoded)


# --- SigV2 ---------------------------------------------------------------------------------------


def test_sigv2_string_to_sign_takes_amz_values_from_headers_then_query() -> None:
    sent = SentRequest.to_url(
        "https://s3.amazonaws.com/b/k?x-amz-acl=private&x-amz-meta-a=%20q%20&uploadId=7&x-id=PutObject",
        "put",
        {
            "Content-Type": " image/png ",
            "Content-MD5": "md5",
            "X-Amz-Meta-A": "header",
            "Range": "x",
        },
    )
    assert sigv2_string_to_sign(sent, "/b/k", "1714564800") == (
        "PUT\nmd5\nimage/png\n1714564800\nx-amz-acl:private\nx-amz-meta-a:header\n/b/k?uploadId=7"
    )


def test_sigv2_sub_resources_sorted_and_bare() -> None:
    sent = SentRequest.to_url(
        "https://s3.amazonaws.com/b/k?versionId=2&acl&response-content-type=a/b"
    )
    assert (
        sigv2_string_to_sign(sent, "/b/k", "1")
        == "GET\n\n\n1\n/b/k?acl&response-content-type=a/b&versionId=2"
    )


def test_presign_v2_default_url_is_unchanged() -> None:
    url = presign_v2("GET", "https://s3.amazonaws.com/b/k", expires_at=NOW, **SIGNER)
    names = [n for n, _ in parse_qsl(urlsplit(url).query)]
    assert names == ["AWSAccessKeyId", "Expires", "Signature"]


def test_presign_v2_session_token_and_hoisting() -> None:
    expires_at = NOW + timedelta(hours=1)
    headers = {"Content-Type": "image/png", "x-amz-acl": "public-read", "Cache-Control": "no-cache"}
    url = presign_v2(
        "PUT",
        "https://s3.amazonaws.com/b/k",
        expires_at=expires_at,
        headers=headers,
        session_token="tok+/=",
        hoist_headers=True,
        **SIGNER,
    )
    query = dict(parse_qsl(urlsplit(url).query))
    assert query["content-type"] == "image/png" and query["x-amz-acl"] == "public-read"
    assert query["x-amz-security-token"] == "tok+/=" and "cache-control" not in query
    # the uploader sends Content-Type; the x-amz-* values come from the query
    sent = SentRequest.to_url(url, "PUT", {"Content-Type": "image/png"})
    to_sign = sigv2_string_to_sign(sent, "/b/k", query["Expires"])
    assert to_sign.endswith("x-amz-acl:public-read\nx-amz-security-token:tok+/=\n/b/k")
    assert sigv2.signature_v2(SECRET_KEY, to_sign) == query["Signature"]
    not_hoisted = presign_v2(
        "PUT",
        "https://s3.amazonaws.com/b/k",
        expires_at=expires_at,
        headers=headers,
        session_token="tok+/=",
        **SIGNER,
    )
    assert dict(parse_qsl(urlsplit(not_hoisted).query))["Signature"] == query["Signature"]


def test_presign_v2_virtual_hosted_resource_path() -> None:
    url = presign_v2(
        "GET", "https://b.s3.amazonaws.com/k", expires_at=NOW, resource_path="/b/k", **SIGNER
    )
    path_style = presign_v2("GET", "https://s3.amazonaws.com/b/k", expires_at=NOW, **SIGNER)
    assert parse_presigned_url(url).signature == parse_presigned_url(path_style).signature
