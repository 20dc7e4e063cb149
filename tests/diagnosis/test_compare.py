"""compare_canonical_requests: differences by component, and the notebook / terminal views."""

from __future__ import annotations

import io

from presignlab.diagnosis import (
    actual_canonical_request,
    compare_canonical_requests,
    compare_sigv2_strings_to_sign,
    expected_canonical_request,
    parse_canonical_request,
)
from presignlab.diagnosis.render import wants_color
from presignlab.signing.presigned_url import parse_presigned_url
from presignlab.signing.sent_request import SentRequest, sigv2_string_to_sign
from support.diagnosis import v2, v4


def _kinds(comparison, component):  # type: ignore[no-untyped-def]
    return {(d.name, d.kind) for d in comparison.by_component(component)}


def test_identical_requests_match() -> None:
    url = v4(headers={"Content-Type": "image/png"})
    same = expected_canonical_request(url, "PUT", {"Content-Type": "image/png"})
    comparison = compare_canonical_requests(
        same, actual_canonical_request(url, "PUT", {"Content-Type": "image/png"})
    )
    assert comparison.matches and not comparison.differences
    assert "identical" in comparison.to_text()


def test_each_component_is_named() -> None:
    url = v4(headers={"Content-Type": "image/png", "x-amz-meta-a": "1"})
    expected = expected_canonical_request(
        url, "PUT", {"Content-Type": "image/png", "x-amz-meta-a": "1"}
    )
    edited = url.replace("X-Amz-Expires=3600", "X-Amz-Expires=60") + "&x-id=PutObject"
    actual = actual_canonical_request(edited, "POST", {"Content-Type": "text/plain"})
    comparison = compare_canonical_requests(expected, actual)
    assert _kinds(comparison, "method") == {("method", "changed")}
    assert _kinds(comparison, "query") == {("X-Amz-Expires", "changed"), ("x-id", "added")}
    assert _kinds(comparison, "header") == {
        ("content-type", "changed"),
        ("x-amz-meta-a", "missing"),
    }
    assert not comparison.by_component("uri") and not comparison.by_component("payload")
    removed = compare_canonical_requests(actual, expected)
    assert ("x-id", "removed") in _kinds(removed, "query")
    assert ("x-amz-meta-a", "extra") in _kinds(removed, "header")


def test_uri_signed_headers_payload_strings_to_sign_and_signatures() -> None:
    a = "PUT\n/a%20b\n\nhost:h\n\nhost\nUNSIGNED-PAYLOAD"
    b = "PUT\n/a%2Bb\n\nhost:h\nx-amz-acl:private\n\nhost;x-amz-acl\nabc"
    comparison = compare_canonical_requests(
        a,
        b,
        expected_string_to_sign="A\nd\ns\n1",
        actual_string_to_sign="A\nd\ns\n2",
        expected_signature="e",
        actual_signature="f",
    )
    assert {d.component for d in comparison.differences} == {
        "uri",
        "header",
        "signed-headers",
        "payload",
        "string-to-sign",
        "signature",
    }
    assert comparison.by_component("string-to-sign")[0].name == "canonical-request-hash"


def test_parse_canonical_request_never_raises_on_fragments() -> None:
    for text in ("", "PUT", "PUT\n/", "\n\n\n\n\n\n\n", "PUT\n/\na=1&b\nhost:x"):
        parse_canonical_request(text)
    parts = parse_canonical_request(
        "GET\n/k\na=1&b=\nhost:x\nx-amz-acl:\n\nhost;x-amz-acl\nUNSIGNED-PAYLOAD"
    )
    assert parts.query == (("a", "1"), ("b", "")) and parts.headers == (
        ("host", "x"),
        ("x-amz-acl", ""),
    )
    assert parts.signed_headers == ("host", "x-amz-acl") and parts.payload == "UNSIGNED-PAYLOAD"


def test_sigv2_strings_to_sign() -> None:
    url = parse_presigned_url(v2(headers={"Content-Type": "image/png"}))
    expires = url.param("Expires") or ""
    sent = SentRequest("PUT", url.host, url.path, url.query, (("Content-Type", "image/png"),))
    got = SentRequest(
        "PUT",
        url.host,
        url.path,
        url.query,
        (("Content-Type", "text/plain"), ("x-amz-acl", "private")),
    )
    comparison = compare_sigv2_strings_to_sign(
        sigv2_string_to_sign(sent, url.path, expires), sigv2_string_to_sign(got, url.path, expires)
    )
    assert {(d.component, d.kind) for d in comparison.differences} == {
        ("content-type", "changed"),
        ("header", "extra"),
    }


def test_html_table_escapes_and_highlights_only_differing_rows() -> None:
    a = "PUT\n/<script>\n\nhost:h\n\nhost\nUNSIGNED-PAYLOAD"
    b = "GET\n/<script>\n\nhost:h\n\nhost\nUNSIGNED-PAYLOAD"
    html = compare_canonical_requests(a, b)._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("background:#ffe3e3") == 1 and "<table" in html


def test_text_is_aligned_and_coloured_only_when_asked() -> None:
    a = "PUT\n/k\n\nhost:h\n\nhost\nUNSIGNED-PAYLOAD"
    b = "GET\n/k\n\nhost:h\n\nhost\nUNSIGNED-PAYLOAD"
    comparison = compare_canonical_requests(a, b)
    plain = comparison.to_text(color=False)
    assert "\x1b[" not in plain and "\x1b[" in comparison.to_text(color=True)
    rows = [line for line in plain.splitlines() if line[2:].startswith(("method", "uri"))]
    assert rows[0].startswith("! method") and rows[1].startswith("  uri")
    assert rows[0].index("PUT") == rows[1].index("/k")  # the expected column is aligned
    assert not wants_color(None, io.StringIO()) and "\x1b[" not in comparison.to_text(
        stream=io.StringIO()
    )

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert wants_color(None, Tty()) or "NO_COLOR" in __import__("os").environ
