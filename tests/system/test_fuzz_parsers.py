"""Fuzzing the three readers of user input with structured garbage (hypothesis).

``tests/signing/test_presigned_url.py`` feeds the URL parser short random text and edited boto3 URLs;
``tests/diagnosis/test_never_raises.py`` feeds ``diagnose`` mangled URLs, random methods and
headers, and short random error bodies. This file adds what those do not reach:

* URLs built from a grammar (schemes, AWS and local hosts, ports, paths with ``%`` garbage,
  real SigV4/SigV2 parameter names with real-looking and broken values, duplicates), lone
  surrogates, raw bytes and very long input;
* XML error bodies built from a grammar (S3's element names, hex ``...Bytes`` fields that are
  odd, upper-case or not hex, nesting, attributes, namespaces, comments, CDATA, BOMs, other
  encodings, truncation), arbitrary bytes, and entity-expansion attacks, into
  ``parse_error_body`` and into ``diagnose``.

The promise checked: a structured answer (a ``PresignedUrl``, an ``S3ErrorBody``, a
``Diagnosis`` whose verdict is ok / problems / invalid-input) or the module's own documented
error (``PresignedUrlError``, ``ErrorBodyError``), never another exception, never the secret.
"""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presignlab.diagnosis import diagnose, parse_error_body
from presignlab.errors import ErrorBodyError, PresignedUrlError
from presignlab.signing.presigned_url import PresignedUrl, parse_presigned_url
from support.diagnosis import PNG_HEADERS, SECRET_KEY, SOON, v2, v4

FAST = settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])

# --- the URL parser ------------------------------------------------------------------------------

_GARBAGE = st.sampled_from(
    ["%", "%2", "%zz", "%G1", "%00", "%2F", "%25", "%E2%82", "%C3%28", "%ff", "+", "&", "=",
     "?", "#", "/", ";", " ", "\t", "\u00e9", "\u20ac", "\ud800", "\x7f", ""]
)  # fmt: skip
_TEXT = st.text(max_size=10)
_PIECE = st.one_of(_GARBAGE, _TEXT, st.lists(_GARBAGE, max_size=3).map("".join))
_SCHEMES = st.sampled_from(["https://", "http://", "HTTPS://", "ftp://", "https:/", "", "//"])
_HOSTS = st.sampled_from(
    ["examplebucket.s3.amazonaws.com", "examplebucket.s3.eu-west-1.amazonaws.com",
     "s3.amazonaws.com", "s3.dualstack.us-east-1.amazonaws.com", "b.s3-accelerate.amazonaws.com",
     "127.0.0.1:9000", "localhost:4566", "[::1]:80", "[::1", "user:pw@host", "host:99999",
     "host:http", "", "b..s3.amazonaws.com"]
) | _TEXT  # fmt: skip
_NAMES = st.sampled_from(
    ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders",
     "X-Amz-Signature", "X-Amz-Security-Token", "AWSAccessKeyId", "Signature", "Expires",
     "x-amz-algorithm", "X-Amz-Content-Sha256", "content-type", "x-amz-acl", "uploadId",
     "partNumber", "versionId", "x-id", "response-content-type"]
) | _PIECE  # fmt: skip
_VALUES = st.sampled_from(
    ["AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1",
     "AKIAIOSFODNN7EXAMPLE%2F20260301%2Fus-east-1%2Fs3%2Faws4_request",
     "AKIAIOSFODNN7EXAMPLE/20260301/us-east-1/s3/aws4_request", "AKIA%2F%2F%2F%2F",
     "AKIAIOSFODNN7EXAMPLE%252F20260301", "20260301T120000Z", "20261301T250000Z", "2026",
     "3600", "604801", "-1", "0", "1e3", "99999999999999999999", "host", "host%3Bcontent-type",
     ";;", "0" * 64, "A" * 64, "g" * 64, "0" * 63, "qLsbhe1V0mFKvbTXmZMhHR5ARxg%3D", ""]
) | _PIECE  # fmt: skip


@st.composite
def grammar_urls(draw: st.DrawFn) -> str:
    """A URL from pieces S3 URLs are made of, each possibly broken."""
    path = "/".join(draw(st.lists(_PIECE, max_size=4)))
    params = draw(st.lists(st.tuples(_NAMES, _VALUES), max_size=9))
    joiner = draw(st.sampled_from(["=", "=", "", "=="]))
    query = "&".join(f"{n}{joiner}{v}" for n, v in params)
    fragment = draw(st.sampled_from(["", "", "#frag", "#"]))
    return f"{draw(_SCHEMES)}{draw(_HOSTS)}/{path}?{query}{fragment}"


def _read_or_refuse(text: object) -> None:
    try:
        parsed = parse_presigned_url(text)  # type: ignore[arg-type]
    except PresignedUrlError as exc:
        assert str(exc).strip()
        assert isinstance(exc, ValueError)
    else:
        assert isinstance(parsed, PresignedUrl)
        assert parsed.version in ("sigv4", "sigv2")
        json.dumps(parsed.to_dict())
        assert all(isinstance(d.message, str) and d.message for d in parsed.defects)


@FAST
@given(grammar_urls())
def test_grammar_urls_are_read_or_refused(url: str) -> None:
    _read_or_refuse(url)


@FAST
@given(st.integers(0, 1000), grammar_urls())
def test_valid_urls_with_a_grammar_url_spliced_in(at: int, piece: str) -> None:
    for url in (v4(headers=PNG_HEADERS, session_token="tok/+="), v2(headers=PNG_HEADERS)):
        at %= len(url)
        _read_or_refuse(url[:at] + piece + url[at:])


@FAST
@given(st.binary(max_size=200))
def test_raw_bytes_are_refused_or_read_as_latin_1(data: bytes) -> None:
    _read_or_refuse(data)
    _read_or_refuse(data.decode("latin-1"))
    _read_or_refuse(data.decode("utf-8", "surrogateescape"))


def test_very_long_urls_are_answered_quickly() -> None:
    start = time.perf_counter()
    for url in (
        v4() + "&x=" + "a" * 200_000,
        v4("k" * 100_000),
        "https://" + "b." * 50_000 + "s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256",
        "https://b.s3.amazonaws.com/k?" + "&".join(["X-Amz-Date=1"] * 20_000),
        "%" * 100_000,
    ):
        _read_or_refuse(url)
    assert time.perf_counter() - start < 10


# --- the error-body parser -----------------------------------------------------------------------

_ELEMENTS = st.sampled_from(
    ["Code", "Message", "RequestId", "HostId", "AWSAccessKeyId", "StringToSign",
     "SignatureProvided", "StringToSignBytes", "CanonicalRequest", "CanonicalRequestBytes",
     "HeadersNotSigned", "ServerTime", "X-Amz-Expires", "Expires", "Header", "ArgumentName",
     "ArgumentValue", "Region", "Endpoint", "Bucket", "Key"]
) | st.from_regex(r"[A-Za-z_][A-Za-z0-9._-]{0,12}", fullmatch=True)  # fmt: skip
_XML_TEXT = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30),
    st.sampled_from(
        ["SignatureDoesNotMatch", "AccessDenied", "&amp;", "&lt;", "&#x41;", "&#0;", "&bogus;",
         "&", "<", "]]>", "41 42 43", "4142 43", "4 14", "zz zz", "PUT\n/k\n\nhost:b\n\nhost\n"
         "UNSIGNED-PAYLOAD", "2026-03-01T12:05:00Z", "not a date", "content-type, x-amz-acl"]
    ),
    st.binary(max_size=20).map(lambda b: " ".join(f"{x:02x}" for x in b)),
)  # fmt: skip


@st.composite
def _element(draw: st.DrawFn, depth: int = 0) -> str:
    name = draw(_ELEMENTS)
    attrs = draw(st.sampled_from(["", ' a="1"', ' xmlns="urn:x"', " xmlns:p='u'"]))
    if depth < 2 and draw(st.integers(0, 5)) == 0:
        inner = "".join(draw(st.lists(_element(depth + 1), max_size=2)))
    else:
        inner = draw(_XML_TEXT)
        wrap = draw(st.sampled_from(["", "", "cdata", "comment"]))
        if wrap == "cdata":
            inner = f"<![CDATA[{inner}]]>"
        elif wrap == "comment":
            inner = f"<!-- {inner} -->{inner}"
    return f"<{name}{attrs}>{inner}</{name}>"


@st.composite
def error_bodies(draw: st.DrawFn) -> bytes:
    """An S3-like XML error body, possibly broken on purpose."""
    root = draw(st.sampled_from(["Error", "Error", "Error", "error", "ListBucket", "p:Error"]))
    children = draw(st.lists(_element(), max_size=8))
    if draw(st.booleans()):
        children.insert(0, f"<Code>{draw(_XML_TEXT)}</Code>")
    declaration = draw(
        st.sampled_from(
            ['<?xml version="1.0" encoding="UTF-8"?>\n', "", '<?xml version="1.1"?>',
             '<?xml version="1.0" encoding="UTF-16"?>', '<?xml version="1.0" encoding="nope"?>',
             "HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\n\r\n", "<?pi x?>"]
        )
    )  # fmt: skip
    tail = draw(st.sampled_from(["", " ", "x", "<"]))
    text = f"{declaration}<{root}>{''.join(children)}</{root}>{tail}"
    data = text.encode("utf-8", "surrogateescape")
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "bom", "utf-16"]))
    if encoding == "bom":
        data = b"\xef\xbb\xbf" + data
    elif encoding == "utf-16":
        data = text.encode("utf-16", "surrogatepass")
    if draw(st.integers(0, 4)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return data


def _parse_or_refuse(data: object) -> None:
    try:
        body = parse_error_body(data)  # type: ignore[arg-type]
    except ErrorBodyError as exc:
        assert str(exc).strip()
    else:
        assert body.code
        json.dumps(body.to_dict())
        for value in (body.canonical_request, body.string_to_sign):
            assert value is None or isinstance(value, str)
        assert all(isinstance(h, str) for h in body.headers_not_signed)


@FAST
@given(error_bodies())
def test_grammar_error_bodies_are_read_or_refused(data: bytes) -> None:
    _parse_or_refuse(data)
    _parse_or_refuse(data.decode("utf-8", "surrogateescape"))


@FAST
@given(st.binary(max_size=2000) | st.text(max_size=500))
def test_arbitrary_input_is_read_or_refused(data: bytes | str) -> None:
    _parse_or_refuse(data)
    _parse_or_refuse(b'<?xml version="1.0"?><Error><Code>X</Code>' + (
        data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    ))  # fmt: skip


_LAUGHS = [b'<!ENTITY l0 "lol">'] + [
    b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10)
]
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE Error ['
    + b"".join(_LAUGHS)
    + b"]><Error><Code>&l9;</Code></Error>"
)


@pytest.mark.parametrize(
    "data",
    [
        BILLION_LAUGHS,
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Error><Code>&e;</Code></Error>',
        b"<?xml version='1.0'?><!doctype Error><Error><Code>X</Code></Error>",
        b'<?xml version="1.0" encoding="nope"?><Error><Code>X</Code></Error>',
        b"<Error>" * 100_000,
        b"<Error><Code>" + b"x" * (1024 * 1024) + b"</Code></Error>",
        None,
        12,
        ["<Error/>"],
    ],
    ids=[
        "billion-laughs",
        "external-entity",
        "doctype",
        "unknown-encoding",
        "deep",
        "oversized",
        "None",
        "int",
        "list",
    ],
)
def test_hostile_or_wrong_type_bodies_are_refused(data: object) -> None:
    start = time.perf_counter()
    with pytest.raises(ErrorBodyError):
        parse_error_body(data)  # type: ignore[arg-type]
    assert time.perf_counter() - start < 5


# --- diagnose ------------------------------------------------------------------------------------


def _check(result) -> None:  # type: ignore[no-untyped-def]
    assert result.verdict in ("ok", "problems", "invalid-input")
    assert "could not be diagnosed" not in (result.error or ""), result.error
    text = json.dumps(result.to_dict()) + result.to_text(color=False) + result._repr_html_()
    assert SECRET_KEY not in text


@FAST
@given(grammar_urls(), error_bodies())
def test_diagnose_grammar_urls_with_grammar_bodies(url: str, body: bytes) -> None:
    _check(diagnose(url, headers=PNG_HEADERS, secret_key=SECRET_KEY, error_xml=body, now=SOON))


@FAST
@given(error_bodies())
def test_diagnose_a_valid_url_with_grammar_bodies(body: bytes) -> None:
    url = v4(headers=PNG_HEADERS)
    _check(diagnose(url, headers=PNG_HEADERS, secret_key=SECRET_KEY, error_xml=body, now=SOON))


@FAST
@given(
    st.text(max_size=200) | st.binary(max_size=200),
    st.text(max_size=10),
    st.lists(st.tuples(_TEXT | st.binary(max_size=5), _TEXT | st.binary(max_size=5)), max_size=3),
    st.one_of(st.none(), st.text(max_size=50), st.binary(max_size=10)),
)
def test_diagnose_arbitrary_types_and_surrogates(
    url: str | bytes, method: str, headers: list[tuple[object, object]], secret: object
) -> None:
    result = diagnose(
        url,  # type: ignore[arg-type]
        method=method,
        headers=headers,  # type: ignore[arg-type]
        secret_key=secret,  # type: ignore[arg-type]
        now=SOON,
    )
    _check(result)
