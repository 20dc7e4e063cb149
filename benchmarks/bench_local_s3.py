"""The strict local S3 against a raw moto server, side by side, in one run.

Each server runs in its own subprocess; this script is the client. Measured per server:

* median latency of a 1 KiB presigned PUT (after a warm-up; the two servers run at once and
  requests alternate between them, so background load affects both alike);
* throughput of a 64 MiB presigned PUT (best of a few);
* peak server memory growth: the subprocess's RSS high-water mark (``VmHWM``) after the
  presigned uploads minus the one after the warm-up;
* for information, boto3 ``put_object`` of the same body (header auth with a signed payload
  SHA-256 and a CRC32 checksum, which the strict server verifies on a spooled copy).

Targets: latency <= 1.3x moto, throughput >= 0.8x moto, memory <= 1.25x moto.

Run: ``.venv/bin/python benchmarks/bench_local_s3.py [--rounds 200] [--big-mib 64]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import boto3
import requests
from botocore.config import Config

SERVER_SCRIPT = r"""
import sys
kind = sys.argv[1]
if kind == "strict":
    from presignlab.locals3.server import LocalS3
    server = LocalS3().start()
    print("READY", server.endpoint_url, flush=True)
else:
    from moto.server import ThreadedMotoServer
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    print("READY", f"http://{host}:{port}", flush=True)
sys.stdin.read()
"""

KEYS = {
    "aws_access_key_id": "AKIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
}


def _hwm_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


class Target:
    """One server subprocess and a client for it."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER_SCRIPT, kind],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        endpoint = self.process.stdout.readline().split()[1]
        self.s3 = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            **KEYS,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )
        self.s3.create_bucket(Bucket="bench-bucket")
        self.http = requests.Session()
        self.latencies: list[float] = []
        self.big_seconds = float("inf")
        self.signed_seconds = float("inf")

    def url(self, key: str) -> str:
        """A presigned PUT URL for ``key``."""
        return str(
            self.s3.generate_presigned_url(
                "put_object", Params={"Bucket": "bench-bucket", "Key": key}
            )
        )

    def put(self, url: str, data: bytes) -> float:
        """Seconds one presigned PUT takes."""
        start = time.perf_counter()
        answer = self.http.put(url, data=data)
        elapsed = time.perf_counter() - start
        assert answer.status_code == 200, answer.text[:200]
        return elapsed

    def high_water_mib(self) -> float:
        """The server's RSS high-water mark."""
        return _hwm_kib(self.process.pid) / 1024

    def close(self) -> None:
        """Stop the server subprocess."""
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=10)


def measure(rounds: int, big_mib: int) -> dict[str, dict[str, float]]:
    """Both servers run at once and requests alternate, so background load hits both alike."""
    targets = [Target("moto"), Target("strict")]
    try:
        small = b"s" * 1024
        urls = {t.kind: t.url("small") for t in targets}
        for _ in range(20):
            for t in targets:
                t.put(urls[t.kind], small)
        for _ in range(rounds):
            for t in targets:
                t.latencies.append(t.put(urls[t.kind], small))
        baseline = {t.kind: t.high_water_mib() for t in targets}
        big = b"b" * (big_mib * 1024 * 1024)
        big_urls = {t.kind: t.url("big") for t in targets}
        for _ in range(3):
            for t in targets:
                t.big_seconds = min(t.big_seconds, t.put(big_urls[t.kind], big))
        growth = {t.kind: t.high_water_mib() - baseline[t.kind] for t in targets}
        for _ in range(2):
            for t in targets:
                start = time.perf_counter()
                t.s3.put_object(Bucket="bench-bucket", Key="signed", Body=big)
                t.signed_seconds = min(t.signed_seconds, time.perf_counter() - start)
        return {
            t.kind: {
                "signed_mib_s": big_mib / t.signed_seconds,
                "latency_ms": statistics.median(t.latencies) * 1000,
                "throughput_mib_s": big_mib / t.big_seconds,
                "memory_growth_mib": growth[t.kind],
            }
            for t in targets
        }
    finally:
        for t in targets:
            t.close()


def main() -> int:
    """Measure both servers and print the ratios against the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--big-mib", type=int, default=64)
    args = parser.parse_args()
    results = measure(args.rounds, args.big_mib)
    moto, strict = results["moto"], results["strict"]
    print(f"{'':28}{'moto':>12}{'strict':>12}{'ratio':>10}  target")
    rows = [
        ("median 1 KiB PUT (ms)", "latency_ms", "<= 1.30"),
        (f"{args.big_mib} MiB PUT (MiB/s)", "throughput_mib_s", ">= 0.80"),
        ("peak RSS growth (MiB)", "memory_growth_mib", "<= 1.25"),
        (f"{args.big_mib} MiB put_object (MiB/s)", "signed_mib_s", "(info)"),
    ]
    for label, key, target in rows:
        ratio = strict[key] / moto[key] if moto[key] else float("nan")
        print(f"{label:28}{moto[key]:12.2f}{strict[key]:12.2f}{ratio:10.2f}  {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
