"""``presignlab diagnose``: every failure path, JSON shape, exit statuses, and no secret in any output."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from presignlab.cli import main
from presignlab.diagnosis import DEFAULT_METHOD
from support.diagnosis import SECRET_KEY, SIGNED_AT, error_xml, v4

NOW = "2026-03-01T12:05:00Z"
PNG = "Content-Type: image/png"
KEYS = {
    "verdict",
    "findings",
    "url",
    "canonical_request",
    "string_to_sign",
    "signature_provided",
    "signature_computed",
    "signature_matches",
}
URL = v4(headers={"Content-Type": "image/png"})


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["diagnose", *args])
    out, err = capsys.readouterr()
    assert SECRET_KEY not in out + err
    return status, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    status, out, _ = run(capsys, *args, "--json")
    data = json.loads(out)  # exactly one JSON object, nothing else on stdout
    assert set(data) >= KEYS
    return status, data


def test_ok_request_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    status, data = run_json(capsys, URL, "-H", PNG, "--now", NOW, "--secret-key", SECRET_KEY)
    assert status == 0 and data["verdict"] == "ok" and data["findings"] == []
    assert data["method"] == DEFAULT_METHOD == "PUT"  # the CLI default is the API default
    assert (
        data["signature_matches"] is True
        and data["signature_computed"] == data["signature_provided"]
    )
    assert data["url"]["bucket"] == "examplebucket" and data["url"]["signed_headers"] == [
        "content-type",
        "host",
    ]
    assert data["canonical_request"].startswith("PUT\n/photos/cat.png\n")
    assert data["string_to_sign"].startswith("AWS4-HMAC-SHA256\n20260301T120000Z\n")


def test_problems_exit_1_with_code_message_fix(capsys: pytest.CaptureFixture[str]) -> None:
    status, data = run_json(
        capsys, URL, "-H", "Content-Type: text/plain", "--now", NOW, "--secret-key", SECRET_KEY
    )
    assert status == 1 and data["verdict"] == "problems" and data["signature_matches"] is False
    first = data["findings"][0]
    assert first["code"] == "signed-header-value-mismatch" and first["message"] and first["fix"]
    assert data["comparison"]["differences"]


def test_without_secret_signature_fields_are_null(capsys: pytest.CaptureFixture[str]) -> None:
    _, data = run_json(capsys, URL, "-H", PNG, "--now", NOW)
    assert data["signature_computed"] is None and data["signature_matches"] is None
    assert data["signature_provided"] == data["url"]["signature"]


def test_human_output_has_fix_and_comparison(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, URL, "--method", "GET", "-H", PNG, "--now", NOW, "--secret-key", SECRET_KEY
    )
    assert status == 1 and "[method-mismatch]" in out and "fix:" in out
    assert "! method" in out and "\x1b[" not in out  # capsys is not a terminal
    _, coloured, _ = run(
        capsys,
        URL,
        "--method",
        "GET",
        "-H",
        PNG,
        "--now",
        NOW,
        "--secret-key",
        SECRET_KEY,
        "--color",
        "always",
    )
    assert "\x1b[" in coloured


def test_default_now_is_the_current_time(capsys: pytest.CaptureFixture[str]) -> None:
    status, data = run_json(capsys, URL, "-H", PNG)  # signed in March 2026, valid for an hour
    assert SIGNED_AT.year == 2026 and status == 1 and data["findings"][0]["code"] == "expired"


@pytest.mark.parametrize(
    "url, words",
    [
        ("not a url", "space or control character"),
        ("ftp://example.com/x", "not an http"),
        ("https://b.s3.amazonaws.com/k?X-Amz-Signature=abc", "64 lower-case hex"),
        (URL + "\x00", "control character"),
        (URL[: URL.index("%2F") + 2], "Broken percent-encoding"),
        ("https://b.s3.amazonaws.com/k", "no authentication parameters"),
        ("https://b.s3.amazonaws.com:99999/k?X-Amz-Date=1", "port"),
    ],
)
def test_garbage_urls_are_invalid_input(
    capsys: pytest.CaptureFixture[str], url: str, words: str
) -> None:
    status, data = run_json(capsys, url, "--secret-key", SECRET_KEY)
    assert status == 2 and data["verdict"] == "invalid-input" and words in data["error"]
    status, out, _ = run(capsys, url)
    assert status == 2 and out.startswith("invalid input:") and "Traceback" not in out


@pytest.mark.parametrize(
    "args, words",
    [
        (["-H", "Content-Type image/png"], "not 'Name: value'"),
        (["-H", ": value"], "not 'Name: value'"),
        (["-H", "Bad Name: x"], "not a valid header name"),
        (["--now", "yesterday"], "ISO 8601"),
        (["--method", "P U T"], "HTTP method"),
        (["--method", ""], "HTTP method"),
        (["--error-xml", "/nonexistent/body.xml"], "cannot be read"),
        (["--error-xml", "/"], "cannot be read"),
    ],
)
def test_bad_options_are_invalid_input(
    capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    status, data = run_json(capsys, URL, *args, "--secret-key", SECRET_KEY)
    assert status == 2 and data["verdict"] == "invalid-input" and words in data["error"], data[
        "error"
    ]


def test_non_xml_error_body_is_invalid_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for text in ("<html>502</html>", error_xml("SignatureDoesNotMatch", "m")[:70], ""):
        body = tmp_path / "body.xml"
        body.write_text(text)
        status, data = run_json(capsys, URL, "--error-xml", str(body))
        assert status == 2 and data["verdict"] == "invalid-input", text


def test_error_xml_from_a_file_and_from_stdin(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    xml = error_xml("ExpiredToken", "The provided token has expired.", ("Token-0", "t"))
    path = tmp_path / "body.xml"
    path.write_text(xml)
    status, data = run_json(capsys, URL, "-H", PNG, "--now", NOW, "--error-xml", str(path))
    assert status == 1 and data["findings"][0]["code"] == "token-expired"
    assert data["error_body"]["code"] == "ExpiredToken"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(xml.encode())))
    status, data = run_json(capsys, URL, "-H", PNG, "--now", NOW, "--error-xml", "-")
    assert status == 1 and data["findings"][0]["code"] == "token-expired"


def test_argument_errors_print_json_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["diagnose", "--json"],
        ["diagnose", URL, "--json", "--bogus"],
        ["diagnose", URL, "--json", "-H"],
    ):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        out, _ = capsys.readouterr()
        assert exc.value.code == 2 and json.loads(out)["verdict"] == "invalid-input"
    with pytest.raises(SystemExit) as exc:
        main(["diagnose", URL, "--bogus"])
    out, err = capsys.readouterr()
    assert exc.value.code == 2 and out == "" and "unrecognized arguments" in err


def test_secret_key_never_printed_even_when_echoed_back(capsys: pytest.CaptureFixture[str]) -> None:
    echoed = v4(headers={"x-amz-meta-note": SECRET_KEY})  # the canonical request holds the value
    status, out, _ = run(
        capsys,
        echoed,
        "-H",
        f"x-amz-meta-note: {SECRET_KEY}",
        "--now",
        NOW,
        "--secret-key",
        SECRET_KEY,
        "--json",
    )
    assert status == 0 and "[secret key]" in out
    for extra in ([], ["--method", "GET"], ["--now", "bad"]):
        run(capsys, URL, "-H", PNG, "--secret-key", SECRET_KEY, *extra)


def test_console_script_runs_in_a_subprocess() -> None:
    script = Path(sys.executable).with_name("presignlab")
    done = subprocess.run(
        [
            str(script),
            "diagnose",
            URL,
            "-H",
            PNG,
            "--now",
            NOW,
            "--secret-key",
            SECRET_KEY,
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert (
        json.loads(done.stdout)["verdict"] == "ok" and SECRET_KEY not in done.stdout + done.stderr
    )
    bad = subprocess.run(
        [str(script), "diagnose", "not a url", "--json"], capture_output=True, text=True, timeout=60
    )
    assert (
        bad.returncode == 2
        and json.loads(bad.stdout)["verdict"] == "invalid-input"
        and not bad.stderr
    )


def test_unsigned_url_with_a_body_diagnoses_the_body_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    body = tmp_path / "body.xml"
    body.write_text(error_xml("AccessDenied", "Invalid according to Policy: Policy expired."))
    status, data = run_json(
        capsys,
        "https://examplebucket.s3.amazonaws.com/",
        "--method",
        "POST",
        "--error-xml",
        str(body),
    )
    assert (
        status == 1
        and data["findings"][0]["code"] == "post-policy-violation"
        and data["url"] is None
    )
    status, data = run_json(capsys, "not a url", "--error-xml", str(body))
    assert status == 2 and data["verdict"] == "invalid-input"
