"""parse_error_body: AWS-shaped bodies read; truncated, hostile and non-XML input refused clearly."""

from __future__ import annotations

import pytest

from presignlab.diagnosis.error_body import MAX_ERROR_BODY, parse_error_body
from presignlab.errors import ErrorBodyError
from support.diagnosis import error_xml, hexdump, signature_mismatch_body

CANONICAL = "PUT\n/k\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260301T120000Z\nhost:b\n\nhost\nUNSIGNED-PAYLOAD"


def test_signature_mismatch_body_exposes_what_s3_computed() -> None:
    body = parse_error_body(signature_mismatch_body(CANONICAL, "AWS4-HMAC-SHA256\nX", "ab" * 32))
    assert body.code == "SignatureDoesNotMatch"
    assert body.message.startswith("The request signature we calculated")
    assert body.canonical_request == CANONICAL  # '&amp;' unescaped, newlines kept
    assert body.string_to_sign == "AWS4-HMAC-SHA256\nX"
    assert body.get("SignatureProvided") == "ab" * 32
    assert "RequestId" not in body.to_dict() and "CanonicalRequestBytes" not in body.to_dict()


def test_bytes_win_over_text_and_localstack_hex_groups_are_read() -> None:
    grouped = CANONICAL.encode().hex(" ", 2).upper()  # LocalStack's format
    text = error_xml(
        "SignatureDoesNotMatch",
        "m",
        ("CanonicalRequest", "mangled"),
        ("CanonicalRequestBytes", grouped),
    )
    assert parse_error_body(text).canonical_request == CANONICAL
    assert (
        parse_error_body(
            error_xml("X", "m", ("CanonicalRequestBytes", hexdump("é")))
        ).canonical_request
        == "é"
    )


def test_every_code_of_the_reference_is_read() -> None:
    for code, message, extra in [
        (
            "AccessDenied",
            "Request has expired",
            [
                ("X-Amz-Expires", "300"),
                ("Expires", "2017-07-20T04:18:45Z"),
                ("ServerTime", "2017-07-20T04:18:55Z"),
            ],
        ),
        (
            "AccessDenied",
            "There were headers present in the request which were not signed",
            [("HeadersNotSigned", "x-amz-date, x-amz-decoded-content-length")],
        ),
        (
            "AuthorizationQueryParametersError",
            "Error parsing the X-Amz-Credential parameter; the region "
            "'us-east-1' is wrong; expecting 'eu-central-1'",
            [("Region", "eu-central-1")],
        ),
        (
            "InvalidToken",
            "The provided token is malformed or otherwise invalid.",
            [("Token-0", "abc")],
        ),
        (
            "AccessForbidden",
            "CORSResponse: CORS is not enabled for this bucket.",
            [("Method", "PUT"), ("ResourceType", "BUCKET")],
        ),
        (
            "EntityTooLarge",
            "Your proposed upload exceeds the maximum allowed size",
            [("ProposedSize", "12"), ("MaxSizeAllowed", "10")],
        ),
    ]:
        body = parse_error_body(error_xml(code, message, *extra).encode())
        assert (body.code, body.message) == (code, message)
        assert body.get(extra[0][0]) == extra[0][1]
    assert parse_error_body(
        error_xml("AccessDenied", "x", ("HeadersNotSigned", "x-amz-date, x-amz-meta-a"))
    ).headers_not_signed == ("x-amz-date", "x-amz-meta-a")


def test_http_dump_before_the_xml_is_skipped() -> None:
    dump = "HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\n\r\n" + error_xml(
        "AccessDenied", "Access Denied"
    )
    assert parse_error_body(dump).code == "AccessDenied"


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "not an S3 XML error body"),
        ("<html><body>502 Bad Gateway</body></html>", "not an S3 XML error body"),
        ("Access Denied", "not an S3 XML error body"),
        (error_xml("SignatureDoesNotMatch", "m")[:60], "truncated"),
        ('<?xml version="1.0"?><ListBucketResult></ListBucketResult>', "not <Error>"),
        ("<Error><Message>no code</Message></Error>", "no <Code>"),
        (
            '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><Error><Code>&b;</Code></Error>',
            "entity",
        ),
        ('<!doctype x SYSTEM "file:///etc/passwd"><Error><Code>x</Code></Error>', "DOCTYPE"),
        (b"\xff\xfe<Error>", "truncated"),
    ],
)
def test_bad_input_raises_a_clear_error_body_error(text: str | bytes, words: str) -> None:
    with pytest.raises(ErrorBodyError, match=words):
        parse_error_body(text)


def test_size_is_bounded_and_non_text_refused() -> None:
    with pytest.raises(ErrorBodyError, match="bytes"):
        parse_error_body(b"<Error>" + b" " * MAX_ERROR_BODY)
    with pytest.raises(ErrorBodyError):
        parse_error_body(42)  # type: ignore[arg-type]
