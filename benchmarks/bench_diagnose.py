"""In-process time of ``diagnose``: median over realistic cases, and the worst case.

The cases are the common failures (a Content-Type changed by the browser, GET sent to a PUT
URL, a JS SDK v3 URL with its checksum pair stripped, an expired URL, a refused preflight, a
region edited after signing) and the searches that try everything: a wrong secret (every
candidate is tried before the diagnosis concludes ``wrong-secret-key`` is suspected), and a
hostile URL with 40 query parameters and 12 signed headers, which the search's hard time
budget (``SEARCH_BUDGET``) cuts short. Targets: median at most 50 ms; worst case within the
budget plus 100 ms.

    .venv/bin/python benchmarks/bench_diagnose.py [rounds]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from presignlab import presign_v4
from presignlab.diagnosis import diagnose
from presignlab.diagnosis.signature.search import SEARCH_BUDGET

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SIGNED_AT = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
NOW = SIGNED_AT + timedelta(minutes=2)
HEADERS = {"Content-Type": "image/png", "x-amz-acl": "private", "x-amz-meta-owner": "alice"}
BASE = "https://examplebucket.s3.eu-west-1.amazonaws.com"
WRONG = "not-the-secret-key-at-all-000000000000000"


@dataclass(frozen=True)
class Timing:
    """Median and worst time of ``diagnose`` over the cases, in milliseconds."""

    median_ms: float
    worst_ms: float
    worst_case: str
    budget_ms: float


def _url(path: str, headers: dict[str, str], region: str = "eu-west-1", **kwargs: Any) -> str:
    return presign_v4(
        "PUT", f"{BASE}/{path}", access_key=ACCESS_KEY, secret_key=kwargs.pop("secret", SECRET_KEY),
        region=region, now=SIGNED_AT, headers=headers, **kwargs,
    )  # fmt: skip


def cases() -> dict[str, Callable[[], object]]:
    """Name -> a diagnose call (URLs are made once, outside the timing)."""
    png = _url("photos/a%20b%2Bc.png?uploadId=1", HEADERS)
    pair = "x-amz-checksum-crc32=AAAAAA%3D%3D&x-amz-sdk-checksum-algorithm=CRC32"
    js = _url(f"u/photo.jpg?X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&{pair}&x-id=PutObject", {})
    js = js.replace(f"&{pair}", "")
    hostile_headers = {f"x-amz-meta-k{i}": f"v{i}" for i in range(12)}
    hostile = _url(
        "deep/"
        + "/".join(f"p%20{i}" for i in range(20))
        + "?"
        + "&".join(f"q{i}={i}" for i in range(40)),
        hostile_headers,
    )
    edited = _url("r.txt", {}, region="eu-west-3").replace("eu-west-3", "eu-west-1")
    return {
        "content-type changed": lambda: diagnose(png, "PUT", {**HEADERS, "Content-Type": "multipart/form-data"}, secret_key=SECRET_KEY, now=NOW),
        "GET to a PUT URL": lambda: diagnose(png, "GET", {}, secret_key=SECRET_KEY, now=NOW),
        "JS v3 pair stripped": lambda: diagnose(js, "PUT", {}, secret_key=SECRET_KEY, now=NOW),
        "expired, no secret": lambda: diagnose(png, "PUT", HEADERS, now=NOW + timedelta(days=1)),
        "preflight against rules": lambda: diagnose(png, "OPTIONS", {"Origin": "http://localhost:3000", "Access-Control-Request-Method": "PUT"}, now=NOW, cors=[{"AllowedOrigins": ["https://app.example"], "AllowedMethods": ["PUT"]}]),
        "region edited": lambda: diagnose(edited, "PUT", {}, secret_key=SECRET_KEY, now=NOW),
        "wrong secret (full search)": lambda: diagnose(png, "PUT", HEADERS, secret_key=WRONG, now=NOW),
        "hostile URL (budget)": lambda: diagnose(hostile, "PUT", hostile_headers, secret_key=WRONG, now=NOW),
    }  # fmt: skip


def main(rounds: int = 20) -> Timing:
    """Run every case ``rounds`` times; print and return the median and the worst."""
    timings: list[float] = []
    worst = (0.0, "")
    per_case = {}
    for name, call in cases().items():
        mine = []
        for _ in range(rounds):
            start = time.perf_counter()
            call()
            mine.append((time.perf_counter() - start) * 1000)
        timings += mine
        per_case[name] = statistics.median(mine)
        if max(mine) > worst[0]:
            worst = (max(mine), name)
    result = Timing(statistics.median(timings), worst[0], worst[1], SEARCH_BUDGET * 1000)
    for name, ms in per_case.items():
        print(f"  {name:28} median {ms:7.1f} ms")
    print(
        f"diagnose over {len(per_case)} cases x {rounds} rounds: median {result.median_ms:.1f} ms "
        f"(target <= 50 ms), worst {result.worst_ms:.1f} ms ({result.worst_case}; search budget "
        f"{result.budget_ms:.0f} ms, target <= {result.budget_ms + 100:.0f} ms)"
    )
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
