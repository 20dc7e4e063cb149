"""``POST /diagnose`` of the upload page: server-side with the signer's secret, and hardened.

The panel's diagnosis runs on the server with the secret of the signer the local signing
service holds (it never reaches the page), shows the comparison as HTML, names no command-line
option, and calls a wrong page origin a CORS failure. Bad bodies get clear answers: JSON
nested 100,000 deep is a 400, a body over 256 KiB a 413 also when it is sent chunked (the
server stops reading at the limit).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import requests
from werkzeug.test import Client

from presignlab.seed import GatewayApp, Stack, serve_stack
from presignlab.seed.api_gateway import MAX_DIAGNOSE_BODY


def _echo(event: dict, context: object) -> dict:  # type: ignore[type-arg]
    return {"statusCode": 200, "body": "{}"}


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with serve_stack() as running:
        yield running


def _grant(stack: Stack) -> dict:  # type: ignore[type-arg]
    answer = requests.get(
        stack.presign_url,
        params={"filekey": "a.jpg", "contentType": "image/jpeg"},
        headers=stack.token.header,
        timeout=10,
    )
    return answer.json()  # type: ignore[no-any-return]


def _diagnose(stack: Stack, payload: dict, origin: str | None = None) -> dict:  # type: ignore[type-arg]
    headers = {"Origin": origin or stack.origin}
    return requests.post(
        f"{stack.origin}/diagnose", json=payload, headers=headers, timeout=30
    ).json()  # type: ignore[no-any-return]


def test_deeply_nested_json_is_a_clear_400() -> None:
    client = Client(GatewayApp(_echo))
    for depth in (100_000, 5_000):
        answer = client.post(
            "/diagnose", data="[" * depth + "]" * depth, content_type="application/json"
        )
        assert answer.status_code == 400 and "nested too deeply" in answer.json["message"]
    answer = client.post(
        "/diagnose", data='{"url": ' * 3000 + "1" + "}" * 3000, content_type="application/json"
    )
    assert answer.status_code == 400


def test_chunked_body_over_the_limit_is_413_without_reading_it_all(stack: Stack) -> None:
    sent = {"bytes": 0}
    host, port = stack.host, stack.api_port
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(
            f"POST /diagnose HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        stop = threading.Event()

        def pump() -> None:
            chunk = b"x" * 65536
            frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
            try:
                while not stop.is_set() and sent["bytes"] < 200 * 1024 * 1024:
                    conn.sendall(frame)
                    sent["bytes"] += len(chunk)
            except OSError:
                pass

        writer = threading.Thread(target=pump, daemon=True)
        writer.start()
        conn.settimeout(20)
        answer = b""
        deadline = time.monotonic() + 20
        while b"\r\n\r\n" not in answer and time.monotonic() < deadline:
            piece = conn.recv(4096)
            if not piece:
                break
            answer += piece
        writer.join(timeout=30)  # the server closes the connection: the writer's sends fail
        stop.set()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent["bytes"] < 100 * 1024 * 1024, sent  # stopped long before 200 MiB


def test_declared_large_body_is_413() -> None:
    client = Client(GatewayApp(_echo))
    answer = client.post(
        "/diagnose", data="x" * (MAX_DIAGNOSE_BODY + 1), content_type="application/json"
    )
    assert answer.status_code == 413


def test_panel_diagnosis_uses_the_signers_secret_on_the_server(stack: Stack) -> None:
    grant = _grant(stack)
    sent = {"Content-Type": "image/png"}  # the page sent another type than the one signed
    put = requests.put(grant["signed_url"], data=b"\xff\xd8", headers=sent, timeout=10)
    assert put.status_code == 403
    answer = _diagnose(
        stack,
        {
            "url": grant["signed_url"],
            "method": "PUT",
            "headers": sent,
            "error_body": put.text,
            "status": 403,
        },
    )
    first = answer["findings"][0]
    assert first["code"] == "signed-header-value-mismatch" and first["confidence"] == "confirmed"
    assert answer["signature_computed"] is not None  # the server had the secret
    assert (
        "<table class='presignlab-comparison'>" in answer["comparison_html"]
        and "differs" in answer["comparison_html"]
    )
    assert "style=" not in answer["comparison_html"]  # the page's CSP forbids inline styles
    text = json.dumps(answer)
    assert stack.signer is not None and stack.signer.secret_access_key not in text
    assert "--" not in "".join(f["message"] + f["fix"] for f in answer["findings"]) + "".join(
        answer["notes"]
    )


def test_wrong_page_origin_is_named_a_cors_failure(stack: Stack) -> None:
    grant = _grant(stack)
    wrong = f"http://localhost:{stack.api_port}"
    answer = _diagnose(
        stack,
        {"url": grant["signed_url"], "method": "PUT", "headers": grant["headers"], "error_body": "", "status": 0, "network_error": True},
        origin=wrong,
    )  # fmt: skip
    assert answer["findings"][0]["code"] == "cors-preflight-denied"
    assert (
        wrong in answer["findings"][0]["message"]
        and stack.origin in answer["findings"][0]["message"]
    )
    assert all(f["code"] == "cors-preflight-denied" for f in answer["findings"])


def test_no_secret_for_urls_another_key_signed(stack: Stack) -> None:
    grant = _grant(stack)
    other = grant["signed_url"].replace(
        stack.signer.access_key_id if stack.signer else "", "AKIAIOSFODNN7EXAMPLE"
    )
    answer = _diagnose(stack, {"url": other, "method": "PUT", "headers": grant["headers"]})
    assert answer["signature_computed"] is None
