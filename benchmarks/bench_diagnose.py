"""Median in-process time of ``diagnose`` with a secret key and the full candidate search.

The worst case is measured: the secret is wrong, so every candidate (methods, signed headers
with common values, query parameters, path and host variants, every AWS region) is tried
before the diagnosis concludes ``wrong-secret-key``. Target: at most 50 ms.

    .venv/bin/python benchmarks/bench_diagnose.py [rounds]
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime

from presignlab import presign_v4
from presignlab.diagnosis import diagnose

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SIGNED_AT = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
HEADERS = {"Content-Type": "image/png", "x-amz-acl": "private", "x-amz-meta-owner": "alice"}


def main(rounds: int = 50) -> float:
    url = presign_v4(
        "PUT",
        "https://examplebucket.s3.eu-west-1.amazonaws.com/photos/a%20b%2Bc.png?uploadId=1",
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        region="eu-west-1",
        now=SIGNED_AT,
        headers=HEADERS,
    )
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        result = diagnose(
            url,
            "PUT",
            HEADERS,
            secret_key="not-the-secret-key-at-all-000000000000000",
            now=SIGNED_AT,
        )
        timings.append(time.perf_counter() - start)
    assert result.codes == ["wrong-secret-key"], result.codes
    median = statistics.median(timings) * 1000
    print(
        f"diagnose with secret key, full candidate search: median {median:.1f} ms over {rounds} rounds "
        f"(target <= 50 ms)"
    )
    return median


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
