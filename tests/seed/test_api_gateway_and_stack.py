"""The local API Gateway, the provisioned stack and ``presignlab serve`` (no browser needed)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError
from werkzeug.test import Client, EnvironBuilder
from werkzeug.wrappers import Request

from presignlab.seed import GatewayApp, Stack, proxy_response, serve_stack
from presignlab.seed.api_gateway import MAX_DIAGNOSE_BODY, proxy_event
from presignlab.seed.signing_function import ALLOWED_CONTENT_TYPES, api_gateway_event

AWS_EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with serve_stack() as running:
        yield running


def _echo(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"statusCode": 200, "headers": {"X-Seen": "yes"}, "body": json.dumps(event)}


# -- the adapter ------------------------------------------------------------------------------


def test_proxy_event_is_api_gateways_shape() -> None:
    builder = EnvironBuilder(
        path="/presign",
        query_string="filekey=a.png&contentType=image/png&x=1&x=2",
        headers={"Origin": "http://127.0.0.1:1"},
    )
    event = proxy_event(Request(builder.get_environ()))
    assert event["httpMethod"] == "GET" and event["path"] == "/presign"
    assert event["queryStringParameters"] == {
        "filekey": "a.png",
        "contentType": "image/png",
        "x": "2",
    }
    assert event["multiValueQueryStringParameters"]["x"] == ["1", "2"]
    assert event["headers"]["Origin"] == "http://127.0.0.1:1"
    assert event["body"] is None and event["isBase64Encoded"] is False
    assert set(api_gateway_event()) <= set(event)


def test_gateway_hands_the_event_to_the_handler_and_its_answer_back() -> None:
    client = Client(GatewayApp(_echo))
    answer = client.get("/presign?filekey=x", headers={"Origin": "http://o"})
    assert answer.status_code == 200 and answer.headers["X-Seen"] == "yes"
    assert json.loads(answer.data)["queryStringParameters"] == {"filekey": "x"}


@pytest.mark.parametrize(
    "result",
    [None, {"body": "x"}, {"statusCode": "200", "body": ""}, {"statusCode": 200, "body": 5}],
    ids=["none", "no-status", "status-text", "body-not-text"],
)
def test_malformed_proxy_answer_is_502_like_api_gateway(result: Any) -> None:
    answer = proxy_response(result)
    assert answer.status_code == 502
    assert json.loads(answer.get_data()) == {"message": "Internal server error"}


def test_handler_that_raises_is_502() -> None:
    def broken(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise KeyError("filekey")

    answer = Client(GatewayApp(broken)).get("/presign")
    assert answer.status_code == 502 and answer.json == {"message": "Internal server error"}


def test_multi_value_and_base64_answers() -> None:
    answer = proxy_response(
        {"statusCode": 201, "multiValueHeaders": {"X-A": ["1", "2"]}, "body": "aGk=",
         "isBase64Encoded": True}
    )  # fmt: skip
    assert answer.status_code == 201 and answer.get_data() == b"hi"
    assert answer.headers.getlist("X-A") == ["1", "2"]


def test_page_routes_and_unknown_paths() -> None:
    client = Client(GatewayApp(_echo, connect_to=["http://127.0.0.1:9"]))
    page = client.get("/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "connect-src 'self' http://127.0.0.1:9" in page.headers["Content-Security-Policy"]
    assert b'src="upload.js"' in page.data
    for path, kind in (("/upload.js", "text/javascript"), ("/upload.css", "text/css")):
        assert client.get(path).mimetype == kind
    assert client.get("/nothing").status_code == 404
    assert client.post("/").status_code == 404
    assert client.get("/diagnose").status_code == 405


def test_diagnose_endpoint_refuses_bad_bodies() -> None:
    client = Client(GatewayApp(_echo))
    assert client.post("/diagnose", data="{", content_type="application/json").status_code == 400
    huge = "x" * (MAX_DIAGNOSE_BODY + 1)
    assert client.post("/diagnose", data=huge, content_type="application/json").status_code == 413
    answer = client.post("/diagnose", json={"no": "url"})
    assert answer.status_code == 200 and answer.json["verdict"] == "invalid-input"
    garbage = client.post("/diagnose", json={"url": "not a url", "headers": [1, 2, 3]})
    assert garbage.status_code == 200 and garbage.json["verdict"] == "invalid-input"


# -- the stack --------------------------------------------------------------------------------


def test_signing_api_contract(stack: Stack) -> None:
    answer = requests.get(
        stack.presign_url,
        params={
            "filekey": "../../etc/passwd\x07.png",
            "contentType": "image/png",
            "httpStatus": "302",
        },
        headers={"Origin": stack.origin, **stack.token.header},
        timeout=10,
    )
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == stack.origin
    grant = answer.json()
    assert set(grant) == {"signed_url", "method", "headers", "key", "expires_in"}
    assert grant["method"] == "PUT" and grant["headers"] == {"Content-Type": "image/png"}
    assert grant["key"].startswith("uploads/") and ".." not in grant["key"]
    assert grant["key"].count("/") == 2 and "\x07" not in grant["key"]
    assert 0 < grant["expires_in"] <= 900
    assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in grant["signed_url"]
    assert grant["signed_url"].startswith(f"{stack.endpoint_url}/{stack.bucket}/uploads/")
    put = requests.put(grant["signed_url"], data=b"%PNG", headers=grant["headers"], timeout=10)
    assert put.status_code == 200, put.text


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml", "application/x-sh", ""])
def test_signing_api_refuses_other_types_with_json(stack: Stack, content_type: str) -> None:
    answer = requests.get(
        stack.presign_url,
        params={"filekey": "a", "contentType": content_type},
        headers=stack.token.header,
        timeout=10,
    )
    assert answer.status_code == 400 and "error" in answer.json()
    assert content_type not in ALLOWED_CONTENT_TYPES


def test_other_origins_get_no_cors_from_the_api(stack: Stack) -> None:
    answer = requests.get(
        stack.presign_url,
        params={"filekey": "a.png", "contentType": "image/png"},
        headers={"Origin": "http://evil.example", **stack.token.header},
        timeout=10,
    )
    assert answer.status_code == 200 and "Access-Control-Allow-Origin" not in answer.headers


def test_bucket_cors_rule_admits_exactly_the_page(stack: Stack) -> None:
    rules = stack.client().get_bucket_cors(Bucket=stack.bucket)["CORSRules"]
    assert len(rules) == 1
    rule = rules[0]
    assert rule["AllowedOrigins"] == [stack.origin]
    assert rule["AllowedMethods"] == ["PUT", "POST", "GET"]
    assert rule["AllowedHeaders"] == ["content-type"]
    assert rule["ExposeHeaders"] == ["ETag"]
    assert stack.origin != stack.endpoint_url  # another port: the browser applies CORS


def test_signer_may_only_put_under_the_prefix(stack: Stack) -> None:
    assert stack.signer is not None
    policies = stack.client("iam").list_user_policies(UserName=stack.signer.user_name)
    document = stack.client("iam").get_user_policy(
        UserName=stack.signer.user_name, PolicyName=policies["PolicyNames"][0]
    )["PolicyDocument"]
    statement = (document if isinstance(document, dict) else json.loads(document))["Statement"]
    assert statement == [
        {
            "Sid": "PutUploadsOnly",
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": f"arn:aws:s3:::{stack.bucket}/uploads/*",
        }
    ]
    signer = stack.client(
        "s3",
        aws_access_key_id=stack.signer.access_key_id,
        aws_secret_access_key=stack.signer.secret_access_key,
    )
    signer.put_object(Bucket=stack.bucket, Key="uploads/ok.txt", Body=b"ok")
    for call in (
        lambda: signer.put_object(Bucket=stack.bucket, Key="elsewhere.txt", Body=b"no"),
        lambda: signer.get_object(Bucket=stack.bucket, Key="uploads/ok.txt"),
        lambda: signer.list_objects_v2(Bucket=stack.bucket),
    ):
        with pytest.raises(ClientError) as caught:
            call()
        assert caught.value.response["Error"]["Code"] == "AccessDenied"


def test_diagnose_endpoint_explains_an_expired_url(stack: Stack) -> None:
    grant = requests.get(
        stack.presign_url,
        params={"filekey": "a.png", "contentType": "image/png"},
        headers=stack.token.header,
        timeout=10,
    ).json()
    stack.clock.advance(seconds=grant["expires_in"] + 1)
    try:
        put = requests.put(grant["signed_url"], data=b"x", headers=grant["headers"], timeout=10)
        diagnosis = requests.post(
            f"{stack.origin}/diagnose",
            json={"url": grant["signed_url"], "method": "PUT", "headers": grant["headers"],
                  "error_body": put.text},
            timeout=10,
        ).json()  # fmt: skip
    finally:
        stack.clock.advance(seconds=-(grant["expires_in"] + 1))
    assert put.status_code == 403
    assert "expired" in [f["code"] for f in diagnosis["findings"]]


def test_repr_and_lines_never_show_a_secret(stack: Stack) -> None:
    assert stack.signer is not None
    text = "\n".join([repr(stack), repr(stack.signer), repr(stack.token), *stack.lines()])
    assert stack.signer.secret_access_key not in text and AWS_EXAMPLE_SECRET not in text
    assert stack.token.value not in text
    assert f"Signing API: {stack.origin}/presign" in text
    assert f"Upload page: {stack.origin}/" in text


def test_stack_reusing_a_server_deletes_what_it_made(stack: Stack) -> None:
    with Stack(s3=stack.server) as inner:
        assert inner.bucket != stack.bucket and inner.api_port != stack.api_port
        assert inner.signer is not None and stack.signer is not None
        assert inner.signer.user_name != stack.signer.user_name
    assert inner.server is stack.server and stack.server is not None and stack.server.running
    buckets = [b["Name"] for b in stack.client().list_buckets()["Buckets"]]
    assert inner.bucket not in buckets and stack.bucket in buckets
    users = [u["UserName"] for u in stack.client("iam").list_users()["Users"]]
    assert inner.signer.user_name not in users and stack.signer.user_name in users


# -- presignlab serve -------------------------------------------------------------------------

SERVE = "import sys; from presignlab.cli import main; sys.exit(main(sys.argv[1:]))"


def _page_token(html: str) -> str:
    found = re.search(r'<meta name="presign-token" content="([A-Za-z0-9_-]{43})">', html)
    assert found, "the upload page carries no token"
    return found.group(1)


def test_serve_prints_the_signing_api_and_page_and_they_answer() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(8)]
        assert lines[0].startswith("S3 endpoint: http://127.0.0.1:")
        assert "AKIAIOSFODNN7EXAMPLE" in lines[1]
        assert lines[2].startswith("Signing API: http://127.0.0.1:") and lines[2].rstrip().endswith(
            "/presign"
        )
        api = lines[2].split(": ", 1)[1].strip()
        page = lines[3].split(": ", 1)[1].strip()
        assert lines[3].startswith("Upload page: ") and page == api.removesuffix("presign")
        assert lines[-1].strip() == "Press Ctrl-C to stop."
        assert AWS_EXAMPLE_SECRET not in "".join(lines)
        assert "Authorization: Bearer <token>" in lines[6]
        served = requests.get(page, timeout=10)
        assert served.status_code == 200
        token = _page_token(served.text)
        assert token not in "".join(lines)  # the token is served to the page, never printed
        query = {"filekey": "a.gif", "contentType": "image/gif"}
        refused = requests.get(api, params=query, timeout=10)
        assert refused.status_code == 401 and refused.json() == {"message": "Unauthorized"}
        grant = requests.get(
            api, params=query, headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
        assert grant.status_code == 200 and grant.json()["method"] == "PUT"
        process.terminate()
        out, err = process.communicate(timeout=15)
        assert process.returncode == 0 and "Stopped." in out and err == ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_s3_only_and_a_taken_api_port() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-c", SERVE, "serve", "--port", "0", "--api-port", str(port)],
            check=False, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert result.returncode == 1 and result.stderr.startswith("error: cannot listen on")
    assert result.stdout == ""
