"""CORS preflights are their own case: judged against S3's CORS answer and the bucket's rules.

Answers as LocalStack's AWS-validated CORS snapshots record them (reference section 3); the
rules in boto3's shape, as ``aws s3api get-bucket-cors`` prints them.
"""

from __future__ import annotations

import json

import pytest

from presignlab.cli import main
from presignlab.diagnosis import diagnose
from support.diagnosis import SECRET_KEY, SOON, error_xml, sdk_url, v4

URL = sdk_url(params={"ContentType": "image/jpeg", "ACL": "private"})
PAGE = "https://app.example.com"
RULES = [
    {
        "ID": "uploads",
        "AllowedOrigins": [PAGE],
        "AllowedMethods": ["PUT", "GET"],
        "AllowedHeaders": ["content-type"],
        "ExposeHeaders": ["ETag"],
    }
]
NOT_ALLOWED = error_xml(
    "AccessForbidden",
    "CORSResponse: This CORS request is not allowed. This is usually because the evalution of "
    "Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are "
    "not whitelisted by the resource's CORS spec.",
    ("Method", "PUT"),
    ("ResourceType", "OBJECT"),
)


def _preflight(
    origin: str = PAGE, method: str = "PUT", headers: str = "content-type,x-amz-acl"
) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": headers,
    }


@pytest.mark.parametrize(
    "asked, subject, words",
    [
        (
            _preflight(origin="http://localhost:3000", headers="content-type"),
            "origin",
            "http://localhost:3000",
        ),
        (_preflight(origin=PAGE + "/", headers="content-type"), "origin", "trailing"),
        (_preflight(method="DELETE", headers="content-type"), "method", "DELETE"),
        (_preflight(), "header", "x-amz-acl"),
    ],
)
def test_which_of_origin_method_or_header_failed(
    asked: dict[str, str], subject: str, words: str
) -> None:
    result = diagnose(
        URL, "OPTIONS", asked, secret_key=SECRET_KEY, error_xml=NOT_ALLOWED, now=SOON, cors=RULES
    )
    assert result.codes and set(result.codes) == {
        "cors-preflight-denied"
    }  # no signature finding at all
    assert subject in [f.subject for f in result.findings]
    assert any(words in f.message for f in result.findings if f.subject == subject)
    assert result.signature_matches is None


def test_preflight_judged_by_the_rules_alone_and_by_s3s_answer_alone() -> None:
    alone = diagnose(URL, "OPTIONS", _preflight(), now=SOON, cors=RULES)
    assert (
        alone.codes == ["cors-preflight-denied"]
        and alone.findings[0].to_dict()["confidence"] == "suspected"
    )
    fine = diagnose(URL, "OPTIONS", _preflight(headers="content-type"), now=SOON, cors=RULES)
    assert fine.verdict == "ok"
    disabled = error_xml(
        "AccessForbidden",
        "CORSResponse: CORS is not enabled for this bucket.",
        ("Method", "PUT"),
        ("ResourceType", "BUCKET"),
    )
    result = diagnose(URL, "OPTIONS", _preflight(), error_xml=disabled, now=SOON)
    assert (
        result.codes == ["cors-preflight-denied"]
        and "no CORS configuration" in result.findings[0].message
    )
    no_origin = error_xml("BadRequest", "Insufficient information. Origin request header needed.")
    assert diagnose(URL, "OPTIONS", {}, error_xml=no_origin, now=SOON).codes == [
        "cors-preflight-denied"
    ]


def test_a_200_preflight_the_browser_still_refuses() -> None:
    answer = {
        "Access-Control-Allow-Origin": PAGE,
        "Access-Control-Allow-Methods": "PUT, GET",
        "Access-Control-Allow-Headers": "content-type",
    }
    result = diagnose(URL, "OPTIONS", _preflight(), now=SOON, status=200, response_headers=answer)
    assert result.codes == ["cors-preflight-denied"] and "x-amz-acl" in result.findings[0].message


def test_a_page_request_whose_preflight_the_rules_refuse() -> None:
    sent = {"Origin": "http://localhost:3000", "Content-Type": "image/jpeg", "x-amz-acl": "private"}
    result = diagnose(URL, "PUT", sent, now=SOON, cors=RULES, secret_key=SECRET_KEY)
    assert result.signature_matches is True and result.codes[0] == "cors-preflight-denied"
    assert "browser's preflight" in result.findings[0].message


def test_cli_cors_file(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cors.json"
    path.write_text(json.dumps({"CORSRules": RULES}))
    args = [
        "diagnose",
        v4(),
        "--method",
        "OPTIONS",
        "-H",
        "Origin: http://localhost:3000",
        "-H",
        "Access-Control-Request-Method: PUT",
        "--cors",
        str(path),
        "--json",
    ]
    status = main(args)
    data = json.loads(capsys.readouterr().out)
    assert status == 1 and data["findings"][0]["code"] == "cors-preflight-denied"
    assert data["findings"][0]["evidence"]["origin"] == "http://localhost:3000"


@pytest.mark.parametrize("status", [307, 301])
def test_a_preflight_answered_with_a_redirect_is_the_wrong_endpoint(status: int) -> None:
    """A browser never follows a preflight's redirect (CORS-10); S3 redirects only a request for
    a bucket another endpoint serves (ADDR-10). DevTools shows no body for a preflight."""
    regional = "https://examplebucket.s3.eu-west-2.amazonaws.com/photo.jpg?X-Amz-Date=x"
    result = diagnose(
        URL,
        "OPTIONS",
        _preflight(headers="content-type"),
        status=status,
        response_headers={"Location": regional},
    )
    assert result.codes == ["wrong-endpoint"]
    assert f"HTTP {status}, a redirect to https://examplebucket.s3.eu-west-2" in (
        result.findings[0].message
    )
    assert result.findings[0].evidence["endpoint"] == "examplebucket.s3.eu-west-2.amazonaws.com"
    assert "X-Amz-Date" not in result.findings[0].message
    unexplained = diagnose(URL, "OPTIONS", _preflight(), status=status)
    assert unexplained.codes == ["wrong-endpoint"]
