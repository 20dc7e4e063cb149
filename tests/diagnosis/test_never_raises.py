"""diagnose never raises, never hits its last-resort guard on mangled input, never prints the secret."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presignlab.diagnosis import diagnose
from presignlab.diagnosis.codes import markdown_table
from support.diagnosis import PNG_HEADERS, SECRET_KEY, SOON, signature_mismatch_body, v2, v4

URLS = [
    v4(headers=PNG_HEADERS),
    v4("a%20b/%E2%82%AC.txt", session_token="tok/+="),
    v2(headers=PNG_HEADERS),
]
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(result) -> None:  # type: ignore[no-untyped-def]
    assert result.verdict in ("ok", "problems", "invalid-input")
    assert "could not be diagnosed" not in (result.error or ""), result.error
    text = json.dumps(result.to_dict()) + result.to_text(color=True) + result._repr_html_()
    assert SECRET_KEY not in text


@FAST
@given(st.sampled_from(URLS), st.integers(0, 2000), st.integers(0, 5), st.text(max_size=4))
def test_mangled_urls(url: str, at: int, cut: int, insert: str) -> None:
    at %= len(url)
    mangled = url[:at] + insert + url[at + cut :]
    _check(diagnose(mangled, headers=PNG_HEADERS, secret_key=SECRET_KEY, now=SOON))


@FAST
@given(
    st.text(max_size=40),
    st.lists(st.tuples(st.text(max_size=12), st.text(max_size=12)), max_size=3),
    st.one_of(st.none(), st.text(max_size=20)),
)
def test_any_method_headers_and_secret(
    method: str, headers: list[tuple[str, str]], secret: str | None
) -> None:
    result = diagnose(URLS[0], method=method, headers=headers, secret_key=secret, now=SOON)
    assert result.verdict in ("ok", "problems", "invalid-input")
    assert "could not be diagnosed" not in (result.error or "")


@FAST
@given(st.binary(max_size=300) | st.text(max_size=300))
def test_any_error_body(body: bytes | str) -> None:
    _check(diagnose(URLS[0], headers=PNG_HEADERS, error_xml=body, secret_key=SECRET_KEY, now=SOON))


@FAST
@given(st.text(max_size=200))
def test_any_canonical_request_in_a_signature_mismatch_body(canonical: str) -> None:
    body = signature_mismatch_body(canonical.replace("\x00", ""), "AWS4-HMAC-SHA256\nx", "0" * 64)
    _check(diagnose(URLS[0], headers=PNG_HEADERS, error_xml=body, secret_key=SECRET_KEY, now=SOON))


def test_non_string_input_is_invalid_not_an_exception() -> None:
    for bad in (None, 42, b"https://x", ["https://x"]):
        assert diagnose(bad).verdict == "invalid-input"  # type: ignore[arg-type]
    assert diagnose(URLS[0], headers=[("a",)]).verdict == "invalid-input"  # type: ignore[list-item]


def test_finding_codes_page_is_generated_from_the_table() -> None:
    page = Path(__file__).resolve().parents[2] / "docs" / "finding-codes.md"
    assert page.read_text(encoding="utf-8") == markdown_table()
