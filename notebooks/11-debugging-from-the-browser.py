# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Debugging an upload from the browser
#
# When an upload fails in a browser, the page usually learns almost nothing: a status code
# at best, a bare "network error" at worst. The browser itself knows much more, and its
# developer tools (DevTools) hand it over: "Copy as cURL" gives the exact request, "Save all
# as HAR" the whole session with every answer. This notebook fails uploads in a real
# (headless) Chromium on the kit's upload page, takes that evidence exactly as DevTools
# formats it, and feeds it to `presignlab diagnose`. On the way it reads the page's upload
# code, and meets the two failures a browser disguises as "CORS": a 403 whose answer the
# page may not read, and a preflight redirected by the global endpoint.
#
# ## Overview
#
# 1. A failing upload in a real browser
# 2. Copy as cURL
# 3. Save all as HAR
# 4. The page's upload code: XHR, fetch and FormData
# 5. A 403 hidden behind a CORS error
# 6. A preflight answered 307 by the global endpoint

# %% [markdown]
# ## Prerequisites
#
# | Concept | Importance | Notes |
# |---|---|---|
# | [10-cors-and-the-browser](10-cors-and-the-browser.ipynb) | Necessary | Preflights and the bucket's CORS rules |
# | [08-debugging-your-own-url](08-debugging-your-own-url.ipynb) | Helpful | `presignlab diagnose` and its finding codes |
# | [06-signature-does-not-match](06-signature-does-not-match.ipynb) | Helpful | What breaks a signature |
#
# - **AWS account:** not needed, and not used: the seed's system runs locally (`Stack`).
# - **Browser:** Debian's `chromium` driven by `playwright` (both installed in the lab's
#   image); without them the set-up cell says what to install.
# - **Time to learn:** 25 minutes.

# %% [markdown]
# ## Imports

# %%
import json
import os
import shutil
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import requests
from botocore.config import Config

from presignlab import diagnose
from presignlab.examples import EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY
from presignlab.lab import open_lab, send, show_error
from presignlab.lab.browser import browser_unavailable
from presignlab.lab.devtools import record_upload, run_in_page
from presignlab.lab.global_endpoint import GlobalEndpointStandIn
from presignlab.seed import Stack

# %% [markdown]
# The set-up cell opens the lab (its clock pinned, so URLs are signed at a fixed time) and
# starts the seed's system, as notebook 10 does: the upload page and the signing API on one
# port, the strict local S3 on another, a bucket whose CORS rule admits exactly the page's
# origin. The object key's random part is fixed here so that every run shows the same key.

# %%
lab = open_lab("11-debugging-from-the-browser")
missing = browser_unavailable()
if lab.target != "local" or missing:
    raise RuntimeError(f"This notebook needs the local S3 and a browser: {missing or lab.target}")
OBJECT_ID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
stack = Stack(id_factory=lambda: OBJECT_ID).start()
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20
NOW = lab.clock.now().isoformat()
stack.bucket, stack.cors_rules[0]["AllowedOrigins"] == [stack.origin]

# %% [markdown]
# `presignlab` runs the command line as a terminal would (it lives next to this kernel's
# Python). The signer's secret key reaches it through an environment variable, never an
# argument or an output.

# %%
PRESIGNLAB = str(Path(sys.executable).with_name("presignlab"))


def presignlab(*args, secret=None):
    """Run ``presignlab ARGS`` (``secret`` in $SIGNER_SECRET); return (exit status, stdout)."""
    env = {**os.environ, "SIGNER_SECRET": secret} if secret else None
    done = subprocess.run(
        [PRESIGNLAB, *args, "--color", "never"],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )  # fmt: skip
    return done.returncode, done.stdout


def findings_of(text):
    """The finding lines of a diagnosis printed by the command (the comparison table left out)."""
    return "\n".join(
        line
        for line in text.splitlines()
        if line[:1].isdigit() or line.startswith(("==", "verdict"))
    )


# %% [markdown]
# ## A failing upload in a real browser
#
# The page asks the signing API for a URL signed for `Content-Type: image/jpeg`, then uploads.
# Its "experiment" field makes it send `image/png` instead, the mistake a page makes when it
# signs one type and sends the file's own. `record_upload` drives headless Chromium through
# the page and records what DevTools would show.

# %%
record = record_upload(stack.page_url, "photo.jpg", PHOTO, "image/jpeg", send_type="image/png")
print(record.result)
assert "HTTP 403 SignatureDoesNotMatch" in record.result

# %% [markdown]
# The page could read S3's answer here because the local S3 adds the matching CORS rule's
# headers to error answers too (CORS-09: the kit's choice, as no recording shows what AWS
# does), so it shows the status and `Code`, and its server-side diagnosis names the cause. Most pages show much less. The rest of this section's evidence comes from the
# browser, not the page.
#
# ## Copy as cURL
#
# In DevTools' Network panel, right-click the failed `PUT` and choose *Copy > Copy as cURL
# (bash)*. `as_curl` formats the request the browser sent the way DevTools does: the URL,
# `-X 'PUT'`, one `-H` per header in the order sent (without `Host` and `Accept-Encoding`),
# `--compressed`. A file body is not text, so DevTools leaves it out; `Content-Length` stays.
# (The browser's own headers, such as `User-Agent`, depend on its version: this output is not
# compared between runs.)

# %% tags=["nbval-ignore-output"]
put = record.last("PUT", stack.endpoint_url)
CURL = put.as_curl()
print(CURL)

# %%
assert CURL.startswith(f"curl '{stack.endpoint_url}/") and "-H 'Content-Type: image/png'" in CURL
print(put.header("Content-Type"), put.header("Content-Length"), len(PHOTO))

# %% [markdown]
# Pasted into `presignlab diagnose --curl`, with the signer's secret key and the time of
# sending (`--now`: the lab's clock), the kit recomputes the signature, searches what was
# signed and finds the one change that reproduces it:

# %%
status, out = presignlab("diagnose", "--curl", CURL, "--secret-key-env", "SIGNER_SECRET",
                         "--now", NOW, secret=stack.signer.secret_access_key)  # fmt: skip
print(findings_of(out))
assert status == 1 and "[signed-header-value-mismatch]" in out

# %% [markdown]
# ## Save all as HAR
#
# *Save all as HAR* (the download icon of the Network panel) writes every request of the
# session with its answer, S3's error body included. The recording is playwright's HAR
# recorder, plus the CORS preflights, which DevTools lists as rows of type `preflight` and
# playwright leaves out; they come from the browser's own network events. The session, entry
# by entry:

# %%
HAR_FILE = Path(tempfile.mkdtemp(prefix="presignlab-11-")) / "failed-upload.har"
HAR_FILE.write_text(record.har_text(), encoding="utf-8")


def entries(recording):
    """Method, URL without its query, and status of each HAR entry."""
    for item in recording.har["log"]["entries"]:
        url = item["request"]["url"].split("?")[0]
        print(f"{item['request']['method']:8} {url:100} {item['response']['status']}")


entries(record)

# %% [markdown]
# The preflight passed (200) and the `PUT` got 403. `diagnose --har` picks out each failed S3
# request, uses the error body the HAR kept, and with the secret key finds the cause again:

# %%
status, out = presignlab("diagnose", "--har", str(HAR_FILE), "--secret-key-env", "SIGNER_SECRET",
                         "--now", NOW, secret=stack.signer.secret_access_key)  # fmt: skip
print(findings_of(out))
assert status == 1 and "[signed-header-value-mismatch]" in out

# %% [markdown]
# A HAR file holds the URLs with their signatures and, for other sites, cookies and tokens:
# share it only after removing them (the kit's output never prints a secret key, and stops
# printed URLs before the query).
#
# ## The page's upload code: XHR, fetch and FormData
#
# The page uploads with `XMLHttpRequest`, the file object itself as the body:

# %%
script = resources.files("presignlab").joinpath("seed", "static", "upload.js").read_text()
start = script.index("  const xhr = new XMLHttpRequest();")
print(script[start : script.index("  };", start) + 4] + "\n  ...\n  xhr.send(file);")

# %% [markdown]
# Three choices in these lines matter:
#
# - **XHR for progress.** `xhr.upload.onprogress` reports the bytes sent, which drives the
#   progress bar. `fetch()` has no upload progress; streaming a body to measure it yourself
#   (`duplex: "half"`) sends it without a `Content-Length`, which S3 refuses for a `PUT` (411
#   `MissingContentLength`, or 501 `NotImplemented` when chunked: BODY-01, BODY-05).
# - **The file as the body.** `xhr.send(file)` (or `fetch(url, {method: "PUT", body: file})`)
#   sends the file's bytes and nothing else.
# - **The headers the signing API listed**, with exactly its values, and nothing else.
#
# The common mistake is `FormData`: wrapping the file in a form, as for a `POST`, makes the
# browser send a `multipart/form-data` body with its own `Content-Type` (a random boundary
# included). Against a URL that signed `Content-Type: image/jpeg` the signature breaks;
# against a URL that signed no type, S3 stores the whole envelope. Both, in the real browser:

# %%
grant = requests.get(
    stack.presign_url,
    params={"filekey": "photo.jpg", "contentType": "image/jpeg"},
    headers=stack.token.header,  # the signing API wants the page's bearer token (notebook 09)
    timeout=10,
).json()
no_type = lab.s3.generate_presigned_url(
    "put_object", Params={"Bucket": stack.bucket, "Key": "uploads/formdata.jpg"}, ExpiresIn=600
)
FORM_UPLOADS = """async ([typed, untyped]) => {
  const file = new File([new Uint8Array([255, 216, 255, 224, 1, 2, 3])], "photo.jpg",
                        {type: "image/jpeg"});
  const form = new FormData();
  form.append("file", file);
  const first = await fetch(typed, {method: "PUT", body: form});
  const second = await fetch(untyped, {method: "PUT", body: form});
  return [first.status, await first.text(), second.status];
}"""
(typed_status, typed_body, untyped_status), _ = run_in_page(
    stack.page_url, FORM_UPLOADS, [grant["signed_url"], no_type]
)
print(typed_status, untyped_status)
assert (typed_status, untyped_status) == (403, 200)

# %% [markdown]
# The first upload's error body shows, in S3's canonical request, the `Content-Type` the
# browser chose; the diagnosis compares it with the signed one:

# %%
found = diagnose(grant["signed_url"], "PUT", error_xml=typed_body, now=lab.clock.now())
assert found.codes[0] == "signed-header-value-mismatch"
canonical = found.error_body.get("CanonicalRequest").splitlines()
print(next(line for line in canonical if line.startswith("content-type:")).split(";")[0])
print(grant["headers"])

# %% [markdown]
# The second upload "worked", and stored the form, not the photo (Amazon S3 stores a body as
# sent, BODY-08): 7 bytes of JPEG became an object that starts with the form's boundary.

# %%
stored = lab.s3.get_object(Bucket=stack.bucket, Key="uploads/formdata.jpg")
envelope = stored["Body"].read()
print(stored["ContentType"].split(";")[0], len(envelope) > 7, envelope[:24])

# %% [markdown]
# **`Content-Length` is not the page's to set.** It is a forbidden request header: the
# browser computes it from the body. `setRequestHeader("Content-Length", ...)` is refused
# with a console message, and `fetch` drops it silently, so the upload goes out with the real
# length. A signing API that signs `Content-Length` must therefore sign the exact size of the
# file the page will send (notebook 09), not a maximum.

# %%
SET_LENGTH = """async (url) => {
  const xhr = new XMLHttpRequest();
  xhr.open("PUT", url);
  xhr.setRequestHeader("Content-Length", "3");
  const file = new Blob([new Uint8Array([1, 2, 3, 4, 5, 6, 7])]);
  const sent = await fetch(url, {method: "PUT", body: file, headers: {"Content-Length": "3"}});
  return sent.status;
}"""
length_status, console = run_in_page(stack.page_url, SET_LENGTH, no_type)
print(length_status, [m for m in console if "Content-Length" in m])
size = lab.s3.head_object(Bucket=stack.bucket, Key="uploads/formdata.jpg")["ContentLength"]
assert (length_status, size) == (200, 7)

# %% [markdown]
# ## A 403 hidden behind a CORS error
#
# The same page, opened at `http://localhost:PORT` instead of `http://127.0.0.1:PORT`: the
# same machine, but another origin, which the bucket's CORS rule does not list. The browser
# sends the preflight; S3 refuses it with `403 AccessForbidden`, an answer without any
# `Access-Control-*` header; and the browser reports only a CORS failure:

# %%
hidden = record_upload(
    stack.page_url.replace("127.0.0.1", "localhost"), "photo.jpg", PHOTO, "image/jpeg"
)
print(hidden.result.split(":")[0])
print(hidden.errors()[0].split(" has been blocked by CORS policy: ")[1])

# %% [markdown]
# The page's XHR got status 0 and no body: the 403 is visible only in the network log, where
# the preflight row shows it, and the `PUT` row "CORS error" (status 0 in the HAR file):

# %%
entries(hidden)

# %% [markdown]
# `diagnose --har` pairs the refused preflight with the `PUT` it blocked. Given the bucket's
# CORS configuration (`aws s3api get-bucket-cors --bucket BUCKET > cors.json`), it names the
# part of the preflight that no rule admits:

# %%
HIDDEN_HAR = HAR_FILE.with_name("cors-error.har")
HIDDEN_HAR.write_text(hidden.har_text(), encoding="utf-8")
CORS_FILE = HAR_FILE.with_name("cors.json")
rules = stack.client().get_bucket_cors(Bucket=stack.bucket)["CORSRules"]
CORS_FILE.write_text(json.dumps({"CORSRules": rules}), encoding="utf-8")
status, out = presignlab(
    "diagnose", "--har", str(HIDDEN_HAR), "--cors", str(CORS_FILE), "--now", NOW
)
print(findings_of(out))
assert status == 1 and "[cors-preflight-denied]" in out and "localhost" in out

# %% [markdown]
# The same disguise hides any answer the browser may not show the page: an error answer to
# the upload itself that lacks the CORS headers (say, from a proxy in front of the bucket)
# reaches the page as status 0 too. The rule: when the browser says "CORS", read the status
# in the Network panel before touching the CORS configuration.

# %%
stack.stop()

# %% [markdown]
# ## A preflight answered 307 by the global endpoint
#
# A bucket created outside us-east-1 but reached through the global endpoint
# (`BUCKET.s3.amazonaws.com`) is answered `307 TemporaryRedirect` to its regional endpoint
# while its DNS name propagates (ADDR-10). boto3 presigns the global host when given only
# `region_name`; the regional host needs virtual-hosted addressing (or an `endpoint_url`).
# (These URLs are signed with AWS's example keys and never sent.)

# %%
for config in (Config(signature_version="s3v4"),
               Config(signature_version="s3v4", s3={"addressing_style": "virtual"})):  # fmt: skip
    signer = boto3.client(
        "s3", region_name="eu-west-2", config=config,
        aws_access_key_id=EXAMPLE_ACCESS_KEY_ID, aws_secret_access_key=EXAMPLE_SECRET_ACCESS_KEY,
    )  # fmt: skip
    url = signer.generate_presigned_url(
        "put_object", Params={"Bucket": "presignlab-uploads", "Key": "uploads/photo.jpg"}
    )
    print(urlsplit(url).netloc)

# %% [markdown]
# Outside a browser the 307 is at least visible (following it does not rescue a presigned
# URL: its signature covers the global host, AUTH-Q-10). A browser does not even show it: a preflight
# must be answered 2xx, and a redirect of a preflight is a network error (Fetch Standard;
# CORS-10). The strict local S3 serves every bucket at every host and never
# redirects, so this section uses a **synthetic stand-in** for the global endpoint: a small
# local server (`GlobalEndpointStandIn`, not Amazon S3) that answers every request as S3's
# global endpoint does, with 307, a `Location` on the regional endpoint and S3's error body.
# The signing function presigns for it, and the browser uploads:

# %%
stand_in = GlobalEndpointStandIn(region="eu-west-2").start()
stack = Stack(id_factory=lambda: OBJECT_ID, presign_endpoint=stand_in.url).start()
redirected = record_upload(stack.page_url, "photo.jpg", PHOTO, "image/jpeg")
print(redirected.result.split(":")[0])
print(redirected.errors()[0].split(" has been blocked by CORS policy: ")[1])

# %% [markdown]
# Chromium keeps neither the 307 nor its body: the preflight row shows status 0 with
# `net::ERR_INVALID_REDIRECT`, and the `PUT` is never sent.

# %%
entries(redirected)
print([item.get("_error") for item in redirected.har["log"]["entries"] if "_error" in item])

# %% [markdown]
# `diagnose --har` reads that error as the endpoint's fault:

# %%
REDIRECT_HAR = HAR_FILE.with_name("redirect.har")
REDIRECT_HAR.write_text(redirected.har_text(), encoding="utf-8")
status, out = presignlab("diagnose", "--har", str(REDIRECT_HAR), "--now", NOW)
print(findings_of(out))
assert status == 1 and "[wrong-endpoint]" in out

# %% [markdown]
# To see the answer the browser hid, send the same preflight yourself (in a terminal:
# `curl -i -X OPTIONS -H 'Origin: ...' -H 'Access-Control-Request-Method: PUT' URL`). Here,
# the stand-in's **synthetic** answer:

# %%
put_url = requests.get(
    stack.presign_url,
    params={"filekey": "photo.jpg", "contentType": "image/jpeg"},
    headers=stack.token.header,
    timeout=10,
).json()["signed_url"]
asked = {"Origin": stack.origin, "Access-Control-Request-Method": "PUT",
         "Access-Control-Request-Headers": "content-type"}  # fmt: skip
answer = send("OPTIONS", put_url, headers=asked)
show_error(answer)
assert (answer.status, answer.code) == (307, "TemporaryRedirect")

# %% [markdown]
# With that answer, the diagnosis names the endpoint to sign for:

# %%
found = diagnose(put_url, "OPTIONS", asked, error_xml=answer.body, status=answer.status,
                 response_headers=answer.headers)  # fmt: skip
assert found.codes == ["wrong-endpoint"]
print(found.findings[0].message)
print("fix:", found.findings[0].fix)

# %% [markdown]
# Stopping the stack deletes its bucket and signer; the stand-in stops too, and the HAR files
# written here are removed:

# %%
lines = stack.stop()
stand_in.stop()
shutil.rmtree(HAR_FILE.parent)
len(lines)

# %% [markdown]
# ## Summary
#
# - DevTools' *Copy as cURL* gives the exact request (without a file body), *Save all as
#   HAR* the whole session with S3's answers; `presignlab diagnose --curl` / `--har` read
#   both, and find the cause with the signer's secret key.
# - Upload the file itself (`xhr.send(file)`, or `fetch` with `body: file`), with exactly the
#   headers the signing API listed. `FormData` sends a multipart body: a signed
#   `Content-Type` breaks, an unsigned one stores the envelope. XHR reports upload progress;
#   `fetch` does not. The browser sets `Content-Length` itself.
# - "CORS error" with status 0 in the page: read the status in the Network panel. A refused
#   preflight (403) or an error without CORS headers looks the same to the page.
# - A preflight redirected (307 from the global endpoint for a bucket in another region)
#   fails in every browser: presign for the bucket's regional endpoint.
#
# ## What's next
#
# [12-sdks-beyond-boto3](12-sdks-beyond-boto3.ipynb) shows the URLs the JavaScript SDKs
# make, or go back to [00-overview](00-overview.ipynb) for the map of the kit.

# %% [markdown]
# ## References
#
# - Chrome DevTools, [Network features reference](https://developer.chrome.com/docs/devtools/network/reference) (Copy as cURL, Save all as HAR)
# - W3C, [HTTP Archive (HAR) format](https://w3c.github.io/web-performance/specs/HAR/Overview.html)
# - MDN, [Cross-Origin Resource Sharing (CORS)](https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS) (preflighted requests and redirects) and [CORS errors](https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors)
# - WHATWG Fetch Standard, [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch) (a preflight's answer must have an ok status)
# - MDN, [Forbidden request header](https://developer.mozilla.org/en-US/docs/Glossary/Forbidden_request_header) (Content-Length)
# - MDN, [Using FormData objects](https://developer.mozilla.org/en-US/docs/Web/API/XMLHttpRequest_API/Using_FormData_Objects) and [XMLHttpRequest: upload property](https://developer.mozilla.org/en-US/docs/Web/API/XMLHttpRequest/upload)
# - Amazon S3 User Guide, [Request routing](https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingRouting.html) (temporary redirects from the global endpoint)
# - Amazon S3 User Guide, [Troubleshooting CORS](https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors-troubleshooting.html)
# - aws/aws-sdk-js issue [#547](https://github.com/aws/aws-sdk-js/issues/547): a presigned PUT of a serialized form stores the WebKitFormBoundary lines
# - The kit's rules ADDR-10, CORS-10 and BODY-08 in `docs/aws-behaviour.md`

# %%
lab.cleanup()
