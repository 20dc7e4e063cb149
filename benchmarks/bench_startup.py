"""How long the strict local S3 takes to start, in a fresh interpreter (target: under 1.5 s).

Each run is a new Python process that imports presignlab's LocalS3, starts it and makes one
boto3 call (ListBuckets). Printed: the median over runs of import, start, first call, and the
total.

Run: ``.venv/bin/python benchmarks/bench_startup.py [--runs 5]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

PROBE = r"""
import json, time
t0 = time.perf_counter()
from presignlab.locals3.server import LocalS3
t1 = time.perf_counter()
server = LocalS3().start()
t2 = time.perf_counter()
server.client().list_buckets()
t3 = time.perf_counter()
server.stop()
print(json.dumps({"import": t1 - t0, "start": t2 - t1, "first_call": t3 - t2, "total": t3 - t0}))
"""


def main() -> int:
    """Run the probe a few times and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(args.runs)
    ]
    for phase in ("import", "start", "first_call", "total"):
        print(f"{phase:>12}: {statistics.median(r[phase] for r in runs):.3f} s")
    total = statistics.median(r["total"] for r in runs)
    print(f"target 1.5 s: {'met' if total < 1.5 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
