# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Is your S3 really S3?
#
# Many applications upload through presigned URLs to a store that is not Amazon S3: MinIO,
# Cloudflare R2, Ceph and other S3-compatible stores in production, or an emulator such as
# moto or LocalStack in tests. They all accept the upload that works. They differ in what
# they *refuse*: a URL edited after signing, an expired one, a wrong checksum, a policy
# condition. A test suite that passes against an emulator that accepts everything proves
# little, and a store that refuses with another code breaks the error handling written for
# Amazon S3.
#
# `presignlab probe` makes those differences visible before they bite. It runs the kit's
# failure matrix (the breaks of the earlier notebooks) against an endpoint, and puts each
# answer next to the one Amazon S3 gives. This notebook runs it against the kit's strict
# local S3 and against a raw moto server, side by side, and explains how to run it against
# real AWS or another store.
#
# ## Overview
#
# 1. The failure matrix
# 2. The strict local S3
# 3. A raw moto server
# 4. Side by side
# 5. Recording a run and comparing with it
# 6. Against real AWS or another store

# %% [markdown]
# ## Prerequisites
#
# | Concept | Importance | Notes |
# |---|---|---|
# | [06-signature-does-not-match](06-signature-does-not-match.ipynb) | Helpful | The signature breaks the probe repeats |
# | [07-access-denied](07-access-denied.ipynb) | Helpful | Expiry, session tokens, ACLs |
# | [10-cors-and-the-browser](10-cors-and-the-browser.ipynb) | Helpful | Preflights |
#
# - **AWS account:** not needed. This notebook never sends a request to AWS (nor does CI);
#   the last section shows the command that does, for you to run.
# - **Time to learn:** 15 minutes.

# %% [markdown]
# ## Imports

# %%
import json
import logging
import tempfile
from html import escape
from pathlib import Path

from IPython.display import HTML
from moto.server import ThreadedMotoServer

import presignlab
from presignlab import LocalS3
from presignlab.examples import EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY
from presignlab.probing import (
    CASES,
    COST_NOTE,
    DIFFERS,
    EXPECTED,
    SAME,
    SKIPPED,
    ProbeError,
    compare_with_recording,
    load_recording,
    save_recording,
)

# %% [markdown]
# The set-up cell starts the two endpoints on local ports. The strict local S3 follows real
# time here, like any endpoint (the probe creates its buckets with boto3, which signs by
# real time); the probe moves its clock only for the two cases that need time to pass, and
# puts it back. Nothing below prints a time, a port or a signature, so the outputs are the
# same on every run. The raw moto server is moto's own server, with none of the kit's
# layer in front (its request log is silenced).

# %%
logging.getLogger("werkzeug").setLevel(logging.ERROR)
strict_s3 = LocalS3().start()
moto_server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
moto_server.start()
MOTO_URL = "http://{}:{}".format(*moto_server.get_host_and_port())
strict_s3

# %% [markdown]
# ## The failure matrix
#
# Each case is one request. The probe creates its own buckets, under names no one else
# uses (`presignlab-probe-RUN-main`, `-cors`, `-acl`), signs every URL itself with the
# kit's SigV4 presigner, sends it, and reads the status, the error `Code` and the
# `Message`. What Amazon S3 answers comes from the kit's specification,
# [docs/aws-behaviour.md](../docs/aws-behaviour.md), whose rule ids each case cites.
#
# An expired URL needs no waiting: the probe signs it with an `X-Amz-Date` two hours in the
# past. Only two cases need the endpoint's own clock to move (a URL used again after it
# expired, a session token used after it expired); against an endpoint whose clock the
# probe cannot move, they are *skipped*. Cases that need set-up the endpoint may refuse
# (an IAM user, STS, a CORS rule, object ownership) are *not applicable* when it does.

# %%
rows = "".join(
    f"<tr><td style='text-align:left'><code>{case.id}</code></td>"
    f"<td style='text-align:left'>{escape(case.title)}</td>"
    f"<td style='text-align:left'>{EXPECTED[case.id].label}</td>"
    f"<td style='text-align:left'>{', '.join(EXPECTED[case.id].rules)}</td>"
    f"<td style='text-align:left'>{', '.join(case.needs)}</td></tr>"
    for case in CASES
)
HTML(
    "<table><thead><tr><th>case</th><th>request</th><th>AWS answers</th><th>rules</th>"
    f"<th>needs</th></tr></thead><tbody>{rows}</tbody></table>"
)

# %% [markdown]
# ## The strict local S3
#
# `presignlab.probe` takes the endpoint, the region and the credentials (here the local
# S3's root keys, AWS's documented example pair). `server_clock` hands it the local S3's
# clock, so the two clock cases run too; `run_id` fixes the unique part of the bucket
# names, which is random otherwise. The report shows itself as a table: what AWS answers,
# what the endpoint answered, and the verdict.

# %%
strict = presignlab.probe(
    strict_s3.endpoint_url,
    region="us-east-1",
    access_key_id=strict_s3.access_key_id,
    secret_access_key=strict_s3.secret_access_key,
    server_clock=strict_s3.clock,
    run_id="strict",
    progress=False,
)
strict

# %% [markdown]
# Every case is answered as Amazon S3 answers it: the same status, the same code and the
# same message, word for word.

# %%
assert strict.ids(SAME) == [case.id for case in CASES]
assert strict_s3.clock.is_real  # the clock cases put the clock back
strict.counts()

# %% [markdown]
# ## A raw moto server
#
# moto is an excellent library for testing code that *calls* AWS, and the kit's local S3
# stores its objects in moto. But moto's server does not authenticate S3 requests: it does
# not check signatures, expiry, POST policies or checksums. Probed the same way (any keys
# will do; moto has no clock the probe can move):

# %%
moto = presignlab.probe(
    MOTO_URL,
    region="us-east-1",
    access_key_id=EXAMPLE_ACCESS_KEY_ID,
    secret_access_key=EXAMPLE_SECRET_ACCESS_KEY,
    run_id="moto",
    progress=False,
)
moto

# %% [markdown]
# Against moto, an upload URL edited after signing, signed with the wrong secret or for the
# wrong region, expired, or valid for more than the week AWS allows, all store the object.
# So does a POST form whose policy expired or whose file is too large, and a body whose
# checksum does not match. A test suite of such failures passes against moto for the wrong
# reason: nothing was refused.

# %%
ACCEPTED_BY_MOTO = [
    "put-expires-edited",
    "put-wrong-secret",
    "put-wrong-region",
    "url-expired",
    "url-expires-over-a-week",
    "key-unknown",
    "post-policy-expired",
    "post-too-large",
    "put-checksum-crc32-wrong",
]
for case_id in ACCEPTED_BY_MOTO:
    row = moto.row(case_id)
    assert row.verdict.verdict == DIFFERS and row.observed.status in (200, 204), case_id
assert moto.row("put-good").verdict.verdict == SAME
assert moto.ids(SKIPPED) == ["url-expires-while-held", "session-token-expired"]
moto.counts()

# %% [markdown]
# ## Side by side
#
# The two reports, one row per case. The cases both endpoints answer as AWS does are
# left out; the rest are where a test written against moto and run against Amazon S3
# (or the other way round) would behave differently.


# %%
def answer(row):
    """The endpoint's answer, or why the case did not run."""
    if row.observed is None:
        return row.verdict.verdict
    return row.observed.label


cells = []
for case in CASES:
    left, right = strict.row(case.id), moto.row(case.id)
    if left.verdict.verdict == right.verdict.verdict == SAME:
        continue
    cells.append(
        f"<tr><td style='text-align:left'><code>{case.id}</code></td>"
        f"<td style='text-align:left'>{left.expected.label}</td>"
        f"<td style='text-align:left'>{answer(left)}</td>"
        f"<td style='text-align:left'>{answer(right)}</td></tr>"
    )
HTML(
    "<table><thead><tr><th>case</th><th>AWS answers</th><th>strict local S3</th>"
    f"<th>raw moto</th></tr></thead><tbody>{''.join(cells)}</tbody></table>"
)

# %% [markdown]
# Everything the probe created is gone: it deletes its buckets (with their objects) and its
# IAM user in a `finally` block, so also after an error or Ctrl-C. `keep=True`
# (`--keep` on the command line) leaves them in place for debugging.

# %%
print("\n".join(strict.cleanup))
left_over = [
    b["Name"]
    for b in strict_s3.client().list_buckets()["Buckets"]
    if b["Name"].startswith("presignlab-probe-")
]
assert left_over == [] and strict.kept == [] and moto.kept == []

# %% [markdown]
# ## Recording a run and comparing with it
#
# A report saves as JSON (`--record FILE` on the command line): the endpoint and its kind,
# the date, the presignlab, boto3 and botocore versions, and every case with both answers.
# It holds no credential. A run can then be compared with a recording (`--compare FILE`):
# whoever records real AWS can attach the file to a bug report, and anyone can compare
# their store with it. Here the moto run is compared with a recording of the strict run:

# %%
with tempfile.TemporaryDirectory() as folder:
    path = save_recording(strict, Path(folder) / "strict.json")
    recording = load_recording(path)
print(sorted(recording))
comparison = compare_with_recording(moto, recording)
print(comparison.to_text())

# %%
assert comparison.ids("differs") == moto.ids(DIFFERS)
assert json.dumps(recording).count(strict_s3.secret_access_key) == 0

# %% [markdown]
# ## Against real AWS or another store
#
# From a shell, with credentials in boto3's usual places (environment, `~/.aws`, an
# instance role), this probes Amazon S3 in `eu-west-1` and records the answers:
#
# ```bash
# presignlab probe https://s3.eu-west-1.amazonaws.com --region eu-west-1 --record aws-eu-west-1.json
# ```
#
# Before it sends anything to an `*.amazonaws.com` endpoint the command prints a cost note
# and asks for confirmation (`--yes` skips the question; without a terminal it stops). The
# Python function wants `yes=True`, and refuses before any request:

# %%
try:
    presignlab.probe(
        "https://s3.eu-west-1.amazonaws.com",
        region="eu-west-1",
        access_key_id=EXAMPLE_ACCESS_KEY_ID,
        secret_access_key=EXAMPLE_SECRET_ACCESS_KEY,
    )
except ProbeError as refused:
    message = str(refused)
print(message)
assert COST_NOTE in message

# %% [markdown]
# Any other S3-compatible store takes its endpoint and region, with an access key given on
# the command line and its secret read from an environment variable (or from standard
# input with `--secret-key -`), never from the command line itself:
#
# ```bash
# export STORE_SECRET=...   # the store's secret access key
# presignlab probe http://127.0.0.1:9000 --access-key-id ACCESS_KEY_ID --secret-key-env STORE_SECRET
# presignlab probe http://127.0.0.1:9000 --access-key-id ACCESS_KEY_ID --secret-key-env STORE_SECRET \
#     --compare aws-eu-west-1.json
# ```
#
# `--json` prints one JSON object instead of the table. The exit status is 0 when every
# case that ran answered as AWS does and 1 when one differs, so a CI job can check that
# the store it tests against still behaves like Amazon S3. The kit's own CI never runs the
# probe against AWS: its tests use the strict local S3 and a raw moto server, as here.

# %% [markdown]
# ## Summary
#
# - `presignlab probe ENDPOINT` (or `presignlab.probe(...)`) runs the kit's failure matrix
#   against any S3 endpoint and compares each answer (status, Code, Message) with Amazon
#   S3's, as stated in docs/aws-behaviour.md.
# - The kit's strict local S3 answers every case as AWS does; a raw moto server accepts
#   edited, wrongly signed and expired URLs, expired POST policies and wrong checksums.
# - Expiry needs no waiting (the probe signs in the past); only the cases that need the
#   endpoint's clock to move are skipped elsewhere.
# - The probe creates uniquely named buckets and always deletes them; `--keep` leaves them.
# - `--record` and `--compare` turn a run against real AWS into a reference anyone can
#   compare their store with.
#
# ## What's next
#
# [08-debugging-your-own-url](08-debugging-your-own-url.ipynb) diagnoses one failing URL
# of your own, with the same rules.

# %% [markdown]
# ## References
#
# - Amazon S3 API Reference, [Authenticating Requests: Using Query Parameters (AWS Signature Version 4)](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)
# - Amazon S3 API Reference, [Error responses](https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html)
# - Amazon S3 API Reference, [Creating a POST policy](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html)
# - Amazon S3 User Guide, [Checking object integrity](https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html)
# - Amazon S3 pricing, [Requests and data retrievals](https://aws.amazon.com/s3/pricing/)

# %% [markdown]
# The last cell stops both servers.

# %%
moto_server.stop()
strict_s3.stop()
