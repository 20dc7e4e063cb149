"""--record / --compare: a run saved and read back, a run diffed with a recording."""

from __future__ import annotations

import json

import pytest

from presignlab.probing import ProbeError, compare_with_recording, load_recording, save_recording
from presignlab.probing.compare import Verdict
from presignlab.probing.context import Observed
from presignlab.probing.expected import EXPECTED
from presignlab.probing.result import ProbeReport, Row


def _report(**answers: Observed) -> ProbeReport:
    report = ProbeReport("http://127.0.0.1:1", "local", "us-east-1", "2026-03-01T12:00:00Z", {})
    for case_id, observed in answers.items():
        expected = EXPECTED[case_id.replace("_", "-")]
        report.rows.append(
            Row(case_id.replace("_", "-"), "t", "g", expected, observed, Verdict("same"))
        )
    return report


def test_round_trip(tmp_path) -> None:
    report = _report(put_good=Observed(200), url_expired=Observed(403, "AccessDenied", "Request has expired"))  # fmt: skip
    path = save_recording(report, tmp_path / "run.json")
    loaded = load_recording(path)
    assert loaded == json.loads(json.dumps(report.to_dict()))
    comparison = compare_with_recording(report, loaded)
    assert comparison.ids("same") == ["put-good", "url-expired"]


def test_differences_and_cases_in_only_one_run(tmp_path) -> None:
    recorded = _report(put_good=Observed(200), url_expired=Observed(403, "AccessDenied", "Request has expired"))  # fmt: skip
    path = save_recording(recorded, tmp_path / "aws.json")
    now = _report(url_expired=Observed(403, "AccessDenied", "Access Denied"), key_unknown=Observed(200))  # fmt: skip
    comparison = compare_with_recording(now, load_recording(path))
    assert comparison.rows == [
        ("url-expired", "403 AccessDenied", "403 AccessDenied", "differs"),
        ("key-unknown", "-", "200", "not in both"),
        ("put-good", "200", "-", "not in both"),
    ]
    text = comparison.to_text()
    assert text.splitlines()[0] == "compared with the recording of http://127.0.0.1:1 (local)"
    assert text.endswith("0 same, 1 differs, 2 not in both")


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"not json", "not JSON"),
        (b'{"schema": "other"}', "not a presignlab probe recording"),
        (b'{"schema": "presignlab-probe/1", "cases": [1]}', "not a list of probe cases"),
        (b"\xff\xfe", "not JSON"),
    ],
)
def test_bad_recordings_are_clear_errors(tmp_path, content, match) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ProbeError, match=match):
        load_recording(path)
