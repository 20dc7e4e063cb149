# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # CORS and the browser
#
# A presigned URL that works with `curl` can still fail in a browser, and the browser then
# reports a "CORS error" instead of Amazon S3's answer. This notebook shows why: before a
# cross-origin upload, the browser asks the bucket for permission with a *preflight*
# request, and Amazon S3 answers it from the bucket's CORS configuration alone. It sends
# preflights to the kit's strict local S3, reads the seed article's CORS configuration line
# by line, and finally runs the seed's whole system (signing API, upload page, bucket) with
# a real headless browser.
#
# ## Overview
#
# 1. Why the browser asks first
# 2. No CORS configuration
# 3. The seed's CORS configuration, line by line
# 4. Preflights against the page's rule
# 5. After the preflight: the answer's CORS headers
# 6. The whole system in a browser

# %% [markdown]
# ## Prerequisites
#
# | Concept | Importance | Notes |
# |---|---|---|
# | [00-overview](00-overview.ipynb) | Necessary | The system: bucket, signing function, browser |
# | Notebook 03-bucket-setup | Helpful | Creating the CORS configuration with boto3 |
# | HTTP headers and origins | Helpful | An origin is scheme, host and port |
#
# - **AWS account:** not needed. With `PRESIGNLAB_TARGET=aws` the preflight sections run
#   against a real bucket; the last section runs the local system only.
# - **Time to learn:** 20 minutes.

# %% [markdown]
# ## Imports

# %%
import json

import requests

from presignlab.lab import open_lab, send, show_error
from presignlab.lab.browser import screenshot
from presignlab.seed import Stack
from presignlab.seed.stack import cors_rules

# %% [markdown]
# The set-up cell opens the lab (the strict local S3 with its clock pinned, so signed URLs
# are reproducible), creates an empty private bucket, and names the object a page would
# upload. `OBJECT_URL` is the object's plain URL, without a signature: a preflight never
# carries one.

# %%
lab = open_lab("10-cors-and-the-browser")
BUCKET = lab.create_bucket("cors")
KEY = "uploads/photo.jpg"
OBJECT_URL = lab.s3.generate_presigned_url(
    "put_object", Params={"Bucket": BUCKET, "Key": KEY}
).split("?")[0]
APP_ORIGIN = "http://localhost:3000"
BUCKET


# %% [markdown]
# ## Why the browser asks first
#
# A page's *origin* is the scheme, host and port it was loaded from, for example
# `http://localhost:3000`. The bucket lives at another origin, so a script's request to it
# is *cross-origin*, and the browser lets the script send it only if the other origin
# agrees, under the rules of Cross-Origin Resource Sharing (CORS).
#
# For an upload with a presigned URL, the browser asks before it sends anything, because:
#
# - the method is `PUT`, and only `GET`, `HEAD` and `POST` may be sent without asking;
# - the request carries `Content-Type: image/jpeg`, and only three form-like content types
#   may be sent without asking (any `x-amz-*` header would also need permission).
#
# So the browser first sends an `OPTIONS` request, the preflight, to the object's URL. It
# has no body and no signature, only three questions in its headers: `Origin` (who asks),
# `Access-Control-Request-Method` (`PUT`) and `Access-Control-Request-Headers`
# (`content-type`). Amazon S3 answers without authenticating it, from the bucket's CORS
# rules. Only if the answer allows all three does the browser send the `PUT`.
#
# The helper below sends one preflight and prints what came back: the `Access-Control-*`
# headers of a yes, or Amazon S3's error of a no.


# %%
def preflight(origin=APP_ORIGIN, method="PUT", headers="content-type"):
    asked = {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": headers,
    }
    response = send("OPTIONS", OBJECT_URL, headers={k: v for k, v in asked.items() if v})
    if response.error is not None:
        show_error(response)
    else:
        print(f"Status: {response.status}")
        for name, value in response.headers.items():
            if name.lower().startswith("access-control-") or name == "Vary":
                print(f"{name}: {value}")
    return response.status


# %% [markdown]
# ## No CORS configuration
#
# A new bucket has no CORS configuration, so Amazon S3 refuses every preflight with
# `403 AccessForbidden`. The extra elements name the requested method and, here, the
# bucket as the resource at fault.

# %%
assert preflight() == 403

# %% [markdown]
# This is the most common reason for a browser's "CORS error" with a presigned URL that
# works from `curl`: `curl` sends no preflight. The browser console shows only that the
# preflight's answer had no `Access-Control-Allow-Origin` header; the page's JavaScript
# sees a network error and nothing else.
#
# A preflight answered with a redirect fails the same way: the browser requires a 2xx
# status for it and never follows the redirect. Amazon S3's global endpoint answers
# `307 TemporaryRedirect` for a bucket of another region created in the last hours, which
# is what a boto3 URL made with `region_name` alone points at;
# [06-signature-does-not-match](06-signature-does-not-match.ipynb#On-Amazon-S3:-the-host-matters-too)
# shows those URLs and the fix.
#
# ## The seed's CORS configuration, line by line
#
# The seed article pastes an XML configuration into the Amazon S3 console;
# [03-bucket-setup](03-bucket-setup.ipynb#CORS:-from-the-console's-XML-to-boto3) shows it
# whole and converts it to boto3's form. Its lines, one by one:
#
# | Line | What it means |
# |---|---|
# | `<CORSConfiguration>` | The bucket's whole CORS configuration: a list of rules. Amazon S3 uses the first rule that matches a request. |
# | `<CORSRule>` | One rule. A request matches it when its origin, its method and every header it asks for are allowed. |
# | `<AllowedOrigin>*</AllowedOrigin>` | Any web site may call the bucket from a browser. A single `*` inside a name (`http://*.example.com`) also works; an origin is compared whole, so `http://localhost:3000` and `http://127.0.0.1:3000` are different. |
# | `<AllowedMethod>GET</AllowedMethod>` | Scripts may read objects (a presigned `GET`, or a public object). |
# | `<AllowedMethod>PUT</AllowedMethod>` | The upload itself: a presigned `PUT`. |
# | `<AllowedMethod>POST</AllowedMethod>` | Browser form uploads (presigned `POST`), and multipart uploads' start and finish. |
# | `<MaxAgeSeconds>3000</MaxAgeSeconds>` | S3 sends `Access-Control-Max-Age: 3000`: the browser may reuse a preflight's answer for 50 minutes. Browsers cap the value, but higher: Chromium (since version 76) at 7200 seconds (2 hours), Firefox at 86400 seconds (24 hours), so 3000 applies as written. Without it a browser keeps the answer 5 seconds. |
# | `<AllowedHeader>*</AllowedHeader>` | The script may send any request header, `Content-Type` and every `x-amz-*` header included. |
#
# Two things are missing. No `<ExposeHeader>`: a script can read only a few plain
# response headers, so it cannot read the `ETag` of what it uploaded, which multipart
# uploads need. And `*` origins: every web site may make your visitors' browsers talk to
# the bucket. The signature still protects the writes, but nothing restricts which page
# does them.
#
# In boto3's form the same rule is a dict. With it, any origin gets an answer, and the
# answer's `Access-Control-Allow-Origin` is `*`:

# %%
SEED_RULE = {
    "AllowedOrigins": ["*"],
    "AllowedMethods": ["GET", "PUT", "POST"],
    "MaxAgeSeconds": 3000,
    "AllowedHeaders": ["*"],
}
lab.s3.put_bucket_cors(Bucket=BUCKET, CORSConfiguration={"CORSRules": [SEED_RULE]})
assert preflight(origin="https://any-site.example", headers="content-type,x-amz-acl") == 200

# %% [markdown]
# The rule that `presignlab serve` puts on its bucket keeps the seed's methods but names
# exactly one origin, exactly the header the page sends, and exposes `ETag`:

# %%
PAGE_RULES = cors_rules(APP_ORIGIN, ["content-type"])
lab.s3.put_bucket_cors(Bucket=BUCKET, CORSConfiguration={"CORSRules": PAGE_RULES})
print(json.dumps(PAGE_RULES, indent=2))

# %% [markdown]
# ## Preflights against the page's rule
#
# ### The page's own origin
#
# The page's preflight matches the rule. The answer echoes the origin, lists the rule's
# methods, repeats the headers asked for (lower-cased), and allows credentials because the
# origin is named rather than `*`. `Vary` tells caches that the answer depends on these
# request headers.

# %%
assert preflight() == 200

# %% [markdown]
# ### Another origin
#
# The same page served from another port is another origin, and no rule matches it:

# %%
assert preflight(origin="http://localhost:8080") == 403

# %% [markdown]
# The message is the one Amazon S3 sends (typo "evalution" included). This time the
# resource at fault is the object: the bucket has a configuration, but no rule matched.
#
# ### A header the rule does not list
#
# A page that adds a header to the upload, here `x-amz-meta-owner` for object metadata,
# asks for it in the preflight. The rule lists only `content-type`, so the whole preflight
# fails, even though the origin and the method are allowed:

# %%
assert preflight(headers="content-type,x-amz-meta-owner") == 403

# %% [markdown]
# ### No `Origin` header at all
#
# A preflight must say who asks. Without `Origin`, Amazon S3 answers `400 BadRequest`
# before it even looks at the configuration:

# %%
assert preflight(origin=None) == 400

# %% [markdown]
# ## After the preflight: the answer's CORS headers
#
# The browser checks CORS twice: it also reads the `Access-Control-Allow-Origin` header of
# the `PUT`'s own answer before it lets the script see that answer. Amazon S3 adds the
# matching rule's headers to it, including `Access-Control-Expose-Headers: ETag`, which is
# what lets the script read the `ETag`:

# %%
url = lab.s3.generate_presigned_url(
    "put_object", Params={"Bucket": BUCKET, "Key": KEY, "ContentType": "image/jpeg"}, ExpiresIn=600
)
uploaded = send(
    "PUT",
    url,
    headers={"Content-Type": "image/jpeg", "Origin": APP_ORIGIN},
    data=b"not really a JPEG",
)
print(
    uploaded.status,
    uploaded.header("Access-Control-Allow-Origin"),
    uploaded.header("Access-Control-Expose-Headers"),
)

# %% [markdown]
# An error answer carries them too. A page that sends another `Content-Type` than the
# signed one gets `SignatureDoesNotMatch`, and because the CORS headers are there, the
# script can read and show S3's `Code` and `Message` instead of a bare network error:

# %%
wrong_type = send(
    "PUT",
    url,
    headers={"Content-Type": "image/png", "Origin": APP_ORIGIN},
    data=b"not really a PNG",
)
print(wrong_type.status, wrong_type.code, wrong_type.header("Access-Control-Allow-Origin"))

# %% [markdown]
# ## The whole system in a browser
#
# `presignlab serve` runs the seed's system on this machine, and `Stack` is the same thing
# inside this notebook: beside the local S3, a local "API Gateway" on another port turns
# each request to `/presign` into an API Gateway proxy event for the hardened signing
# handler, and serves the upload page. `Stack` also creates a bucket whose CORS rule is
# `cors_rules(page origin, ["content-type"])`, and a signer, an IAM user allowed only
# `s3:PutObject` under `uploads/`. It runs against the local S3 only.

# %%
stack = Stack().start() if lab.local_only("the signing API and the upload page") else None
if stack:
    print(stack.bucket, stack.cors_rules[0]["AllowedOrigins"] == [stack.origin])

# %% [markdown]
# The page's origin differs from the S3 endpoint's by its port, so the browser applies
# CORS exactly as between a web site and Amazon S3. The signing API answers the seed's
# query parameters with the URL, the method and the headers the browser must send:

# %%
if stack:
    grant = requests.get(
        stack.presign_url,
        params={"filekey": "holiday photo.jpg", "contentType": "image/jpeg"},
        headers=stack.token.header,  # the signing API wants the page's bearer token
    ).json()
    print(grant["method"], grant["headers"], grant["expires_in"], grant["key"].split("/")[-1])

# %% [markdown]
# Now a real browser: headless Chromium opens the upload page, chooses a 200 KB file, asks
# for a URL and uploads it with a progress bar. The screenshot shows the page at the end.
# (Without Chromium and playwright installed, the next cell says so instead of showing a
# picture.)

# %%
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 800
if stack:
    shot = screenshot(stack.page_url, "holiday photo.jpg", PHOTO, "image/jpeg")

# %% tags=["nbval-ignore-output"]
shot if stack else None

# %% [markdown]
# Stopping the stack stops its API and deletes its bucket and signer:

# %%
len(stack.stop()) if stack else 0

# %% [markdown]
# ## Summary
#
# - A browser sends an `OPTIONS` preflight before a cross-origin `PUT` with a
#   `Content-Type`; Amazon S3 answers it, unauthenticated, from the bucket's CORS rules.
# - No configuration, another origin, or one header the rule does not list: the
#   preflight gets `403 AccessForbidden`, and the page sees only a network error.
# - The seed's rule (`*` origin, `*` headers) works but admits every web site and hides
#   the `ETag`; name the page's origin and its headers, and expose `ETag`.
# - The actual answer, error or not, carries the rule's CORS headers, so a page can show
#   S3's `Code` and `Message`.
# - `presignlab serve` runs the whole system locally; the real-browser tests drive it with
#   headless Chromium.
#
# ## What's next
#
# Back to [00-overview](00-overview.ipynb) for the map of the kit: each failure the page
# can show has its own notebook there.

# %% [markdown]
# ## References
#
# - Amazon S3 User Guide, [Using cross-origin resource sharing (CORS)](https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html)
# - Amazon S3 User Guide, [Download and upload objects with presigned URLs](https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html)
# - Amazon S3 User Guide, [Uploading objects with presigned URLs](https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html)
# - Amazon S3 API Reference, [Error responses](https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html)
# - MDN Web Docs, [Access-Control-Max-Age](https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Access-Control-Max-Age) (Firefox caps it at 86400 seconds, Chromium since v76 at 7200; the default is 5 seconds)
# - WHATWG Fetch Standard, [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch) (a preflight needs an ok status, 200 to 299; a redirect is a network error)
# - Amazon S3 API Reference, [Request routing](https://docs.aws.amazon.com/AmazonS3/latest/API/UsingRouting.html) (the temporary redirects of new buckets)
# - Amazon S3 User Guide, [Troubleshooting CORS](https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors-troubleshooting.html)
# - Amazon API Gateway Developer Guide, [Set up Lambda proxy integrations in API Gateway](https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html)

# %%
lab.cleanup()
