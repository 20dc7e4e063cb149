"""The JS SDK presigned-URL fixtures (``presignlab.lab.sdk_fixtures``).

Three kinds of check: the committed file says what the SDKs do (the checksum parameters of v3,
v2's hoisting and SigV2 default, ...); a fresh run of ``tools/js-sdk-urls/generate.mjs`` with
the pinned SDKs from npm gives the same bytes (skipped without node, npm or the registry, except
under CI); and the strict local S3 answers each URL, sent exactly as the SDK meant it to be
sent, as AWS does.
"""

from __future__ import annotations

import difflib
import http.client
import json
import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from presignlab import FixtureError, parse_presigned_url
from presignlab.examples import EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY
from presignlab.lab import LAB_EPOCH
from presignlab.lab.sdk_fixtures import (
    SdkPresignedUrl,
    js_sdk_fixture,
    js_sdk_fixtures,
    parse_js_sdk_fixtures,
)
from presignlab.locals3.server import LocalS3
from support.locals3 import error_code

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "js-sdk-urls"
FIXTURE_FILE = ROOT / "helpers" / "presignlab" / "lab" / "data" / "js_sdk_urls.json"
CASES = js_sdk_fixtures()
SIGNED_HOST = "127.0.0.1:4566"
BUCKET = "presignlab-uploads"
BODY = b"\x89PNG\r\n\x1a\n(the bytes of a small picture)"


def _query(case: SdkPresignedUrl) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(case.url).query, keep_blank_values=True))


def _signed_headers(case: SdkPresignedUrl) -> list[str]:
    return _query(case)["X-Amz-SignedHeaders"].split(";")


# -- what the committed file says ---------------------------------------------------------------


def test_the_package_loads_the_committed_file() -> None:
    assert parse_js_sdk_fixtures(FIXTURE_FILE.read_text(encoding="utf-8")) == CASES
    assert {case.sdk for case in CASES} == {"JS SDK v3", "JS SDK v2"}
    assert js_sdk_fixture("v3-put-default") is not None
    with pytest.raises(KeyError, match="v3-put-default"):
        js_sdk_fixture("v4-put")


def test_every_case_is_signed_with_the_example_keys_at_the_lab_clock() -> None:
    assert EXAMPLE_SECRET_ACCESS_KEY not in FIXTURE_FILE.read_text(encoding="utf-8")
    for case in CASES:
        assert case.signed_at == LAB_EPOCH, case.id
        assert urlsplit(case.url).netloc == SIGNED_HOST and case.url.startswith("http://")
        assert urlsplit(case.url).path.startswith(f"/{BUCKET}/uploads/")
        parsed = parse_presigned_url(case.url)
        assert parsed.access_key_id == EXAMPLE_ACCESS_KEY_ID, case.id
        assert case.method == ("GET" if case.id.endswith("-get") else "PUT")


def test_the_recorded_versions_are_the_pinned_and_locked_ones() -> None:
    pins = json.loads((TOOL / "package.json").read_text())["dependencies"]
    lock = json.loads((TOOL / "package-lock.json").read_text())["packages"]
    for case in CASES:
        for name, version in case.packages.items():
            assert pins[name] == version == lock[f"node_modules/{name}"]["version"], case.id
    v3 = js_sdk_fixture("v3-put-default")
    assert v3.packages.keys() == {"@aws-sdk/client-s3", "@aws-sdk/s3-request-presigner"}
    # 3.729.0 made requestChecksumCalculation default to WHEN_SUPPORTED
    assert tuple(int(part) for part in v3.version.split(".")) >= (3, 729, 0)
    assert js_sdk_fixture("v2-put-default").packages.keys() == {"aws-sdk"}


def test_js_sdk_v3_adds_a_crc32_of_the_empty_body_unless_told_when_required() -> None:
    default = js_sdk_fixture("v3-put-default")
    assert "x-amz-checksum-crc32=AAAAAA%3D%3D" in default.url
    assert _query(default)["x-amz-sdk-checksum-algorithm"] == "CRC32"
    assert _signed_headers(default) == ["host"]  # query parameters, not signed headers
    when_required = js_sdk_fixture("v3-put-when-required")
    assert when_required.config["requestChecksumCalculation"] == "WHEN_REQUIRED"
    assert not [name for name in _query(when_required) if "checksum" in name.lower()]
    assert js_sdk_fixture("v3-get").url.count("x-amz-checksum-mode=ENABLED") == 1


def test_js_sdk_v3_names_the_operation_in_x_id() -> None:
    for case in CASES:
        expected = (
            ("GetObject" if case.method == "GET" else "PutObject")
            if case.sdk == "JS SDK v3"
            else None
        )
        assert _query(case).get("x-id") == expected, case.id


def test_js_sdk_v3_signs_content_type_only_when_asked() -> None:
    unsigned = js_sdk_fixture("v3-put-content-type")
    signed = js_sdk_fixture("v3-put-content-type-signed")
    assert unsigned.url == js_sdk_fixture("v3-put-default").url  # ContentType changed nothing
    assert (unsigned.headers, unsigned.unsigned_headers) == ({}, {"content-type": "image/png"})
    assert signed.options["signableHeaders"] == ["content-type"]
    assert _signed_headers(signed) == ["content-type", "host"]
    assert signed.headers == {"content-type": "image/png"}


def test_js_sdk_v3_hoists_x_amz_headers_unless_unhoistable() -> None:
    hoisted = js_sdk_fixture("v3-put-metadata")
    assert _query(hoisted)["x-amz-meta-uploaded-by"] == "presign-lab"
    assert _signed_headers(hoisted) == ["host"] and hoisted.headers == {}
    assert _query(js_sdk_fixture("v3-put-acl"))["x-amz-acl"] == "public-read"
    kept = js_sdk_fixture("v3-put-metadata-unhoisted")
    assert "x-amz-meta-uploaded-by" not in _query(kept)
    assert _signed_headers(kept) == ["host", "x-amz-meta-uploaded-by"]
    assert kept.headers == {"x-amz-meta-uploaded-by": "presign-lab"}


def test_js_sdk_v2_signs_with_sigv2_by_default_in_us_east_1() -> None:
    for case_id in ("v2-put-default", "v2-put-content-type", "v2-put-metadata-acl", "v2-get"):
        query = _query(js_sdk_fixture(case_id))
        assert {"AWSAccessKeyId", "Expires", "Signature"} <= query.keys(), case_id
        assert int(query["Expires"]) == int((LAB_EPOCH + timedelta(seconds=900)).timestamp())
    for case_id in ("v2-put-v4", "v2-put-v4-content-type", "v2-put-v4-metadata-acl"):
        case = js_sdk_fixture(case_id)
        assert case.config["signatureVersion"] == "v4"
        assert _query(case)["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"


def test_js_sdk_v2_copies_headers_into_the_query_and_still_signs_them() -> None:
    v4 = js_sdk_fixture("v2-put-v4-metadata-acl")
    assert _signed_headers(v4) == ["host", "x-amz-acl", "x-amz-meta-uploaded-by"]
    assert _query(v4)["x-amz-acl"] == "public-read"
    assert _query(v4)["x-amz-meta-uploaded-by"] == "presign-lab"
    assert v4.headers == {"x-amz-acl": "public-read", "x-amz-meta-uploaded-by": "presign-lab"}
    v4_type = js_sdk_fixture("v2-put-v4-content-type")  # copied, but never signed
    assert _query(v4_type)["Content-Type"] == "image/png" and _signed_headers(v4_type) == ["host"]
    assert v4_type.unsigned_headers == {"Content-Type": "image/png"}
    v2_type = js_sdk_fixture("v2-put-content-type")  # SigV2 signs Content-Type
    assert _query(v2_type)["Content-Type"] == "image/png"
    assert v2_type.headers == {"Content-Type": "image/png"}
    v2_amz = js_sdk_fixture("v2-put-metadata-acl")
    assert v2_amz.headers == v4.headers and _query(v2_amz)["x-amz-acl"] == "public-read"


def test_keys_with_a_space_and_a_plus_are_percent_encoded_in_the_path() -> None:
    for case_id in ("v3-put-odd-key", "v2-put-odd-key"):
        assert urlsplit(js_sdk_fixture(case_id).url).path.endswith("/uploads/my%20photo%2B1.png")


def test_a_case_moves_to_another_endpoint_with_its_path_and_query_intact() -> None:
    case = js_sdk_fixture("v3-put-odd-key")
    moved = case.url_on("http://127.0.0.1:41234")
    assert case.signed_host == SIGNED_HOST
    assert moved.startswith("http://127.0.0.1:41234/")
    assert moved.split("/", 3)[3] == case.url.split("/", 3)[3]  # "%20" and "%2B" untouched
    with pytest.raises(ValueError, match="not an endpoint URL"):
        case.url_on("127.0.0.1:41234")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ('{"schema": 2, "cases": []}', "must have schema 1, not 2"),
        ('{"schema": 1, "cases": []}', "no cases"),
        ('{"schema": 1, "cases": [7]}', "case 0 must be an object"),
    ],
)
def test_a_malformed_fixture_file_is_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(FixtureError, match=message):
        parse_js_sdk_fixtures(text)


def test_a_malformed_case_names_itself_and_its_field() -> None:
    document = json.loads(FIXTURE_FILE.read_text(encoding="utf-8"))
    document["cases"][1]["headers"] = {"content-type": 5}
    with pytest.raises(FixtureError, match=r"case 1 \('v3-put-when-required'\): headers"):
        parse_js_sdk_fixtures(json.dumps(document))
    del document["cases"][1]["url"]
    with pytest.raises(FixtureError, match="missing field 'url'"):
        parse_js_sdk_fixtures(json.dumps(document))
    document = json.loads(FIXTURE_FILE.read_text(encoding="utf-8"))
    document["cases"][2]["id"] = document["cases"][0]["id"]
    with pytest.raises(FixtureError, match="repeats case ids: v3-put-default"):
        parse_js_sdk_fixtures(json.dumps(document))
    document["cases"][2]["signed_at"] = "2026-03-01T12:00:00"
    with pytest.raises(FixtureError, match="no time zone"):
        parse_js_sdk_fixtures(json.dumps(document))


# -- a fresh run of the generator ---------------------------------------------------------------


def _cannot(reason: str) -> None:
    """Skip, except under CI, where node, npm and the registry are there and this must run."""
    if os.environ.get("CI"):
        pytest.fail(f"under CI the JS SDK fixtures must be regenerated, but {reason}")
    pytest.skip(reason)


def test_the_real_sdks_from_npm_regenerate_the_committed_fixtures(tmp_path: Path) -> None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        _cannot("node and npm are not both on PATH")
        return
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    if int(version.stdout.strip().lstrip("v").split(".")[0]) < 20:
        _cannot(f"the pinned SDKs need node >= 20, not {version.stdout.strip()}")
    work = tmp_path / "js-sdk-urls"
    shutil.copytree(TOOL, work, ignore=shutil.ignore_patterns("node_modules"))
    env = {**os.environ, "npm_config_update_notifier": "false"}
    try:
        install = subprocess.run(
            [npm, "ci"], cwd=work, env=env, capture_output=True, text=True, timeout=300, check=False
        )
    except subprocess.TimeoutExpired:
        _cannot("npm ci did not finish within 300 s")
        return
    if install.returncode != 0:
        _cannot(f"npm ci failed (is the npm registry reachable?):\n{install.stderr[-2000:]}")
    run = subprocess.run(
        [node, "generate.mjs"], cwd=work, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    committed = FIXTURE_FILE.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            run.stdout.splitlines(keepends=True),
            "committed",
            "regenerated",
        )
    )
    assert run.stdout == committed, f"run make js-sdk-urls and review the change:\n{diff[:6000]}"


# -- the strict local S3's answers ----------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """How AWS answers a case's request; for a success, what the object looks like after it."""

    status: int = 200
    code: str | None = None
    key: str = "uploads/photo.png"
    content_type: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)


META = {"uploaded-by": "presign-lab"}
ACL_REFUSED = Expected(400, "AccessControlListNotSupported")  # new buckets: BucketOwnerEnforced
EXPECTED: dict[str, Expected] = {
    # AWS does not check a checksum that arrives only as an unsigned query parameter: the SDK's
    # CRC32 of an empty body does not stop a real body (S3-compatible stores that check it
    # answer 400 BadDigest or InvalidDigest).
    "v3-put-default": Expected(content_type="application/octet-stream"),
    "v3-put-when-required": Expected(content_type="application/octet-stream"),
    "v3-put-content-type": Expected(content_type="image/png"),
    "v3-put-content-type-signed": Expected(content_type="image/png"),
    # S3 applies x-amz-* parameters of a presigned URL's query as if they were headers.
    "v3-put-metadata": Expected(content_type="application/octet-stream", metadata=META),
    "v3-put-metadata-unhoisted": Expected(content_type="application/octet-stream", metadata=META),
    "v3-put-acl": ACL_REFUSED,
    "v3-put-odd-key": Expected(key="uploads/my photo+1.png"),
    "v3-get": Expected(),
    "v2-put-default": Expected(),
    "v2-put-content-type": Expected(content_type="image/png"),
    "v2-put-metadata-acl": ACL_REFUSED,
    "v2-put-v4": Expected(),
    "v2-put-v4-content-type": Expected(content_type="image/png"),
    "v2-put-v4-metadata-acl": ACL_REFUSED,
    "v2-put-odd-key": Expected(key="uploads/my photo+1.png"),
    "v2-get": Expected(),
}


def test_every_case_has_an_expected_answer() -> None:
    assert sorted(EXPECTED) == sorted(case.id for case in CASES)


@pytest.fixture(name="lab_s3")
def lab_s3_fixture() -> Iterator[LocalS3]:
    """A fresh local S3 a minute after the SDKs signed, with the bucket and, for GETs, the object."""
    with LocalS3(socket_timeout=3) as server:
        client = server.client()  # signs with real time, so before the clock is set
        client.create_bucket(Bucket=BUCKET)
        client.put_object(Bucket=BUCKET, Key="uploads/photo.png", Body=BODY)
        server.clock.set(LAB_EPOCH + timedelta(minutes=1))
        yield server


def send_as_the_sdk_meant(
    server: LocalS3, case: SdkPresignedUrl, headers: Mapping[str, str] | None = None
) -> tuple[int, bytes]:
    """Send ``case``'s request to ``server`` as the SDK's own request would go: its URL's path
    and query byte for byte, Host as signed, the SDK's headers (``headers`` instead, if given)
    and, for a PUT, :data:`BODY`."""
    parts = urlsplit(case.url)
    sent = {**case.headers, **case.unsigned_headers} if headers is None else dict(headers)
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request(
            case.method,
            f"{parts.path}?{parts.query}",
            body=BODY if case.method == "PUT" else None,
            headers={"Host": SIGNED_HOST, **sent},
        )
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_local_s3_answers_each_sdk_request_as_aws_does(
    lab_s3: LocalS3, case: SdkPresignedUrl
) -> None:
    expected = EXPECTED[case.id]
    status, body = send_as_the_sdk_meant(lab_s3, case)
    assert (status, error_code(body) if status >= 300 else None) == (
        expected.status,
        expected.code,
    ), body.decode("utf-8", "replace")
    if case.method == "GET":
        assert body == BODY
        return
    lab_s3.clock.resume()  # for the root client, which signs with real time
    stored = lab_s3.client().list_objects_v2(Bucket=BUCKET)["Contents"]
    if expected.status != 200:
        assert [item["Key"] for item in stored] == ["uploads/photo.png"]  # nothing new
        return
    head = lab_s3.client().head_object(Bucket=BUCKET, Key=expected.key)
    assert head["ContentLength"] == len(BODY)
    if expected.content_type is not None:
        assert head["ContentType"] == expected.content_type
    assert head["Metadata"] == expected.metadata


@pytest.mark.parametrize(
    ("case_id", "headers"),
    [
        ("v3-put-content-type-signed", {}),
        ("v3-put-content-type-signed", {"content-type": "image/jpeg"}),
        ("v3-put-metadata-unhoisted", {}),
        ("v3-put-metadata-unhoisted", {"x-amz-meta-uploaded-by": "someone else"}),
        ("v2-put-v4-metadata-acl", {"x-amz-acl": "public-read", "x-amz-meta-uploaded-by": "x"}),
        ("v2-put-metadata-acl", {"x-amz-acl": "public-read", "x-amz-meta-uploaded-by": "x"}),
    ],
)
def test_a_signed_header_left_out_or_changed_breaks_the_signature(
    lab_s3: LocalS3, case_id: str, headers: dict[str, str]
) -> None:
    status, body = send_as_the_sdk_meant(lab_s3, js_sdk_fixture(case_id), headers)
    assert (status, error_code(body)) == (403, "SignatureDoesNotMatch")


@pytest.mark.parametrize("case_id", ["v2-put-v4-metadata-acl", "v2-put-metadata-acl"])
def test_a_signed_header_that_v2_copied_into_the_query_need_not_be_sent(
    lab_s3: LocalS3, case_id: str
) -> None:
    """S3 takes a signed header's value from the query parameter of the same name (SigV4), and
    SigV2 signs the x-amz-* parameters of the query: the signature holds without the headers,
    and authorization then refuses the ACL."""
    status, body = send_as_the_sdk_meant(lab_s3, js_sdk_fixture(case_id), {})
    assert (status, error_code(body)) == (400, "AccessControlListNotSupported")


def test_the_urls_expire_after_the_sdks_default_900_seconds(lab_s3: LocalS3) -> None:
    lab_s3.clock.set(LAB_EPOCH + timedelta(seconds=901))
    for case_id in ("v3-put-when-required", "v2-put-v4", "v2-put-default"):
        status, body = send_as_the_sdk_meant(lab_s3, js_sdk_fixture(case_id))
        assert (status, error_code(body)) == (403, "AccessDenied"), case_id
