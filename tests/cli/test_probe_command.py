"""``presignlab probe``: text and JSON output, record and compare, the cost note before real AWS,
exit statuses, and no secret in any output."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import presignlab.cli.probe as cli_probe
from presignlab.cli import main
from presignlab.probing import CASES

ONLY = ("--only", "put-good", "--only", "url-expired", "--only", "key-deleted")


def run(capsys, monkeypatch, server, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("PROBE_SECRET", server.secret_access_key)
    status = main(
        [
            "probe",
            server.endpoint_url,
            "--access-key-id",
            server.access_key_id,
            "--secret-key-env",
            "PROBE_SECRET",
            *args,
        ]
    )
    out, err = capsys.readouterr()
    assert server.secret_access_key not in out + err
    return status, out, err


def test_text_table_and_clean_up(local_s3, capsys, monkeypatch) -> None:
    status, out, _ = run(capsys, monkeypatch, local_s3, *ONLY)
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "presignlab probe: local endpoint, region us-east-1"
    assert lines[1].split() == ["case", "AWS", "answers", "endpoint", "answered", "verdict"]
    assert any(line.split() == ["put-good", "200", "200", "same"] for line in lines)
    expired = next(line for line in lines if line.startswith("url-expired"))
    assert expired.split() == ["url-expired", "403", "AccessDenied", "403", "AccessDenied", "same"]
    assert "3 same, 0 differs, 0 not applicable, 0 skipped" in lines
    assert sum(line.startswith("clean-up: ") for line in lines) == 2  # bucket and IAM user


def test_json_is_one_object_with_every_case_run(local_s3, capsys, monkeypatch) -> None:
    status, out, _ = run(capsys, monkeypatch, local_s3, "--json")
    data = json.loads(out)
    assert status == 0 and data["schema"] == "presignlab-probe/1"
    assert [c["id"] for c in data["cases"]] == [c.id for c in CASES]
    # without the endpoint's clock (the CLI cannot reach it) the clock cases are skipped
    assert data["counts"] == {"same": 32, "differs": 0, "not applicable": 0, "skipped": 2}
    assert set(data["versions"]) == {"presignlab", "boto3", "botocore"}
    assert data["cases"][0]["expected"]["rules"] == ["AUTH-Q-13", "PROBE-02"]


def test_a_raw_moto_server_exits_1(moto_endpoint, capsys, monkeypatch) -> None:
    monkeypatch.setenv("PROBE_SECRET", "any-secret")
    args = ["probe", moto_endpoint, "--access-key-id", "AKIAIOSFODNN7EXAMPLE"]
    status = main([*args, "--secret-key-env", "PROBE_SECRET", "--only", "url-expired"])
    out = capsys.readouterr().out
    assert status == 1 and "differs" in out and "any-secret" not in out


def test_record_then_compare(local_s3, moto_endpoint, capsys, monkeypatch, tmp_path) -> None:
    recording = tmp_path / "strict.json"
    status, _, _ = run(capsys, monkeypatch, local_s3, *ONLY, "--record", str(recording))
    assert status == 0
    saved = json.loads(recording.read_text())
    assert saved["endpoint_kind"] == "local" and saved["date"].endswith("Z")
    assert local_s3.secret_access_key not in recording.read_text()
    # the same endpoint again: every case the same
    status, out, _ = run(capsys, monkeypatch, local_s3, *ONLY, "--compare", str(recording))
    assert status == 0 and "3 same, 0 differs, 0 not in both" in out
    # moto compared with the strict recording, as JSON
    monkeypatch.setenv("PROBE_SECRET", "x")
    status = main(
        ["probe", moto_endpoint, "--access-key-id", "AKIAIOSFODNN7EXAMPLE", "--secret-key-env",
         "PROBE_SECRET", "--only", "put-good", "--only", "url-expired", "--json",
         "--compare", str(recording)]
    )  # fmt: skip
    comparison = json.loads(capsys.readouterr().out)["comparison"]
    results = {c["id"]: c["result"] for c in comparison["cases"]}
    assert results == {"put-good": "same", "url-expired": "differs", "key-deleted": "not in both"}
    assert status == 1


def test_secret_from_standard_input(local_s3, capsys, monkeypatch) -> None:
    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(local_s3.secret_access_key.encode() + b"\n"))
    )
    status = main(["probe", local_s3.endpoint_url, "--access-key-id", local_s3.access_key_id,
                   "--secret-key", "-", "--only", "put-good"])  # fmt: skip
    assert status == 0 and local_s3.secret_access_key not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["http://127.0.0.1:1", "--access-key-id", "AKIA"], "--access-key-id together"),
        (["http://127.0.0.1:1", "--secret-key-env", "NO_SUCH_VARIABLE_SET"], "no such environment"),
        (["http://127.0.0.1:1", "--secret-key", "inline"], "only '-'"),
        (["not-an-endpoint"], "is not an endpoint"),
        (["http://127.0.0.1:1", "--compare", "/no/such/file.json"], "cannot be read"),
    ],
)
def test_invalid_input_exits_2(capsys, monkeypatch, args, message) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "example")
    status = main(["probe", *args])
    captured = capsys.readouterr()
    assert status == 2 and message in captured.err


def test_invalid_input_with_json_is_one_object(capsys) -> None:
    assert main(["probe", "not-an-endpoint", "--json"]) == 2
    assert "is not an endpoint" in json.loads(capsys.readouterr().out)["error"]


AWS = ["probe", "https://s3.eu-west-1.amazonaws.com", "--region", "eu-west-1",
       "--access-key-id", "AKIAIOSFODNN7EXAMPLE", "--secret-key-env", "PROBE_SECRET"]  # fmt: skip


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything connects or the cases start."""

    def refuse(*args, **kwargs):
        raise AssertionError("a request was made")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(cli_probe, "run_cases", refuse)
    monkeypatch.setenv("PROBE_SECRET", "not-really-a-secret")


def test_real_aws_without_a_terminal_prints_the_cost_note_and_stops(no_network, capsys) -> None:
    status = main(AWS)
    err = capsys.readouterr().err
    assert status == 1
    assert "Cost note:" in err and "presignlab-probe-*" in err and "--yes" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_real_aws_asks_and_a_no_stops(no_network, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Terminal("n\n"))
    status = main(AWS)
    out, err = capsys.readouterr()
    assert status == 1 and "Go ahead? [y/N]" in out and "Cost note:" in err


def test_yes_skips_the_question(capsys, monkeypatch) -> None:
    seen = {}

    def fake_run(target, cases, keep):
        seen["kind"] = target.kind
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_probe, "run_cases", fake_run)
    monkeypatch.setenv("PROBE_SECRET", "not-really-a-secret")
    status = main([*AWS, "--yes"])
    err = capsys.readouterr().err
    assert status == 130 and seen == {"kind": "aws"} and "Cost note" not in err


def test_the_console_script_runs_probe_in_a_subprocess(local_s3) -> None:
    script = Path(sys.executable).with_name("presignlab")
    done = subprocess.run(
        [str(script), "probe", local_s3.endpoint_url, "--access-key-id", local_s3.access_key_id,
         "--secret-key-env", "PROBE_SECRET", "--only", "put-unsigned-amz-header", "--json"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PROBE_SECRET": local_s3.secret_access_key},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["cases"][0]["verdict"] == "same"
    assert local_s3.secret_access_key not in done.stdout + done.stderr


def test_keep_lists_what_was_left(local_s3, capsys, monkeypatch) -> None:
    status, out, _ = run(capsys, monkeypatch, local_s3, "--only", "put-good", "--keep")
    kept = [line for line in out.splitlines() if line.startswith("kept (--keep): ")]
    assert status == 0 and len(kept) == 1 and "presignlab-probe-" in kept[0]
    assert "clean-up:" not in out
    assert len(local_s3.client().list_buckets()["Buckets"]) == 1
