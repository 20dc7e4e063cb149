"""Strict percent-decoding: broken escapes raise, non-UTF-8 bytes survive a round trip."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presignlab.errors import PresignedUrlError
from presignlab.signing.sigv4 import uri_encode
from presignlab.signing.uri import parse_query, percent_decode


@pytest.mark.parametrize(
    ("text", "decoded"),
    [
        ("a%20b", "a b"),
        ("a+b", "a+b"),
        ("%C3%A9%c3%a9", "éé"),
        ("%2F%2f", "//"),
        ("100%25", "100%"),
        ("", ""),
        ("%FF", "\udcff"),  # not UTF-8: kept as a surrogate escape
        ("%C3", "\udcc3"),  # a truncated UTF-8 sequence
    ],
)
def test_percent_decode(text: str, decoded: str) -> None:
    assert percent_decode(text) == decoded


def test_plus_is_space_only_when_asked() -> None:
    assert percent_decode("a+b%2B", plus_is_space=True) == "a b+"


@pytest.mark.parametrize(
    ("text", "position"), [("%", 0), ("a%2", 1), ("ab%zz", 2), ("%41%4", 3), ("%%41", 0)]
)
def test_broken_escapes_raise_with_the_position(text: str, position: int) -> None:
    with pytest.raises(
        PresignedUrlError, match=f"Broken percent-encoding in the key at position {position}:"
    ):
        percent_decode(text, what="the key")


def test_parse_query() -> None:
    assert parse_query("a=1&b=&c&&d=x=y&e=%2B+%20&a=2") == [
        ("a", "1"),
        ("b", ""),
        ("c", ""),
        ("d", "x=y"),
        ("e", "+  "),
        ("a", "2"),
    ]
    assert parse_query("") == []
    assert parse_query("na+me%3D=v") == [("na me=", "v")]


def test_parse_query_names_the_broken_parameter() -> None:
    with pytest.raises(PresignedUrlError, match="the value of 'X-Amz-Credential'"):
        parse_query("X-Amz-Credential=AKIA%2")
    with pytest.raises(PresignedUrlError, match="a query parameter name"):
        parse_query("%G1=1")


@settings(max_examples=300)
@given(st.binary(max_size=40))
def test_uri_encode_then_decode_gives_back_the_bytes(raw: bytes) -> None:
    decoded = percent_decode(uri_encode(raw))
    assert decoded.encode("utf-8", "surrogateescape") == raw
    assert uri_encode(decoded) == uri_encode(raw)
