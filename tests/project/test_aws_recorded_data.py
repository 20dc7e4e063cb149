"""The AWS-recorded golden data (tests/data/aws_recorded/) stays well-formed.

Only the shape is checked here: every file declares the format, every case has an id (unique
across all files), a request, a response with a status, and a source that says where the facts
come from. The rule ids a case cites must exist in docs/aws-behaviour.md, so code, data and
spec keep pointing at one another. Comparing the local S3 with these answers is the job of the
fidelity tests, not of this file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "aws_recorded"
SPEC = ROOT / "docs" / "aws-behaviour.md"
FORMAT = "presign-lab/aws-recorded/1"
SOURCE_KINDS = {
    "localstack-snapshot",
    "localstack-validated-test",
    "public-report",
    "aws-documentation",
}
CASE_ID = re.compile(r"^[A-Z0-9][A-Z0-9-]*[A-Z0-9]$")
RULE_ID = re.compile(r"^[A-Z]+(?:-[A-Z0-9]+)*-\d{2}$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")
ISSUE_REF = re.compile(r"^[\w.-]+/[\w.-]+#\d+$")

FILES = sorted(DATA.glob("*.json"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _cases() -> list[tuple[str, dict]]:
    return [(path.name, case) for path in FILES for case in _load(path)["cases"]]


def _spec_rule_ids() -> set[str]:
    return set(re.findall(r"\b((?:[A-Z][A-Z0-9]*-)+\d{2})\b", SPEC.read_text(encoding="utf-8")))


def test_there_is_data_and_a_readme() -> None:
    assert FILES, "no golden data files"
    assert (DATA / "README.md").is_file()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_envelope(path: Path) -> None:
    data = _load(path)
    assert data["format"] == FORMAT
    assert isinstance(data["area"], str) and data["area"]
    assert isinstance(data["description"], str) and data["description"]
    assert isinstance(data["cases"], list) and data["cases"]


def test_case_ids_are_unique_across_files() -> None:
    seen: dict[str, str] = {}
    for name, case in _cases():
        assert case["id"] not in seen, f"{case['id']} in {name} and {seen.get(case['id'])}"
        seen[case["id"]] = name


@pytest.mark.parametrize(("name", "case"), _cases(), ids=[case["id"] for _, case in _cases()])
def test_case_shape(name: str, case: dict) -> None:
    assert CASE_ID.match(case["id"]), case["id"]
    request = case["request"]
    assert isinstance(request, dict) and request.get("summary"), "request needs a summary"

    response = case["response"]
    assert isinstance(response, dict)
    status = response.get("status")
    assert status is None or (isinstance(status, int) and 100 <= status <= 599), status
    if "code" in response:
        assert isinstance(response["code"], str) and response["code"]
        # A Message may be left out only when the evidence lacks it; the case then says why.
        assert "message" in response or response.get("message_not_recorded"), "code without message"
    if "elements" in response:
        assert isinstance(response["elements"], dict)
    order = response.get("element_order")
    if order:
        assert len(order) == len(set(order)), order
        if "elements" in response:
            assert set(order) == set(response["elements"]), (order, sorted(response["elements"]))
        parsed_by = response.get("parsed_by", "")
        assert response.get("element_order_source") or parsed_by.startswith("raw")

    for rule in case.get("rules", []):
        assert RULE_ID.match(rule), rule

    _check_source(case["source"])


def _check_source(source: dict) -> None:
    kind = source["kind"]
    assert kind in SOURCE_KINDS, kind
    if kind.startswith("localstack"):
        assert source["repo"] == "localstack/localstack"
        assert COMMIT.match(source["commit"])
        assert source["test_file"].startswith("tests/aws/services/s3/")
        assert source["test"]
        assert source["last_validated_against_aws"] or source["recorded_date"]
        if kind == "localstack-snapshot":
            assert source["snapshot_file"].endswith(".snapshot.json")
            assert source["snapshot_key"]
            assert source["recorded_date"]
        else:
            assert source["evidence"]
    elif kind == "public-report":
        assert ISSUE_REF.match(source["ref"]), source["ref"]
        assert source["url"].startswith("https://github.com/")
        assert source["why_we_believe_it_is_aws"]
    else:
        assert source["title"]
        assert source["url"].startswith("https://docs.aws.amazon.com/")


def test_cited_rules_exist_in_the_spec() -> None:
    known = _spec_rule_ids()
    missing = sorted({r for _, case in _cases() for r in case.get("rules", [])} - known)
    assert not missing, f"rules cited by the data, not defined in docs/aws-behaviour.md: {missing}"


def test_nothing_points_outside_the_repository() -> None:
    for path in [*FILES, DATA / "README.md", SPEC]:
        text = path.read_text(encoding="utf-8")
        assert "/work/" not in text and "../shared" not in text, path.name
