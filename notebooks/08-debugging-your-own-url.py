# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Debugging your own presigned URL
#
# The earlier notebooks broke URLs on purpose. This one starts from the other end: an
# upload failed somewhere (on Amazon S3 or an S3-compatible store), and all you have is
# what you can copy: the URL, the request that was sent, and the error body. It shows what
# to collect, how `diagnose` reads it, how each extra piece of evidence sharpens the
# answer, and how to get the same diagnosis from the `presignlab diagnose` command.
#
# ## Overview
#
# 1. What to collect
# 2. A failed upload and its evidence (synthetic)
# 3. Each piece of evidence narrows the diagnosis
# 4. An expired URL
# 5. Temporary credentials that expired first
# 6. The same diagnosis from the command line
# 7. Exit status and the JSON fields
# 8. Reproducing the failure against the local S3

# %% [markdown]
# ## Prerequisites
#
# | Concept | Importance | Notes |
# |---|---|---|
# | [06-signature-does-not-match](06-signature-does-not-match.ipynb) | Necessary | The breaks and their finding codes |
# | [07-access-denied](07-access-denied.ipynb) | Helpful | Expiry and temporary credentials |
# | A terminal | Helpful | For the command-line part |
#
# - **AWS account:** not needed. The failures in sections 2 to 5 are synthetic: the kit
#   wrote them in the shape of Amazon S3's answers (the elements, their order, lower-case
#   hex dumps, 16 hex digits of `RequestId`), signed with AWS's documented example keys,
#   which real S3 would refuse with `InvalidAccessKeyId`. Answers recorded from AWS are in
#   `tests/data/aws_recorded/`. The last section uses the kit's local S3.
# - **Time to learn:** 20 minutes.

# %% [markdown]
# ## Imports

# %%
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import boto3

from presignlab import parse_presigned_url
from presignlab.diagnosis import compare_canonical_requests, diagnose, parse_error_body
from presignlab.examples import EXAMPLE_SECRET_ACCESS_KEY
from presignlab.lab import open_lab, send

# %% [markdown]
# ## What to collect
#
# A diagnosis needs, from the failing attempt:
#
# 1. **The URL**, exactly as the client used it (not as the signer logged it: the
#    difference may be the bug). In a browser, the developer tools' Network tab has it;
#    "Copy as cURL" gives URL, method and headers at once.
# 2. **The method and the headers** the client sent: every header named in the URL's
#    `X-Amz-SignedHeaders` (SigV4 can sign any header: the kit's own URLs sign
#    `If-None-Match` and `Content-Length`) and every `x-amz-*` header, signed or not
#    (S3 refuses an unsigned one). Only a legacy SigV2 URL has a fixed list: `Content-MD5`,
#    `Content-Type` and the `x-amz-*` headers.
# 3. **The error body**, the XML S3 answered with (`curl -s` prints it). For
#    `SignatureDoesNotMatch` it contains the canonical request S3 computed, which is the
#    best evidence there is.
# 4. **When** the request was sent, if it was not just now (S3's `ServerTime` says it).
# 5. Optionally, **the secret key** that signed the URL, to recompute the signature.
#    Give it only to a diagnosis running on your own machine; it never appears in the
#    output. Never paste a secret key or a session token anywhere else.
#
# This notebook also opens the lab, for its last section.

# %%
lab = open_lab("08-debugging-your-own-url")
bucket = lab.create_bucket("uploads")
bucket

# %% [markdown]
# ## A failed upload and its evidence (synthetic)
#
# A web page uploads a PDF with `fetch`, putting the file into a `FormData`. The server
# presigned the URL with `ContentType="application/pdf"`, and Amazon S3 refused the upload.
# The evidence below is synthetic (see Prerequisites): it is what the developer tools would
# show for such a failure, the values computed by the kit, the shape that of Amazon S3's
# answers. The URL,

# %%
CAPTURED_URL = (
    "https://examplebucket.s3.us-east-1.amazonaws.com/uploads/report.pdf"
    "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260217%2Fus-east-1%2Fs3%2Faws4_request"
    "&X-Amz-Date=20260217T093000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=content-type%3Bhost"
    "&X-Amz-Signature=344f02013908b0be4fc1c058335cefa0dd0dae83894c81cb401bd0f13873bcaa"
)
SENT_AT = datetime(2026, 2, 17, 9, 31, tzinfo=UTC)

# %% [markdown]
# the request headers that count (the browser chose this `Content-Type` for the
# `FormData` body),

# %%
SENT_HEADERS = {
    "Content-Type": "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
}

# %% [markdown]
# and the response body (Amazon S3 writes it on one line; here each element starts a new
# line, and the long hex dumps are wrapped, which the parser accepts):

# %%
CAPTURED_BODY = """\
<?xml version="1.0" encoding="UTF-8"?>
<Error>
<Code>SignatureDoesNotMatch</Code>
<Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>
<AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId>
<StringToSign>AWS4-HMAC-SHA256
20260217T093000Z
20260217/us-east-1/s3/aws4_request
2cda74d3f9a51a6f813af569acf1bb420a75e6ce609c80e1ca521bf733891641</StringToSign>
<SignatureProvided>344f02013908b0be4fc1c058335cefa0dd0dae83894c81cb401bd0f13873bcaa</SignatureProvided>
<StringToSignBytes>41 57 53 34 2d 48 4d 41 43 2d 53 48 41 32 35 36 0a 32 30 32 36 30 32 31 37 54 30 39 33 30 30 30
5a 0a 32 30 32 36 30 32 31 37 2f 75 73 2d 65 61 73 74 2d 31 2f 73 33 2f 61 77 73 34 5f 72 65 71
75 65 73 74 0a 32 63 64 61 37 34 64 33 66 39 61 35 31 61 36 66 38 31 33 61 66 35 36 39 61 63 66
31 62 62 34 32 30 61 37 35 65 36 63 65 36 30 39 63 38 30 65 31 63 61 35 32 31 62 66 37 33 33 38
39 31 36 34 31</StringToSignBytes>
<CanonicalRequest>PUT
/uploads/report.pdf
X-Amz-Algorithm=AWS4-HMAC-SHA256&amp;X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260217%2Fus-east-1%2Fs3%2Faws4_request&amp;X-Amz-Date=20260217T093000Z&amp;X-Amz-Expires=900&amp;X-Amz-SignedHeaders=content-type%3Bhost
content-type:multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW
host:examplebucket.s3.us-east-1.amazonaws.com

content-type;host
UNSIGNED-PAYLOAD</CanonicalRequest>
<CanonicalRequestBytes>50 55 54 0a 2f 75 70 6c 6f 61 64 73 2f 72 65 70 6f 72 74 2e 70 64 66 0a 58 2d 41 6d 7a 2d 41 6c
67 6f 72 69 74 68 6d 3d 41 57 53 34 2d 48 4d 41 43 2d 53 48 41 32 35 36 26 58 2d 41 6d 7a 2d 43
72 65 64 65 6e 74 69 61 6c 3d 41 4b 49 41 49 4f 53 46 4f 44 4e 4e 37 45 58 41 4d 50 4c 45 25 32
46 32 30 32 36 30 32 31 37 25 32 46 75 73 2d 65 61 73 74 2d 31 25 32 46 73 33 25 32 46 61 77 73
34 5f 72 65 71 75 65 73 74 26 58 2d 41 6d 7a 2d 44 61 74 65 3d 32 30 32 36 30 32 31 37 54 30 39
33 30 30 30 5a 26 58 2d 41 6d 7a 2d 45 78 70 69 72 65 73 3d 39 30 30 26 58 2d 41 6d 7a 2d 53 69
67 6e 65 64 48 65 61 64 65 72 73 3d 63 6f 6e 74 65 6e 74 2d 74 79 70 65 25 33 42 68 6f 73 74 0a
63 6f 6e 74 65 6e 74 2d 74 79 70 65 3a 6d 75 6c 74 69 70 61 72 74 2f 66 6f 72 6d 2d 64 61 74 61
3b 20 62 6f 75 6e 64 61 72 79 3d 2d 2d 2d 2d 57 65 62 4b 69 74 46 6f 72 6d 42 6f 75 6e 64 61 72
79 37 4d 41 34 59 57 78 6b 54 72 5a 75 30 67 57 0a 68 6f 73 74 3a 65 78 61 6d 70 6c 65 62 75 63
6b 65 74 2e 73 33 2e 75 73 2d 65 61 73 74 2d 31 2e 61 6d 61 7a 6f 6e 61 77 73 2e 63 6f 6d 0a 0a
63 6f 6e 74 65 6e 74 2d 74 79 70 65 3b 68 6f 73 74 0a 55 4e 53 49 47 4e 45 44 2d 50 41 59 4c 4f
41 44</CanonicalRequestBytes>
<RequestId>7A2F4C9E0B8D3F16</RequestId>
<HostId>Xk2v9Lq4M1eJ8tYp0rZs7uWc3hGd6fNa5bQx2yVm8oTi4lEe1KgR9wHj3nPz6sUd0cFv7aBx=</HostId>
</Error>
"""

# %% [markdown]
# `parse_error_body` reads it. Besides `Code` and `Message`, S3 returned what it computed
# (the canonical request and the string to sign, each also as hex bytes) and the
# signature it was given. `RequestId` and `HostId` identify the request for AWS Support;
# they say nothing about the cause.

# %%
error = parse_error_body(CAPTURED_BODY)
print(error.code)
print([name for name, _ in error.fields])
print(error.canonical_request)

# %% [markdown]
# ## Each piece of evidence narrows the diagnosis
#
# **The URL alone** can already be checked: its parameters, its expiry at the time of
# sending, and which headers it requires. `diagnose` assumes a `PUT` (this kit is about
# uploads) and, given no headers, a request without any, so it points out that this URL
# requires a `Content-Type` header:

# %%
print(diagnose(CAPTURED_URL, now=SENT_AT))

# %% [markdown]
# **The URL and the request.** The request does send a `Content-Type`, so nothing looks
# wrong any more. The URL names the signed headers but not their values, so from the
# URL and the request alone a wrong value is invisible:

# %%
result = diagnose(CAPTURED_URL, "PUT", SENT_HEADERS, now=SENT_AT)
assert result.verdict == "ok"
print(result)

# %% [markdown]
# **Adding S3's error body.** S3's canonical request is exactly the request described,
# so the request arrived as sent, and the difference must be in what was signed. Without
# the secret key, that is as far as anyone can see:

# %%
result = diagnose(CAPTURED_URL, "PUT", SENT_HEADERS, error_xml=CAPTURED_BODY, now=SENT_AT)
assert result.codes == ["signature-mismatch-unexplained"]
print(result.findings[0].message)
print("fix:", result.findings[0].fix)

# %% [markdown]
# **Adding the secret key.** Now the diagnosis recomputes the signature and tries single
# changes to the request (other methods, common values of each signed header, the query,
# the path, the host, the region) until one reproduces the URL's signature. Here, signing
# `Content-Type: application/pdf` does: the cause is confirmed, and the comparison shows
# the one header that differs. (A notebook displays the result as tables; `print(result)`
# gives the same as aligned text, and that is what the command line prints.)

# %%
result = diagnose(
    CAPTURED_URL,
    "PUT",
    SENT_HEADERS,
    secret_key=EXAMPLE_SECRET_ACCESS_KEY,
    error_xml=CAPTURED_BODY,
    now=SENT_AT,
)
assert result.codes == ["signed-header-value-mismatch"]
result

# %% [markdown]
# The fix on the client is to upload the file itself as the body (`fetch(url, {method:
# "PUT", body: file, headers: {"Content-Type": "application/pdf"}})`), not a `FormData`.
# With that request, the same URL passes:

# %%
pdf = {"Content-Type": "application/pdf"}
diagnose(CAPTURED_URL, "PUT", pdf, secret_key=EXAMPLE_SECRET_ACCESS_KEY, now=SENT_AT).verdict

# %% [markdown]
# ## An expired URL
#
# An hour later, the same page retried with the same URL, with the right header this
# time. Amazon S3 answered `AccessDenied` with `Request has expired`, and its own clock
# in `<ServerTime>`:

# %%
EXPIRED_BODY = """\
<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>900</X-Amz-Expires><Expires>2026-02-17T09:45:00Z</Expires><ServerTime>2026-02-17T10:32:13Z</ServerTime><RequestId>B8D1E6F0A23C5C4D</RequestId><HostId>b7Tq0rVx2Lk9Yw4Es1Np6Ha3Gc8Jf5Ud0Zi7Ko2Mx9Rl4Sy1Wn6Pb3Qe8Ct5Ag0Vj7Fh2Io9Du4=</HostId></Error>
"""

# %% [markdown]
# The diagnosis needs to know when the request was sent. Without `now`, `diagnose` takes
# S3's `<ServerTime>` from the error body, which is exactly that; with neither, it uses
# the current time, which is right only for a request sent just now.

# %%
print("ServerTime:", parse_error_body(EXPIRED_BODY).get("ServerTime"))
result = diagnose(CAPTURED_URL, "PUT", pdf, error_xml=EXPIRED_BODY)
assert result.codes == ["expired"]
print(result.findings[0].message)
print("fix:", result.findings[0].fix)

# %% [markdown]
# ## Temporary credentials that expired first
#
# A third (synthetic) failure. This URL was presigned by a service running with temporary
# credentials (an access key id starting with `ASIA`, and an `X-Amz-Security-Token`),
# valid for an hour by its `X-Amz-Expires`. Twenty-two minutes later Amazon S3 answered
# `ExpiredToken`: the session behind the credentials had ended, and a presigned URL
# never outlives the credentials that signed it.
#
# A session token is a credential like the secret key. In this URL it has been replaced
# by `REDACTED`; do the same, in the URL and in any error body that repeats it, before
# sharing either. The diagnosis does not need its value.

# %%
TOKEN_URL = (
    "https://examplebucket.s3.us-east-1.amazonaws.com/uploads/report.pdf"
    "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=ASIAIOSFODNN7EXAMPLE%2F20260217%2Fus-east-1%2Fs3%2Faws4_request"
    "&X-Amz-Date=20260217T093000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=content-type%3Bhost"
    "&X-Amz-Security-Token=REDACTED"
    "&X-Amz-Signature=3c1c2a841cc7712ce8933b5dcef2db185edbe72c94df513cd7c914118b2d2d6b"
)
TOKEN_BODY = """\
<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message><RequestId>3C8E1B6A0D4F9E27</RequestId><HostId>c1Rv8Mk3Xa0Lq7Ys2Wd9Hf4Ne6Jb1Pt5Gz8Uo3Ki0Cx7Vm2Sl9Ea4Qn6Ty1Bw5Rg8Fj3Dh0Ip7=</HostId></Error>
"""

# %%
token_sent_at = datetime(2026, 2, 17, 9, 52, tzinfo=UTC)
print("URL valid until:", parse_presigned_url(TOKEN_URL).expires_at)
result = diagnose(TOKEN_URL, "PUT", pdf, error_xml=TOKEN_BODY, now=token_sent_at)
assert result.codes == ["token-expired"]
print(result.findings[0].message)
print("fix:", result.findings[0].fix)

# %% [markdown]
# ## The same diagnosis from the command line
#
# The package installs a `presignlab` command; `presignlab diagnose` takes the same
# evidence as the function:
#
# ```
# presignlab diagnose URL --method PUT -H 'Content-Type: ...' \
#     --error-xml error.xml --now 2026-02-17T09:31:00Z [--secret-key-env NAME] [--json]
# ```
#
# `--error-xml -` reads the body from standard input, `--now` fixes the time of sending,
# `--secret-key-env NAME` reads the signing secret from an environment variable (or
# `--secret-key -` from standard input), and `--json` prints one JSON object instead of
# text. Instead of the URL and headers you can paste the browser's "Copy as cURL" with
# `--curl`, or give a whole browser session with `--har FILE`. The cells below run the command
# with `subprocess` (in a terminal, type the same arguments after `presignlab`). The
# command lives next to this kernel's Python.

# %%
PRESIGNLAB = str(Path(sys.executable).with_name("presignlab"))


def presignlab(*args, stdin=None, secret=None):
    """Run ``presignlab ARGS`` (``secret`` in $SIGNER_SECRET) and return the finished process."""
    env = {**os.environ, "SIGNER_SECRET": secret} if secret else None
    return subprocess.run(
        [PRESIGNLAB, *args],
        check=False,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


# %% [markdown]
# The `SignatureDoesNotMatch` of section 2, with the error body on standard input and
# without the secret key. The command prints the findings, then the comparison as aligned
# text (wide in a notebook, made for a terminal); the cell prints the findings, and the
# next one shows the comparison of the command's JSON output (`--json`) as a table:

# %%
captured = [
    CAPTURED_URL,
    "--method",
    "PUT",
    "-H",
    f"Content-Type: {SENT_HEADERS['Content-Type']}",
    "--error-xml",
    "-",
    "--now",
    "2026-02-17T09:31:00Z",
]
run = presignlab("diagnose", *captured, stdin=CAPTURED_BODY)
print(run.stdout.split("\n\n")[0])
run.returncode

# %%
as_json = json.loads(presignlab("diagnose", *captured, "--json", stdin=CAPTURED_BODY).stdout)
sides = as_json["comparison"]
compare_canonical_requests(
    sides["expected"], sides["actual"], titles=("described (URL + your headers)", "S3 computed")
)

# %% [markdown]
# With the secret the search runs, exactly as in the function. Give it through an
# environment variable (`--secret-key-env`) or standard input, never as an argument: a
# command-line argument is visible to other users of the same machine (in `ps`, for
# instance). The secret never appears in the output.

# %%
run = presignlab(
    "diagnose",
    *captured,
    "--secret-key-env",
    "SIGNER_SECRET",
    "--json",
    stdin=CAPTURED_BODY,
    secret=EXAMPLE_SECRET_ACCESS_KEY,
)
report = json.loads(run.stdout)
assert EXAMPLE_SECRET_ACCESS_KEY not in run.stdout
[(f["code"], f["confidence"]) for f in report["findings"]]

# %% [markdown]
# ## Exit status and the JSON fields
#
# The exit status says the verdict, so a script or a CI job can test it: **0** when
# nothing is wrong, **1** when there are findings, **2** when the input cannot be
# diagnosed (an unreadable URL, a malformed header, an error body that is not S3's XML).

# %%
ok = presignlab(
    "diagnose",
    CAPTURED_URL,
    "-H",
    "Content-Type: application/pdf",
    "--now",
    "2026-02-17T09:31:00Z",
    "--json",
)
cut = presignlab("diagnose", CAPTURED_URL[:-20], "--json")
{"ok": ok.returncode, "problems": run.returncode, "invalid input": cut.returncode}

# %% [markdown]
# With `--json`, the output is always exactly one JSON object, even for invalid input;
# `error` then says what is wrong with it:

# %%
invalid = json.loads(cut.stdout)
invalid["verdict"], invalid["error"]

# %% [markdown]
# The fields of the object:
#
# | Field | What it holds |
# |---|---|
# | `verdict` | `ok`, `problems` or `invalid-input` |
# | `findings` | most likely cause first: `code` (stable, see `docs/finding-codes.md`), `message`, `fix`, `confidence` (`confirmed`, `reported-by-s3`, `suspected`), sometimes `evidence` |
# | `url` | the URL read back: host, bucket, key, region, dates, signed headers, `session_token_present` (never the token) |
# | `method` | the method diagnosed |
# | `canonical_request`, `string_to_sign` | what S3 computes for the request described |
# | `signature_provided`, `signature_computed`, `signature_matches` | the URL's signature, and the recomputed one when a secret key was given |
# | `comparison` | the side-by-side comparison: `kind`, `matches`, `expected`, `actual`, `differences` (`component`, `name`, `kind`, `expected`, `actual`) |
# | `error_body` | S3's error body as read: `code`, `message` and its other elements, without `RequestId`, `HostId` and the hex dumps |
# | `notes`, `error` | remarks, and the reason when the input is invalid |

# %%
print(sorted(report))
print(report["signature_matches"], report["comparison"]["differences"][0])

# %% [markdown]
# ## Reproducing the failure against the local S3
#
# A diagnosis from captured evidence is a hypothesis about the client. Reproducing the
# failure with the kit's strict local S3 tests it: presign the same way, send the same
# request, and compare. The local S3 returns the same kind of error body, so the same
# command reads it. The lab's client signs with the example keys locally, and with the
# credentials boto3 finds on real AWS (`PRESIGNLAB_TARGET=aws`); the diagnosis gets the
# matching secret.

# %%
if lab.target == "local":
    lab_secret = EXAMPLE_SECRET_ACCESS_KEY
else:
    lab_secret = boto3.session.Session().get_credentials().get_frozen_credentials().secret_key

# %%
local_url = lab.s3.generate_presigned_url(
    "put_object",
    Params={"Bucket": bucket, "Key": "uploads/report.pdf", "ContentType": "application/pdf"},
    ExpiresIn=900,
)
response = send("PUT", local_url, headers=SENT_HEADERS, data=b"%PDF-1.7 ...")
response.status, response.code

# %%
local = presignlab(
    "diagnose",
    local_url,
    "-H",
    f"Content-Type: {SENT_HEADERS['Content-Type']}",
    "--error-xml",
    "-",
    "--secret-key-env",
    "SIGNER_SECRET",
    "--json",
    *(["--now", lab.clock.now().isoformat()] if lab.clock else []),
    stdin=response.body.decode(),
    secret=lab_secret,
)
assert local.returncode == 1
[f["code"] for f in json.loads(local.stdout)["findings"]]

# %% [markdown]
# The same finding as on Amazon S3. With the client fixed, the upload succeeds:

# %%
fixed = send("PUT", local_url, headers=pdf, data=b"%PDF-1.7 ...")
assert fixed.status == 200
fixed.status

# %% [markdown]
# ## Summary
#
# - Collect the URL as used, the method and headers sent, S3's full error body and the
#   time of sending; the secret key is optional and stays on your machine. Redact session
#   tokens before sharing anything.
# - Each piece of evidence narrows the diagnosis: the URL alone shows structural
#   problems and required headers; S3's canonical request shows what arrived; the secret
#   key confirms what was signed.
# - For expiry questions the time of sending matters: S3's `ServerTime` gives it, and
#   `diagnose` reads it from the error body; otherwise pass `now` (or `--now`).
# - `presignlab diagnose` gives the same diagnosis in a terminal, with exit status 0, 1
#   or 2 and a stable JSON object for scripts.
#
# ## What's next
#
# [09-hardening-uploads](09-hardening-uploads.ipynb) turns from failures to defences:
# URLs that are reusable until they expire, single-use uploads, content-type allowlists,
# size limits and checksums.

# %% [markdown]
# ## References
#
# - Amazon S3 API Reference, [Error responses](https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html)
# - Amazon S3 API Reference, [Authenticating Requests: Using Query Parameters (AWS Signature Version 4)](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)
# - Amazon S3 User Guide, [Uploading objects with presigned URLs](https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html)
# - Boto3 documentation, [Presigned URLs](https://boto3.amazonaws.com/v1/documentation/api/latest/guide/s3-presigned-urls.html)

# %% [markdown]
# The last cell deletes what this notebook created (the object and the bucket).

# %%
lab.cleanup()
