"""presignlab.seed.signing_function: the naive port keeps its flaws, the hardened handler fixes them.

Handlers are called with :func:`api_gateway_event` as Lambda would, against the local lab.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from botocore.config import Config
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from presignlab.lab import TARGET_ENV, Lab, close_lab, open_lab, send
from presignlab.seed.object_keys import DEFAULT_NAME, MAX_NAME_LENGTH, display_name, object_key
from presignlab.seed.signing_function import (
    ALLOWED_CONTENT_TYPES,
    api_gateway_event,
    make_hardened_handler,
    make_naive_handler,
)
from presignlab.signing.presigned_url import parse_presigned_url

ORIGIN = "http://localhost:8000"


@pytest.fixture(name="lab")
def lab_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[Lab]:
    monkeypatch.delenv(TARGET_ENV, raising=False)
    close_lab()
    lab = open_lab("test-signing-service")
    try:
        yield lab
    finally:
        if lab._alive():
            lab.cleanup()
        close_lab()


@pytest.fixture(name="bucket")
def bucket_fixture(lab: Lab) -> str:
    return lab.create_bucket()


def _body(response: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(response["body"])
    return body


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


# -- the event ---------------------------------------------------------------------------------


def test_api_gateway_event_has_the_rest_proxy_shape() -> None:
    event = api_gateway_event(query={"filekey": "a.png"}, headers={"Origin": ORIGIN})
    assert event["httpMethod"] == "GET" and event["path"] == "/presign"
    assert event["queryStringParameters"] == {"filekey": "a.png"}
    assert event["multiValueQueryStringParameters"] == {"filekey": ["a.png"]}
    assert event["headers"] == {"Origin": ORIGIN}
    assert event["body"] is None and event["isBase64Encoded"] is False
    assert api_gateway_event()["queryStringParameters"] is None  # API Gateway sends null


# -- the naive handler -------------------------------------------------------------------------


def test_naive_signs_the_clients_key_and_obeys_http_status(
    lab: Lab, bucket: str, caplog: pytest.LogCaptureFixture
) -> None:
    handler = make_naive_handler(lab.s3, bucket, logger=logging.getLogger("naive-test"))
    query = {"filekey": "../admin/index.html", "contentType": "text/html", "httpStatus": "418"}
    with caplog.at_level(logging.INFO, logger="naive-test"):
        response = handler(api_gateway_event(query=query), None)
    assert response["statusCode"] == 418
    assert response["headers"]["Access-Control-Allow-Origin"] == "*"
    body = _body(response)
    assert body["key"] == "../admin/index.html"
    parsed = parse_presigned_url(body["signed_url"])
    assert parsed.key == "../admin/index.html"
    signed = _query(body["signed_url"])["X-Amz-SignedHeaders"].split(";")
    assert signed == ["content-type", "host", "x-amz-acl"]  # text/html and public-read, signed
    assert [r.getMessage() for r in caplog.records] == ["Getting a signed URL for None"]


def test_naive_uses_the_clients_expiry(lab: Lab, bucket: str) -> None:
    handler = make_naive_handler(lab.s3, bucket)
    event = api_gateway_event(query={"filekey": "a.jpg", "expires": "604800", "httpStatus": "200"})
    assert _query(_body(handler(event, None))["signed_url"])["X-Amz-Expires"] == "604800"


def test_naive_public_read_is_refused_by_an_acl_disabled_bucket(lab: Lab, bucket: str) -> None:
    handler = make_naive_handler(lab.s3, bucket)
    event = api_gateway_event(query={"filekey": "photo.jpg", "httpStatus": "200"})
    url = _body(handler(event, None))["signed_url"]
    response = send("PUT", url, headers={"x-amz-acl": "public-read"}, data=b"jpg")
    assert response.status == 400 and response.code == "AccessControlListNotSupported"


# -- the hardened handler ----------------------------------------------------------------------


def _hardened(lab: Lab, bucket: str, **kwargs: Any) -> Any:
    return make_hardened_handler(lab.s3, bucket, allowed_origins=[ORIGIN], **kwargs)


def test_hardened_chooses_the_key_and_ignores_http_status(lab: Lab, bucket: str) -> None:
    handler = _hardened(lab, bucket, id_factory=lambda: "0123abcd")
    query = {"filekey": "../../etc/passwd", "contentType": "image/png", "httpStatus": "302"}
    response = handler(api_gateway_event(query=query, headers={"origin": ORIGIN}), None)
    assert response["statusCode"] == 200
    body = _body(response)
    assert body["key"] == "uploads/0123abcd/passwd"
    assert body["method"] == "PUT" and body["headers"] == {"Content-Type": "image/png"}
    assert body["expires_in"] == 900
    assert parse_presigned_url(body["signed_url"]).key == body["key"]
    assert response["headers"]["Access-Control-Allow-Origin"] == ORIGIN
    assert response["headers"]["Vary"] == "Origin"


def test_hardened_default_key_shape(lab: Lab, bucket: str) -> None:
    query = {"filekey": "My Photo (1).png", "contentType": "image/png"}
    body = _body(_hardened(lab, bucket)(api_gateway_event(query=query), None))
    assert re.fullmatch(r"uploads/[0-9a-f]{32}/My_Photo_1_\.png", body["key"])


def test_hardened_cors_only_for_allowed_origins(lab: Lab, bucket: str) -> None:
    query = {"filekey": "a.png", "contentType": "image/png"}
    event = api_gateway_event(query=query, headers={"Origin": "https://evil.example"})
    headers = _hardened(lab, bucket)(event, None)["headers"]
    assert "Access-Control-Allow-Origin" not in headers and headers["Vary"] == "Origin"
    preflight = api_gateway_event(method="OPTIONS", headers={"Origin": ORIGIN})
    answer = _hardened(lab, bucket)(preflight, None)
    assert answer["statusCode"] == 204
    assert answer["headers"]["Access-Control-Allow-Origin"] == ORIGIN


@pytest.mark.parametrize("content_type", ALLOWED_CONTENT_TYPES)
def test_hardened_accepts_the_allowlist(lab: Lab, bucket: str, content_type: str) -> None:
    event = api_gateway_event(query={"filekey": "f", "contentType": content_type})
    assert _hardened(lab, bucket)(event, None)["statusCode"] == 200


@pytest.mark.parametrize(
    "query",
    [
        {"filekey": "x.html", "contentType": "text/html"},
        {"filekey": "x.svg", "contentType": "image/svg+xml"},
        {"filekey": "x.png", "contentType": "IMAGE/PNG"},
        {"filekey": "x.png", "contentType": "image/png; charset=utf-8"},
        {"filekey": "x.png"},
        {"filekey": "x.png", "contentType": ""},
        {"filekey": "x.png", "contentType": "image/png", "expires": "ten"},
        {"filekey": "x.png", "contentType": "image/png", "expires": "0"},
        {"filekey": "x.png", "contentType": "image/png", "expires": "-5"},
    ],
)
def test_hardened_refuses_bad_input_with_a_json_400(
    lab: Lab, bucket: str, query: dict[str, str]
) -> None:
    response = _hardened(lab, bucket)(api_gateway_event(query=query), None)
    assert response["statusCode"] == 400
    assert response["headers"]["Content-Type"] == "application/json"
    assert set(_body(response)) == {"error"}


def test_hardened_without_any_query_is_a_400(lab: Lab, bucket: str) -> None:
    assert _hardened(lab, bucket)(api_gateway_event(), None)["statusCode"] == 400


@pytest.mark.parametrize(("asked", "given_"), [("60", 60), ("900", 900), ("86400", 900)])
def test_hardened_caps_the_expiry(lab: Lab, bucket: str, asked: str, given_: int) -> None:
    query = {"filekey": "a.png", "contentType": "image/png", "expires": asked}
    body = _body(_hardened(lab, bucket)(api_gateway_event(query=query), None))
    assert body["expires_in"] == given_
    assert _query(body["signed_url"])["X-Amz-Expires"] == str(given_)


def test_hardened_refuses_settings_beyond_its_rules(lab: Lab, bucket: str) -> None:
    with pytest.raises(ValueError, match="900"):
        make_hardened_handler(lab.s3, bucket, max_expires=3600)
    sigv2 = lab.client("s3", config=Config(signature_version="s3"))
    with pytest.raises(ValueError, match="SigV4"):
        make_hardened_handler(sigv2, bucket)


def test_hardened_url_uploads_with_the_returned_headers_only(lab: Lab, bucket: str) -> None:
    assert lab.clock is not None
    query = {"filekey": "cat.png", "contentType": "image/png"}
    body = _body(_hardened(lab, bucket)(api_gateway_event(query=query), None))
    assert send("PUT", body["signed_url"], headers=body["headers"], data=b"\x89PNG").status == 200
    stored = lab.s3.get_object(Bucket=bucket, Key=body["key"])
    assert stored["ContentType"] == "image/png" and stored["Body"].read() == b"\x89PNG"
    other = {"Content-Type": "text/html"}
    wrong = send("PUT", body["signed_url"], headers=other, data=b"<script>")
    assert wrong.status == 403 and wrong.code == "SignatureDoesNotMatch"
    lab.clock.advance(seconds=901)
    late = send("PUT", body["signed_url"], headers=body["headers"], data=b"\x89PNG")
    assert late.code == "AccessDenied"


def test_hardened_never_logs_the_signature_or_credentials(
    lab: Lab, bucket: str, caplog: pytest.LogCaptureFixture
) -> None:
    logger = logging.getLogger("hardened-test")
    handler = _hardened(lab, bucket, logger=logger)
    with caplog.at_level(logging.DEBUG, logger="hardened-test"):
        ok = handler(
            api_gateway_event(query={"filekey": "a.png", "contentType": "image/png"}), None
        )
        handler(
            api_gateway_event(query={"filekey": "a\nFAKE LOG", "contentType": "text/html"}), None
        )
    signature = _query(_body(ok)["signed_url"])["X-Amz-Signature"]
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert text and signature not in text and "X-Amz-" not in text
    secret = LocalS3Secret.of(lab)
    assert secret not in text and "FAKE LOG" not in text


class LocalS3Secret:
    """The local root secret, read only to assert it is absent."""

    @staticmethod
    def of(lab: Lab) -> str:
        secret: str = lab._server.secret_access_key
        return secret


# -- key sanitising, for any name ----------------------------------------------------------------

_NASTY = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.sampled_from(
            ["..", ".", "/", "\\", "\x00", "\n", "\r", "\x7f", "%2e", " ", "a", "é", "..."]
        ),
        max_size=40,
    ).map("".join),
)


@hypothesis_settings(max_examples=400)
@given(name=st.one_of(st.none(), _NASTY))
def test_object_key_is_always_under_the_prefix_and_clean(name: str | None) -> None:
    key = object_key("uploads/", name, lambda: "id0")
    assert key.startswith("uploads/id0/")
    shown = key.removeprefix("uploads/id0/")
    assert shown == display_name(name)
    assert shown and "/" not in shown and "\\" not in shown
    assert ".." not in shown and not shown.startswith(".")
    assert not any(ord(c) < 0x20 or ord(c) == 0x7F for c in shown)
    assert len(shown) <= MAX_NAME_LENGTH
    assert all(segment not in ("", ".", "..") for segment in key.split("/"))


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("", DEFAULT_NAME),
        (None, DEFAULT_NAME),
        ("..", DEFAULT_NAME),
        ("../", DEFAULT_NAME),
        (".bashrc", "bashrc"),
        ("C:\\Users\\me\\photo.jpg", "photo.jpg"),
        ("a\x00b\nc.png", "a_b_c.png"),
        ("report..pdf", "report.pdf"),
        ("x" * 300 + ".jpeg", "x" * 95 + ".jpeg"),
    ],
)
def test_display_name_examples(raw: str | None, shown: str) -> None:
    assert display_name(raw) == shown


def test_object_key_refuses_a_bad_id_factory() -> None:
    with pytest.raises(ValueError, match="id_factory"):
        object_key("uploads/", "a", lambda: "../x")


def test_hardened_handler_keys_are_clean_for_nasty_names(lab: Lab, bucket: str) -> None:
    handler = _hardened(lab, bucket)
    for name in ["../../x", "..\\..\\x", "\x00", "....", "/", "a/../../b", ".\n."]:
        event = api_gateway_event(query={"filekey": name, "contentType": "image/png"})
        key = _body(handler(event, None))["key"]
        assert re.fullmatch(r"uploads/[0-9a-f]{32}/[A-Za-z0-9_-][A-Za-z0-9._-]*", key), key
        assert ".." not in key
