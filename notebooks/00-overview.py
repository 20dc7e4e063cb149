# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Presigned uploads to Amazon S3: the map
#
# A presigned URL lets someone without AWS credentials upload one object to a private
# Amazon S3 bucket, for a limited time. This kit teaches how such a URL is built, how
# Amazon S3 checks it, and how to find out why yours fails. This first notebook draws the
# whole system once, corrects three beliefs that send people down the wrong path, and
# lists what each later notebook covers.
#
# ## Overview
#
# 1. The system: a private bucket, a signing function and a browser
# 2. One upload, step by step
# 3. Three misconceptions, corrected
# 4. The notebooks in this kit

# %% [markdown]
# ## Prerequisites
#
# | Concept | Importance | Notes |
# |---|---|---|
# | Python basics | Necessary | Functions, strings, `assert` |
# | HTTP requests | Helpful | Methods (`GET`, `PUT`), headers, query strings |
# | An AWS account | Not needed | Everything here runs offline: presigning is local computation |
#
# - **Previous notebook:** none, start here.
# - **Time to learn:** 10 minutes.

# %% [markdown]
# ## Imports
#
# Everything comes from the kit's installed package `presignlab`. The module
# `presignlab.examples` holds the example credentials that the AWS documentation uses (they
# open nothing on real AWS), so no secret is ever written in a notebook.

# %%
import base64
from urllib.parse import quote

from presignlab import (
    SentRequest,
    parse_presigned_url,
    presign_v2,
    presign_v4,
    sigv4_canonical_request,
)
from presignlab.examples import EXAMPLE_ACCESS_KEY_ID, EXAMPLE_DATE, EXAMPLE_SECRET_ACCESS_KEY

# %% [markdown]
# The one set-up cell fixes the inputs: the example key pair, a bucket in `us-east-1`, and
# the instant of AWS's published signing example (2013-05-24 00:00 UTC). A fixed instant
# makes every URL below, and every output, identical from run to run.

# %%
SIGNER = {"access_key": EXAMPLE_ACCESS_KEY_ID, "secret_key": EXAMPLE_SECRET_ACCESS_KEY}
OBJECT_URL = "https://examplebucket.s3.amazonaws.com/uploads/photo.jpg"
NOW = EXAMPLE_DATE
NOW

# %% [markdown]
# ## The system: a private bucket, a signing function and a browser
#
# The design this kit grew from is the one of the article
# [Uploading to S3 with Presigned upload URLs](https://razorux.com/posts/2023/s3-%20presigned%20upload%20urls/)
# (Michoel Samuels, June 2023), called the *seed article* in these notebooks. It has three
# parts.
#
# - **A private bucket.** Block Public Access stays on and nobody can write to the bucket
#   anonymously. A CORS rule on the bucket lets the web page's origin send `PUT` requests to
#   it from JavaScript.
# - **A signing function.** An AWS Lambda function behind Amazon API Gateway. It runs with an
#   IAM role that may call `s3:PutObject` on the bucket. When the page asks for an upload
#   URL, sending a file name and a content type, it signs a `PUT` request for one object
#   key and returns the URL. Signing is a few HMAC computations on the function's
#   own credentials: the function never contacts Amazon S3 to do it.
# - **A browser.** The page sends the file's bytes straight to Amazon S3 with that URL. The
#   file never passes through Lambda or API Gateway (whose request-size limits would
#   otherwise apply), and the browser never sees an AWS credential.
#
# Amazon S3 accepts the `PUT` because the URL carries a signature made with the signer's
# credentials: the upload runs with the signer's permissions, for as long as the URL is
# valid.

# %% [markdown]
# ## One upload, step by step
#
# The diagram shows one upload. JupyterLab 4 draws it from the `mermaid` block in this cell;
# the same drawing follows as a static picture, for viewers that do not render mermaid
# (an exported HTML page, for instance).
#
# ```mermaid
# sequenceDiagram
#     autonumber
#     participant B as Browser
#     participant G as API Gateway
#     participant L as Lambda (signing function)
#     participant S as Amazon S3 (private bucket)
#     B->>G: GET /presign?filekey=photo.jpg&contentType=image/jpeg
#     G->>L: proxy event
#     L->>L: sign PUT /uploads/photo.jpg<br/>(SigV4, HMAC-SHA256, no call to S3)
#     L-->>G: 200, JSON with signed_url
#     G-->>B: the presigned URL
#     B->>S: OPTIONS preflight (Origin, Access-Control-Request-Method: PUT)
#     S-->>B: 200 with Access-Control-Allow-* (from the bucket's CORS rule)
#     B->>S: PUT presigned URL, Content-Type: image/jpeg, body = the file
#     Note over S: check the parameters and the expiry,<br/>recompute the canonical request and<br/>compare signatures, then check<br/>the signer's permissions
#     S-->>B: 200 OK, ETag
# ```
#
# <img src="img/one-upload.svg" alt="The same sequence as a static picture: the browser asks API Gateway for a URL, Lambda signs it locally, the browser sends the preflight and then the PUT to Amazon S3, which answers 200 with an ETag." width="760"/>
#
# Step 3 is all the signing function does. Here is the same step with the kit's
# `presign_v4`: a `PUT` for `uploads/photo.jpg` that must carry `Content-Type: image/jpeg`,
# valid for 600 seconds.

# %%
url = presign_v4(
    "PUT",
    OBJECT_URL,
    region="us-east-1",
    now=NOW,
    expires=600,
    headers={"Content-Type": "image/jpeg"},
    **SIGNER,
)
print(url)

# %% [markdown]
# The URL names the algorithm, the signer's access key id and scope, the signing instant,
# the lifetime, the headers that were signed and the signature. Notebook 01 takes it apart
# parameter by parameter.

# %% [markdown]
# ## Three misconceptions, corrected
#
# Each belief below is common in questions about failing uploads, and each is wrong. The
# evidence here is computed offline; later notebooks demonstrate each one against the kit's
# strict local S3, which answers exactly as Amazon S3 does.
#
# ### "A presigned URL can be used only once"
#
# It can be used any number of times. The Amazon S3 User Guide says: *"You can use the
# presigned URL multiple times, up to the expiration date and time."* A second `PUT` with
# the same URL replaces the object the first one wrote.
#
# The reason is visible in the URL itself: it carries no nonce and no use counter, only the
# request, the time window and the signature. The parser lists every query parameter:

# %%
parsed = parse_presigned_url(url)
[name for name, _ in parsed.query]

# %% [markdown]
# Signing the same request at the same instant gives the very same URL, byte for byte.
# Amazon S3 checks a URL by recomputing its signature, and nothing in that computation
# changes after the first upload.

# %%
again = presign_v4(
    "PUT",
    OBJECT_URL,
    region="us-east-1",
    now=NOW,
    expires=600,
    headers={"Content-Type": "image/jpeg"},
    **SIGNER,
)
assert again == url
print("valid from", parsed.signed_at, "until", parsed.expires_at)

# %% [markdown]
# Until `expires_at`, anyone holding the URL can upload as often as they like. [Notebook 09](09-hardening-uploads.ipynb)
# proves it against the local S3 and shows how to make uploads effectively single-use with
# a signed `If-None-Match: *` header, short lifetimes and server-chosen keys.
#
# ### "The signature is base64"
#
# A Signature Version 4 (SigV4) signature is the HMAC-SHA256 of a text, written as 64
# lower-case hexadecimal digits: 32 bytes, two digits per byte.

# %%
sig = parsed.signature
print(len(sig), set(sig) <= set("0123456789abcdef"), len(bytes.fromhex(sig)), "bytes")

# %% [markdown]
# Base64 belongs to the legacy Signature Version 2 (SigV2): 28 characters encoding the 20
# bytes of an HMAC-SHA1. The kit's `presign_v2` makes one for comparison.

# %%
v2 = parse_presigned_url(presign_v2("PUT", OBJECT_URL, expires_at=NOW, **SIGNER))
print(v2.version, v2.signature, len(v2.signature), len(base64.b64decode(v2.signature)), "bytes")

# %% [markdown]
# Writing the SigV4 digest in base64, as some hand-written signers do, gives a 44-character
# value that can never match. The parser refuses it with a message that says so.

# %% tags=["raises-exception"]
as_base64 = base64.b64encode(bytes.fromhex(sig)).decode()
parse_presigned_url(url.replace(sig, quote(as_base64, safe="")))

# %% [markdown]
# ### "Amazon S3 does not say what it expected"
#
# It does. When a SigV4 presigned request fails with `SignatureDoesNotMatch`, the error
# body carries the string to sign and the canonical request that Amazon S3 computed from the
# request it received, plus both as hex bytes. Comparing them with what the signer computed
# shows which part differs. This is the shape of such a body (from recorded AWS responses;
# the `&` in the canonical request is escaped as `&amp;`, newlines are literal, and the
# `…` stand for shortened values):
#
# ```xml
# <?xml version="1.0" encoding="UTF-8"?>
# <Error>
#   <Code>SignatureDoesNotMatch</Code>
#   <Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>
#   <AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId>
#   <StringToSign>AWS4-HMAC-SHA256
# 20130524T000000Z
# 20130524/us-east-1/s3/aws4_request
# …64 hex digits: SHA-256 of the canonical request below…</StringToSign>
#   <SignatureProvided>…the X-Amz-Signature of the URL…</SignatureProvided>
#   <StringToSignBytes>41 57 53 34 2d 48 4d 41 43 2d 53 48 41 32 35 36 0a …</StringToSignBytes>
#   <CanonicalRequest>PUT
# /uploads/photo.jpg
# X-Amz-Algorithm=AWS4-HMAC-SHA256&amp;X-Amz-Credential=…&amp;X-Amz-Date=20130524T000000Z&amp;X-Amz-Expires=600&amp;X-Amz-SignedHeaders=content-type%3Bhost
# content-type:text/plain
# host:examplebucket.s3.amazonaws.com
#
# content-type;host
# UNSIGNED-PAYLOAD</CanonicalRequest>
#   <CanonicalRequestBytes>50 55 54 0a 2f 75 70 6c 6f 61 64 73 …</CanonicalRequestBytes>
#   <RequestId>…</RequestId>
#   <HostId>…</HostId>
# </Error>
# ```
#
# SigV2 errors carry the string to sign but no canonical request, and neither do the errors
# of presigned POST forms.
#
# The `CanonicalRequest` above has `content-type:text/plain`, yet the URL was signed for
# `image/jpeg`. The kit computes the same text S3 does, from the request as S3 receives it:

# %%
sent = SentRequest.to_url(url, "PUT", {"Content-Type": "text/plain"})
print(sigv4_canonical_request(sent, parsed.signed_headers))

# %% [markdown]
# Its fourth line is the culprit: the browser sent a different `Content-Type` from the one
# that was signed. [Notebook 06](06-signature-does-not-match.ipynb) breaks requests in ten ways against the local S3
# and reads each error body; [notebook 08](08-debugging-your-own-url.ipynb) does the same with a URL and an error body of
# your own.

# %% [markdown]
# ## The notebooks in this kit
#
# | Notebook | Question it answers |
# |---|---|
# | 00-overview (this one) | What are the parts, and which beliefs mislead? |
# | [01-anatomy-of-a-presigned-url](01-anatomy-of-a-presigned-url.ipynb) | What does each query parameter mean, and which headers must the uploader send? |
# | [02-signing-by-hand](02-signing-by-hand.ipynb) | How is the signature computed, step by step? |
# | [03-bucket-setup](03-bucket-setup.ipynb) | How are the bucket, its CORS rule and the signer's permissions set up? |
# | [04-the-signing-service](04-the-signing-service.ipynb) | What does a safe signing function look like? |
# | [05-uploading](05-uploading.ipynb) | How does a client send exactly the signed request? |
# | [06-signature-does-not-match](06-signature-does-not-match.ipynb) | Why does S3 answer `SignatureDoesNotMatch`, case by case? |
# | [07-access-denied](07-access-denied.ipynb) | Why does S3 answer `AccessDenied`: expiry, permissions, policies? |
# | [08-debugging-your-own-url](08-debugging-your-own-url.ipynb) | What is wrong with the URL in front of me? |
# | [09-hardening-uploads](09-hardening-uploads.ipynb) | How do I limit reuse, content type, size and key? |
# | [10-cors-and-the-browser](10-cors-and-the-browser.ipynb) | Why does the browser report a CORS error? |
# | [11-debugging-from-the-browser](11-debugging-from-the-browser.ipynb) | How do I diagnose a failing upload from the browser's own evidence (Copy as cURL, a HAR file)? |
# | [12-sdks-beyond-boto3](12-sdks-beyond-boto3.ipynb) | What do the JavaScript SDKs v3 and v2 put into a presigned URL? |
# | [13-is-your-s3-really-s3](13-is-your-s3-really-s3.ipynb) | Does an S3-compatible store answer the way Amazon S3 does? |

# %% [markdown]
# ## Summary
#
# - The browser uploads straight to a private bucket with a URL that a signing function
#   (Lambda behind API Gateway) computed locally from its own credentials.
# - A presigned URL can be used any number of times until it expires: it has no nonce.
# - A SigV4 signature is 64 hex digits of HMAC-SHA256; base64 is the legacy SigV2 format.
# - A `SignatureDoesNotMatch` body includes the canonical request S3 computed: read it.
#
# ## What's next
#
# [01-anatomy-of-a-presigned-url](01-anatomy-of-a-presigned-url.ipynb) explains every
# query parameter of the URL above and the headers its uploader must send.

# %% [markdown]
# ## References
#
# - Michoel Samuels, [Uploading to S3 with Presigned upload URLs](https://razorux.com/posts/2023/s3-%20presigned%20upload%20urls/) (2023): the seed article
# - Amazon S3 User Guide, [Download and upload objects with presigned URLs](https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html)
# - Amazon S3 User Guide, [Uploading objects with presigned URLs](https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html)
# - Amazon S3 API Reference, [Authenticating Requests: Using Query Parameters (AWS Signature Version 4)](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)
# - Amazon S3 API Reference, [Error responses](https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html)
# - Amazon S3 User Guide, [Using cross-origin resource sharing (CORS)](https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html)
# - Amazon S3 API Reference, [Signing and authenticating REST requests (AWS signature version 2)](https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html)
