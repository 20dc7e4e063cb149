"""What users paste: "Copy as cURL" in bash and cmd, HAR files, CORS configurations, secrets.

The curl commands are in the exact shapes Chromium DevTools writes (single and ANSI-C quotes
for bash, ``^"...^"`` caret escaping for cmd); the HAR files follow Chromium's export.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presignlab.cli import main
from presignlab.diagnosis import diagnose
from presignlab.diagnosis.inputs import (
    InputError,
    failed_s3_cases,
    parse_cors_rules,
    parse_curl,
    parse_har,
)
from support.diagnosis import (
    SECRET_KEY,
    SOON,
    error_xml,
    js_v3_url,
    sdk_url,
    signature_mismatch_body,
)
from support.har import PAGE, entry, har

URL = sdk_url(params={"ContentType": "image/jpeg"})


def _win(text: str) -> str:
    """Chromium's escapeStringWin: a cmd.exe argument."""
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    out = "".join(c if c.isalnum() or c in " _-:=+~'/.,?;()*`" else "^" + c for c in out)
    return '^"' + re.sub(r"%(?=[a-zA-Z0-9_])", "%^", out) + '^"'


def test_bash_copy_as_curl() -> None:
    command = (
        f"curl '{URL}' \\\n  -X 'PUT' \\\n  -H 'Accept: */*' \\\n  -H 'Content-Type: image/png' \\\n"
        f"  -H 'Origin: {PAGE}' \\\n  -H $'x-amz-meta-note: it\\'s' \\\n  --data-raw $'\\u0041BC\\n' \\\n  --compressed"
    )
    sent = parse_curl(command)
    assert sent.url == URL and sent.method == "PUT" and sent.body_size == 4
    assert ("Content-Type", "image/png") in sent.headers and (
        "x-amz-meta-note",
        "it's",
    ) in sent.headers


def test_cmd_copy_as_curl() -> None:
    parts = [
        _win(URL),
        "-X " + _win("PUT"),
        "-H " + _win("Content-Type: image/jpeg"),
        "-H " + _win('x-amz-meta-q: say "hi" 100%'),
        "--compressed",
    ]
    command = "curl " + " ^\n  ".join(parts)
    assert "^%^2F" in command  # the credential's %2F, as cmd must see it
    sent = parse_curl(command)
    assert sent.url == URL and sent.method == "PUT"
    assert ("x-amz-meta-q", 'say "hi" 100%') in sent.headers


@pytest.mark.parametrize(
    "command, words",
    [("wget https://x", "not a curl command"), ("curl 'https://x", "never closed"), ("curl -X PUT", "no URL"),
     ("curl https://x -H 'bad'", "not 'Name: value'"), ("curl https://x -H", "has no value")],
)  # fmt: skip
def test_bad_curl_commands_say_why(command: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        parse_curl(command)


def test_curl_methods_and_bodies() -> None:
    assert parse_curl("curl https://x --data-binary @photo.jpg").method == "POST"
    assert parse_curl("curl https://x --data-binary @photo.jpg").body_size is None
    assert parse_curl("curl -T photo.jpg https://x").method == "PUT"
    assert parse_curl("curl -I https://x").method == "HEAD"
    assert parse_curl("curl -XDELETE https://x").method == "DELETE"
    assert parse_curl("curl https://x -H 'X-Empty;'").headers == (("X-Empty", ""),)


def test_cors_configuration_as_json_and_xml() -> None:
    rules = [
        {
            "AllowedOrigins": ["https://app.example"],
            "AllowedMethods": ["PUT"],
            "AllowedHeaders": ["content-type"],
        }
    ]
    assert parse_cors_rules(json.dumps(rules)) == rules
    assert parse_cors_rules(json.dumps({"CORSRules": rules})) == rules
    xml = (
        '<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule>'
        "<AllowedOrigin>https://app.example</AllowedOrigin><AllowedMethod>PUT</AllowedMethod>"
        "<AllowedHeader>content-type</AllowedHeader></CORSRule></CORSConfiguration>"
    )
    assert parse_cors_rules(xml) == rules
    for bad in (
        "{",
        "[]",
        '[{"AllowedOrigins": ["x"]}]',
        "<!DOCTYPE x><CORSConfiguration/>",
        "[" * 100_000,
    ):
        with pytest.raises(InputError):
            parse_cors_rules(bad)


def test_har_pairs_a_refused_preflight_with_its_put() -> None:
    refused = error_xml(
        "AccessForbidden",
        "CORSResponse: This CORS request is not allowed. This is usually because the evalution of "
        "Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers "
        "are not whitelisted by the resource's CORS spec.",
        ("Method", "PUT"), ("ResourceType", "OBJECT"),
    )  # fmt: skip
    document = har(
        entry("GET", f"{PAGE}/", {}, 200, response_headers={"content-type": "text/html"}),
        entry("GET", f"{PAGE}/api/presign?name=a.jpg", {}, 200, response_headers={"content-type": "application/json"}),
        entry("OPTIONS", URL, {"Origin": PAGE, "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-type"}, 403, body=refused),
        entry("PUT", URL, {"Origin": PAGE, "Content-Type": "image/jpeg"}, 0, body_size=48213, error="net::ERR_FAILED"),
    )  # fmt: skip
    cases = failed_s3_cases(parse_har(document))
    assert len(cases) == 1 and cases[0].first.method == "OPTIONS"
    assert cases[0].request is not None and cases[0].request.method == "PUT"


def test_cli_diagnoses_each_failed_s3_request_of_a_har(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    refused = error_xml(
        "AccessForbidden",
        "CORSResponse: CORS is not enabled for this bucket.",
        ("Method", "PUT"),
        ("ResourceType", "BUCKET"),
    )
    s3_saw = diagnose(URL, headers={"Content-Type": "image/png"}, now=SOON)
    mismatch = signature_mismatch_body(
        s3_saw.canonical_request, s3_saw.string_to_sign or "", s3_saw.signature_provided or ""
    )
    ok = {
        "access-control-allow-origin": PAGE,
        "access-control-allow-methods": "PUT",
        "access-control-allow-headers": "content-type",
        "x-amz-request-id": "1",
    }
    document = har(
        entry("OPTIONS", URL, {"Origin": PAGE, "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-type"}, 403, body=refused, started="2026-03-01T12:01:00Z"),
        entry("PUT", URL, {"Origin": PAGE, "Content-Type": "image/png"}, 0, error="net::ERR_FAILED", started="2026-03-01T12:01:01Z"),
        entry("OPTIONS", URL, {"Origin": PAGE, "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-type"}, 200, response_headers=ok, started="2026-03-01T12:02:00Z"),
        entry("PUT", URL, {"Origin": PAGE, "Content-Type": "image/png"}, 403, body=mismatch, body_size=48213, started="2026-03-01T12:02:01Z"),
    )  # fmt: skip
    path = tmp_path / "session.har"
    path.write_text(document)
    monkeypatch.setenv("UPLOAD_SIGNER_SECRET", SECRET_KEY)
    status = main(
        ["diagnose", "--har", str(path), "--secret-key-env", "UPLOAD_SIGNER_SECRET", "--json"]
    )
    out = capsys.readouterr().out
    assert SECRET_KEY not in out
    data = json.loads(out)
    assert status == 1 and data["verdict"] == "problems" and len(data["cases"]) == 2
    first, second = data["cases"]
    assert (
        first["method"] == "OPTIONS"
        and first["diagnosis"]["findings"][0]["code"] == "cors-preflight-denied"
    )
    assert all(f["code"] == "cors-preflight-denied" for f in first["diagnosis"]["findings"])
    assert (
        second["method"] == "PUT"
        and second["diagnosis"]["findings"][0]["code"] == "signed-header-value-mismatch"
    )
    assert second["diagnosis"]["findings"][0]["confidence"] == "confirmed"
    assert "?" not in first["url"]  # no signature or token printed with the label


def test_cli_curl_with_the_secret_from_stdin(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    command = f"curl '{URL}' -X 'PUT' -H 'Content-Type: image/png' --data-raw 'x'"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((SECRET_KEY + "\n").encode())))
    status = main(
        [
            "diagnose",
            "--curl",
            command,
            "--secret-key",
            "-",
            "--now",
            "2026-03-01T12:05:00Z",
            "--json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert status == 1 and data["findings"][0]["code"] == "signed-header-value-mismatch"
    assert data["findings"][0]["confidence"] == "confirmed" and data["signature_matches"] is False


@pytest.mark.parametrize(
    "args, words",
    [(["--secret-key-env", "PRESIGNLAB_NO_SUCH_VARIABLE"], "no such environment variable"),
     (["--secret-key", "-", "--error-xml", "-"], "not both"),
     (["--curl", "wget x"], "not a curl command"),
     (["--har", "/nonexistent.har"], "cannot be read"),
     (["--cors", "/nonexistent.json"], "cannot be read")],
)  # fmt: skip
def test_bad_input_options_are_invalid_input(capsys, args: list[str], words: str) -> None:  # type: ignore[no-untyped-def]
    url = [] if "--curl" in args or "--har" in args else [URL]
    status = main(["diagnose", *url, *args, "--json"])
    data = json.loads(capsys.readouterr().out)
    assert status == 2 and data["verdict"] == "invalid-input" and words in data["error"], data[
        "error"
    ]


def test_har_that_is_not_json_is_invalid_input(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    for text in ("not json", "[" * 200_000, '{"log": {}}', "\xff\xfe"):
        path = tmp_path / "x.har"
        path.write_bytes(text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text)
        assert main(["diagnose", "--har", str(path), "--json"]) == 2
        assert json.loads(capsys.readouterr().out)["verdict"] == "invalid-input"


def test_js_v3_url_through_curl_names_the_empty_body_checksum() -> None:
    sent = parse_curl(
        f"curl '{js_v3_url()}' -X PUT -H 'Content-Type: image/jpeg' --data-binary @photo.jpg"
    )
    result = diagnose(sent.url, sent.method, sent.headers, now=SOON, body_size=48213)
    assert result.codes[0] == "checksum-mismatch"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_curl_and_shell_parsing_never_raise_anything_else(text: str) -> None:
    for command in (text, "curl " + text, 'curl ^"' + text):
        with contextlib.suppress(InputError):
            parse_curl(command)


@pytest.mark.parametrize(
    "kwargs",
    [{"cors": "[" * 50_000}, {"cors": 42}, {"cors": [{"AllowedOrigins": [object()]}]}, {"body_size": -1},
     {"body_size": "12"}, {"status": True}, {"status": 10_000}, {"response_headers": [("a", "b")]}],
)  # fmt: skip
def test_bad_side_evidence_is_invalid_input_not_a_crash(kwargs: dict[str, object]) -> None:
    result = diagnose(URL, "PUT", {}, now=SOON, **kwargs)  # type: ignore[arg-type]
    assert result.verdict == "invalid-input" and "could not be diagnosed" not in (
        result.error or ""
    )


def test_a_blocked_request_recorded_by_playwright_counts_as_status_0() -> None:
    """DevTools writes status 0 for a request the browser blocked, playwright's recorder -1."""
    document = har(entry("PUT", URL, {"Origin": PAGE, "Content-Type": "image/jpeg"}, -1))
    (exchange,) = parse_har(document)
    assert exchange.status == 0
    (case,) = failed_s3_cases([exchange])
    assert case.first.method == "PUT"


@pytest.mark.parametrize(
    ("error", "code"),
    [("net::ERR_INVALID_REDIRECT", "wrong-endpoint"), ("net::ERR_FAILED", "cors-preflight-denied")],
)
def test_a_preflight_the_browser_recorded_without_an_answer(
    tmp_path, capsys, error: str, code: str
) -> None:  # type: ignore[no-untyped-def]
    """Chromium records a redirected preflight as status 0 with net::ERR_INVALID_REDIRECT."""
    asked = {"Origin": PAGE, "Access-Control-Request-Method": "PUT"}
    document = har(
        entry("OPTIONS", URL, asked, 0, error=error),
        entry("PUT", URL, {"Origin": PAGE, "Content-Type": "image/jpeg"}, 0, error="net::ERR_FAILED"),
    )  # fmt: skip
    assert parse_har(document)[0].error == error
    path = tmp_path / "session.har"
    path.write_text(document)
    assert main(["diagnose", "--har", str(path), "--now", "2026-03-01T12:01:00Z", "--json"]) == 1
    (case,) = json.loads(capsys.readouterr().out)["cases"]
    assert case["method"] == "OPTIONS" and case["diagnosis"]["findings"][0]["code"] == code
    assert error in case["diagnosis"]["findings"][0]["message"]
