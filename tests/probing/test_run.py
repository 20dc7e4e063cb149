"""The probe end to end: the strict local S3 answers as AWS, a raw moto server does not, and
everything the probe creates is deleted (after failures and interruptions too)."""

from __future__ import annotations

import socket

import pytest

from presignlab.probing import (
    CASES,
    DIFFERS,
    EXPECTED,
    NOT_APPLICABLE,
    SAME,
    SKIPPED,
    Case,
    ProbeError,
    Target,
    case_ids,
    probe,
    run_cases,
)
from presignlab.probing.context import ProbeContext
from support.probe import MOTO_KEYS, bucket_names, probe_local, probe_moto

#: What a raw moto server accepts although AWS refuses it (issue 15: tampered and expired URLs).
MOTO_ACCEPTS = (
    "put-content-type-differs",
    "put-expires-edited",
    "put-parameter-added",
    "put-wrong-secret",
    "put-wrong-region",
    "put-unsigned-amz-header",
    "url-expired",
    "url-not-yet-valid",
    "url-expires-over-a-week",
    "key-unknown",
    "key-deleted",
    "post-policy-expired",
    "post-too-large",
    "put-checksum-crc32-wrong",
    "put-acl-owner-enforced",
)


def test_every_case_has_an_expected_answer_and_unique_id() -> None:
    assert sorted(EXPECTED) == sorted(case_ids())
    assert len(set(case_ids())) == len(CASES)


def test_the_strict_local_s3_answers_every_case_as_aws(local_s3) -> None:
    report = probe_local(local_s3)
    assert report.ids(DIFFERS) == [], report.to_text()
    assert report.ids(NOT_APPLICABLE) == [] and report.ids(SKIPPED) == []
    assert report.ids(SAME) == case_ids()
    assert report.endpoint_kind == "local" and report.server == "AmazonS3"
    # the clock cases moved the endpoint's clock and put it back
    assert local_s3.clock.is_real


def test_without_the_endpoints_clock_only_the_clock_cases_are_skipped(local_s3) -> None:
    report = probe(
        local_s3.endpoint_url,
        access_key_id=local_s3.access_key_id,
        secret_access_key=local_s3.secret_access_key,
        progress=False,
    )
    assert report.ids(SKIPPED) == [c.id for c in CASES if "clock" in c.needs]
    assert all("clock" in (report.row(i).verdict.reason or "") for i in report.ids(SKIPPED))
    assert report.ids(DIFFERS) == []


def test_a_raw_moto_server_shows_its_known_differences(moto_endpoint) -> None:
    report = probe_moto(moto_endpoint)
    assert len(report.rows) == len(CASES)  # nothing crashed the probe
    for case_id in MOTO_ACCEPTS:
        row = report.row(case_id)
        assert row.verdict.verdict == DIFFERS, case_id
        assert row.observed is not None and row.observed.status in (200, 204), case_id
    assert report.row("put-good").verdict.verdict == SAME
    assert report.row("post-good").verdict.verdict == SAME
    assert report.row("url-expires-while-held").verdict.verdict == SKIPPED


def _probe_buckets(endpoint_client) -> list[str]:
    return [b for b in bucket_names(endpoint_client) if b.startswith("presignlab-probe-")]


def test_nothing_remains_after_a_run(local_s3) -> None:
    report = probe_local(local_s3)
    assert _probe_buckets(local_s3.client()) == []
    assert local_s3.client("iam").list_users()["Users"] == []
    assert report.kept == [] and any("deleted" in line for line in report.cleanup)


def test_keep_leaves_everything_in_place(local_s3) -> None:
    report = probe_local(local_s3, keep=True, run_id="kept1")
    buckets = _probe_buckets(local_s3.client())
    assert sorted(buckets) == sorted(b for b in report.kept if not b.endswith("deleted-key"))
    assert "presignlab-probe-kept1-main" in buckets
    users = [u["UserName"] for u in local_s3.client("iam").list_users()["Users"]]
    assert users == ["presignlab-probe-kept1-deleted-key"]
    assert report.cleanup == []


def _interrupting(case_id: str) -> Case:
    real = next(c for c in CASES if c.id == case_id)

    def perform(ctx: ProbeContext):
        real.perform(ctx)  # its set-up (a bucket, a CORS rule) is done ...
        raise KeyboardInterrupt  # ... then Ctrl-C

    return Case(real.id, real.title, real.group, perform, real.needs)


def test_an_interruption_inside_a_case_still_deletes_everything(local_s3) -> None:
    target = Target.make(
        local_s3.endpoint_url,
        region="us-east-1",
        access_key_id=local_s3.access_key_id,
        secret_access_key=local_s3.secret_access_key,
    )
    before = [c for c in CASES if c.group in ("upload", "keys")]
    with pytest.raises(KeyboardInterrupt) as caught:
        run_cases(target, [*before, _interrupting("cors-allowed")], progress=False)
    report = caught.value.report  # type: ignore[attr-defined]
    assert report.interrupted and len(report.rows) == len(before)
    assert len(report.cleanup) == 3  # main and cors buckets, the IAM user
    assert _probe_buckets(local_s3.client()) == []
    assert local_s3.client("iam").list_users()["Users"] == []


def test_moto_buckets_are_deleted_too(moto_endpoint) -> None:
    probe_moto(moto_endpoint, only=["put-good", "cors-allowed", "put-acl-owner-enforced"])
    client = Target.make(moto_endpoint, region="us-east-1", **MOTO_KEYS).client("s3")
    assert _probe_buckets(client) == []


def test_another_region_is_signed_and_created_in(local_s3) -> None:
    report = probe_local(local_s3, region="eu-west-1", only=["put-good", "put-wrong-region"])
    assert report.verdicts() == {"put-good": SAME, "put-wrong-region": SAME}
    expected = report.row("put-wrong-region").expected.message
    assert expected == (
        "Error parsing the X-Amz-Credential parameter; the region 'us-west-2' is wrong; "
        "expecting 'eu-west-1'"
    )


def _no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        calls.append(args)
        raise AssertionError("the probe opened a connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return calls


def test_real_aws_needs_yes_before_any_request(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _no_network(monkeypatch)
    with pytest.raises(ProbeError, match="you pay for the requests") as caught:
        probe("https://s3.eu-west-1.amazonaws.com", region="eu-west-1", **MOTO_KEYS)
    assert "yes=True" in str(caught.value) and calls == []


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"run_id": "Not OK"}, "run_id"),
        ({"only": ["no-such-case"]}, "unknown case"),
        ({"region": "a/b"}, "region"),
    ],
)
def test_bad_options_are_clear_errors(local_s3, options, match) -> None:
    with pytest.raises(ProbeError, match=match):
        probe_local(local_s3, **options)


@pytest.mark.parametrize(
    "endpoint", ["s3.amazonaws.com", "ftp://example.com", "http://127.0.0.1:1/bucket"]
)
def test_bad_endpoints_are_clear_errors(endpoint) -> None:
    with pytest.raises(ProbeError, match="endpoint"):
        probe(endpoint, **MOTO_KEYS)


def test_an_endpoint_that_does_not_answer_skips_cases_without_crashing() -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    report = probe(f"http://127.0.0.1:{port}", progress=False, only=["put-good"], **MOTO_KEYS)
    row = report.row("put-good")
    assert row.verdict.verdict == SKIPPED and "set-up failed" in (row.verdict.reason or "")


def test_a_server_clock_far_from_real_time_is_refused_before_any_request(local_s3) -> None:
    local_s3.clock.set("2026-03-01T12:00:00Z")
    try:
        with pytest.raises(ProbeError, match="real time"):
            probe_local(local_s3)
    finally:
        local_s3.clock.resume()
    assert _probe_buckets(local_s3.client()) == []


def test_the_report_repr_is_short_and_stable(local_s3) -> None:
    report = probe_local(local_s3, only=["put-good"])
    assert repr(report) == (
        "<ProbeReport: local endpoint, 1 same, 0 differs, 0 not applicable, 0 skipped>"
    )


def test_progress_counts_on_standard_error(local_s3, capsys) -> None:
    probe_local(local_s3, only=["put-good", "url-expired"], progress=True)
    err = capsys.readouterr().err
    assert "probe [ 2/2] url-expired" in err and err.endswith("\n")
