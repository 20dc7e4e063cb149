"""A diagnosis never prints a session token or the secret key, in any of its renderings."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from presignlab.cli import main
from presignlab.diagnosis import diagnose
from presignlab.diagnosis.redact import SECRET_MARK, TOKEN_MARK, redact, token_forms
from presignlab.examples import EXAMPLE_SECRET_ACCESS_KEY
from presignlab.signing.presign import presign_v4

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
TOKEN = "FwoGZXIvYXdzEBYaDHtoken/with+odd=chars"


def _url() -> str:
    return presign_v4(
        "PUT", "http://127.0.0.1:4566/bucket/key.txt", access_key="ASIAEXAMPLEEXAMPLE12",
        secret_key=EXAMPLE_SECRET_ACCESS_KEY, region="us-east-1", now=NOW, expires=300,
        session_token=TOKEN,
    )  # fmt: skip


def test_token_forms_finds_decoded_and_encoded_token() -> None:
    forms = token_forms([("X-Amz-Security-Token", TOKEN), ("X-Amz-Date", "x")])
    assert TOKEN in forms and "FwoGZXIvYXdzEBYaDHtoken%2Fwith%2Bodd%3Dchars" in forms


def test_redact_masks_nested_values() -> None:
    value = {"a": [f"x {TOKEN} y", EXAMPLE_SECRET_ACCESS_KEY], "b": 3}
    masked = redact(value, secret=EXAMPLE_SECRET_ACCESS_KEY, tokens=[TOKEN])
    assert masked == {"a": [f"x {TOKEN_MARK} y", SECRET_MARK], "b": 3}


def test_diagnosis_renderings_hide_the_token() -> None:
    result = diagnose(_url(), method="GET", secret_key=EXAMPLE_SECRET_ACCESS_KEY, now=NOW)
    assert result.canonical_request and "X-Amz-Security-Token" in result.canonical_request
    for text in (json.dumps(result.to_dict()), result.to_text(color=False), result._repr_html_()):
        assert TOKEN not in text and "FwoGZXIvYXdzEBYaDHtoken%2F" not in text
        assert EXAMPLE_SECRET_ACCESS_KEY not in text


def test_cli_json_hides_token_and_secret(capsys) -> None:  # type: ignore[no-untyped-def]
    status = main([
        "diagnose", _url(), "--method", "GET", "--secret-key", EXAMPLE_SECRET_ACCESS_KEY,
        "--now", NOW.isoformat(), "--json",
    ])  # fmt: skip
    out = capsys.readouterr().out
    assert status in (0, 1)
    assert TOKEN_MARK in out and TOKEN not in out and EXAMPLE_SECRET_ACCESS_KEY not in out
