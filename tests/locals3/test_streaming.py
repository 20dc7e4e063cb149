"""aws-chunked upload bodies (SigV4 streaming) and the ``presignlab serve`` command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime

import pytest
import requests

from presignlab.locals3.body.aws_chunked import ChunkSigner
from presignlab.locals3.server import LocalS3
from presignlab.signing import sigv4
from support.locals3 import error_code, sign_v4_headers

BUCKET = "presign-lab-stream"
AWS_EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SERVE = "import sys; from presignlab.cli import main; sys.exit(main())"


def test_chunk_signatures_match_the_aws_documentation_example() -> None:
    """AWS S3 API reference, "Transferring payload in multiple chunks": 64 KiB + 1 KiB of 'a'."""
    signer = ChunkSigner(
        signing_key=sigv4.signing_key(AWS_EXAMPLE_SECRET, "20130524", "us-east-1", "s3"),
        amz_date="20130524T000000Z",
        scope="20130524/us-east-1/s3/aws4_request",
        previous="4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
    )
    assert (
        signer.chunk(b"a" * 65536)
        == "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
    )
    assert (
        signer.chunk(b"a" * 1024)
        == "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"
    )
    assert signer.chunk(b"") == "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
    assert "signing_key" in repr(signer) and "***" in repr(signer)


def _signed_streaming_upload(
    server: LocalS3, key: str, parts: list[bytes], *, tamper: bool = False
) -> requests.Response:
    url = f"{server.endpoint_url}/{BUCKET}/{key}"
    now = datetime.now(UTC)
    total = sum(len(p) for p in parts)
    headers = sign_v4_headers(
        server,
        "PUT",
        url,
        payload="STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        now=now,
        headers={"content-encoding": "aws-chunked", "x-amz-decoded-content-length": str(total)},
    )
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    signer = ChunkSigner(
        signing_key=sigv4.signing_key(server.secret_access_key, amz_date, "us-east-1"),
        amz_date=amz_date,
        scope=sigv4.credential_scope(amz_date, "us-east-1"),
        previous=headers["Authorization"].rsplit("Signature=", 1)[1],
    )
    body = b""
    for data in [*parts, b""]:
        signature = signer.chunk(data)
        sent = data.replace(b"a", b"b") if tamper and data else data
        body += f"{len(data):x};chunk-signature={signature}\r\n".encode() + sent + b"\r\n"
    return requests.put(url, data=body, headers=headers, timeout=10)


def test_signed_streaming_upload_is_decoded(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    answer = _signed_streaming_upload(local_s3, "chunked.bin", [b"a" * 70000, b"a" * 1000])
    assert answer.status_code == 200, answer.text
    stored = s3.get_object(Bucket=BUCKET, Key="chunked.bin")
    assert stored["Body"].read() == b"a" * 71000
    assert "aws-chunked" not in stored.get("ContentEncoding", "")


def test_tampered_chunk_is_refused_and_not_stored(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    answer = _signed_streaming_upload(local_s3, "bad.bin", [b"a" * 100], tamper=True)
    assert answer.status_code == 403 and error_code(answer.content) == "SignatureDoesNotMatch"
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def _unsigned_trailer_upload(server: LocalS3, crc32: str) -> requests.Response:
    url = f"{server.endpoint_url}/{BUCKET}/trailer.txt"
    headers = sign_v4_headers(
        server,
        "PUT",
        url,
        payload="STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        headers={
            "content-encoding": "aws-chunked",
            "x-amz-decoded-content-length": "5",
            "x-amz-trailer": "x-amz-checksum-crc32",
        },
    )
    body = f"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:{crc32}\r\n\r\n".encode()
    return requests.put(url, data=body, headers=headers, timeout=10)


def test_unsigned_payload_with_checksum_trailer(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    wrong = _unsigned_trailer_upload(local_s3, "AAAAAA==")
    assert wrong.status_code == 400 and error_code(wrong.content) == "BadDigest"
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0
    answer = _unsigned_trailer_upload(local_s3, "NhCmhg==")  # CRC32 of b"hello"
    assert answer.status_code == 200, answer.text
    assert s3.get_object(Bucket=BUCKET, Key="trailer.txt")["Body"].read() == b"hello"


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_serve_command_prints_its_endpoint_and_answers(stop_signal: signal.Signals) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("S3 endpoint: http://127.0.0.1:")
        endpoint = first.split(": ", 1)[1].strip()
        key_line = process.stdout.readline()
        assert "AKIAIOSFODNN7EXAMPLE" in key_line and AWS_EXAMPLE_SECRET not in key_line
        answer = requests.get(f"{endpoint}/no-such-bucket", timeout=10)
        assert answer.status_code == 404 and error_code(answer.content) == "NoSuchBucket"
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=10)
        assert process.returncode == 0 and "Stopped." in out and err == ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
