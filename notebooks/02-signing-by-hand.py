# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Signing a presigned URL by hand
#
# Amazon S3 accepts a presigned URL when the signature it computes from the request it
# receives equals the `X-Amz-Signature` in the URL. This notebook computes that signature
# in the four steps of Signature Version 4, one kit function per step, reproduces AWS's
# published example exactly, checks the same computation against botocore, and then shows
# how object keys with spaces, `+` and non-ASCII characters are encoded.
#
# ## Overview
#
# 1. The example request
# 2. Step 1: the canonical request
# 3. Step 2: the string to sign
# 4. Step 3: the signing key
# 5. Step 4: the signature
# 6. The same URL from botocore
# 7. Keys with spaces, `+` and unicode

# %% [markdown]
# ## Prerequisites
#
# | Concept | Importance | Notes |
# |---|---|---|
# | [01-anatomy-of-a-presigned-url](01-anatomy-of-a-presigned-url.ipynb) | Necessary | The query parameters |
# | Hash functions and HMAC | Helpful | SHA-256, and HMAC as a keyed hash |
#
# - **AWS account:** not needed.
# - **Time to learn:** 20 minutes.

# %% [markdown]
# ## Imports

# %%
from datetime import datetime
from unittest.mock import patch
from urllib.parse import quote, urlsplit

import boto3
from botocore.config import Config

from presignlab import (
    canonical_headers,
    canonical_query_string,
    canonical_request,
    canonical_uri,
    credential_scope,
    parse_presigned_url,
    payload_hash,
    presign_v4,
    signature,
    signed_headers,
    signing_key,
    string_to_sign,
)
from presignlab.diagnosis.received import s3_key_path
from presignlab.examples import (
    EXAMPLE_ACCESS_KEY_ID,
    EXAMPLE_BUCKET,
    EXAMPLE_DATE,
    EXAMPLE_EXPIRES,
    EXAMPLE_KEY,
    EXAMPLE_REGION,
    EXAMPLE_SECRET_ACCESS_KEY,
)

# %% [markdown]
# ## The example request
#
# The Amazon S3 API reference works one presigned URL through in full: a `GET` of
# `test.txt` in `examplebucket` (`us-east-1`), signed at 2013-05-24 00:00:00 UTC with the
# documented example key pair and valid for 86400 seconds (24 hours). Its inputs live in
# `presignlab.examples`; the published signature is written out here, because matching it
# is the test.

# %%
HOST = f"{EXAMPLE_BUCKET}.s3.amazonaws.com"
AMZ_DATE = EXAMPLE_DATE.strftime("%Y%m%dT%H%M%SZ")
PUBLISHED_SIGNATURE = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
print(HOST, EXAMPLE_KEY, AMZ_DATE, EXAMPLE_EXPIRES, EXAMPLE_REGION)

# %% [markdown]
# ## Step 1: the canonical request
#
# The canonical request is the request written in one fixed form, six lines: method,
# canonical URI, canonical query string, canonical headers, signed header names and the
# payload hash. Signer and Amazon S3 each build it; any difference changes the signature.
#
# The **canonical URI** is the path, each byte outside `A-Z a-z 0-9 - . _ ~` percent-encoded
# once with upper-case hex, slashes kept. Amazon S3 never normalises it (`//`, `.` and `..`
# stay as they are).

# %%
uri = canonical_uri("/" + EXAMPLE_KEY)
uri

# %% [markdown]
# The **canonical query string** is every query parameter except `X-Amz-Signature`, names
# and values encoded (here `/` becomes `%2F`), sorted by encoded name in byte order, so
# upper-case `X-Amz-*` names come before lower-case ones. For a presigned URL these
# are the authentication parameters themselves, which is how the expiry and the list of
# signed headers get signed.

# %%
scope = credential_scope(AMZ_DATE, EXAMPLE_REGION, "s3")
params = [
    ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
    ("X-Amz-Credential", f"{EXAMPLE_ACCESS_KEY_ID}/{scope}"),
    ("X-Amz-Date", AMZ_DATE),
    ("X-Amz-Expires", str(EXAMPLE_EXPIRES)),
    ("X-Amz-SignedHeaders", "host"),
]
query = canonical_query_string(params)
print(query)

# %% [markdown]
# The **canonical headers** are the signed headers, names in lower case, values trimmed
# and inner runs of spaces collapsed, one `name:value` line each, sorted. The example signs only `host`. **Signed headers**
# is the `;`-joined list of those names.

# %%
headers_block = canonical_headers({"Host": HOST}, ["host"])
names = signed_headers(["host"])
print(repr(headers_block), repr(names))

# %% [markdown]
# The **payload hash** of a presigned request is the literal `UNSIGNED-PAYLOAD`: the URL is
# made before the body exists, so the body is not signed.

# %%
payload_hash()

# %% [markdown]
# Joined with newlines, they form the canonical request. The blank line comes from the
# headers block, which ends with its own newline.

# %%
creq = canonical_request("GET", uri, query, headers_block, names, payload_hash())
print(creq)

# %% [markdown]
# ## Step 2: the string to sign
#
# The string to sign has four lines: the algorithm, the signing instant, the credential
# scope, and the hex SHA-256 of the canonical request. Only the hash of the canonical
# request is signed, which is why Amazon S3 sends the whole canonical request back when the
# signatures differ: the hash alone would not say what differs.

# %%
sts = string_to_sign(AMZ_DATE, scope, creq)
print(sts)

# %% [markdown]
# ## Step 3: the signing key
#
# The secret access key is not used directly. It seeds a chain of four HMAC-SHA256
# computations: `"AWS4" + secret` keys the date, the result keys the region, that keys the
# service, and that keys the constant `aws4_request`. The final 32 bytes are a key valid
# only for that day, region and service.
#
# The derived key is itself a credential (it signs anything in that scope for a whole
# day), so the notebook prints only its length.

# %%
key = signing_key(EXAMPLE_SECRET_ACCESS_KEY, AMZ_DATE, EXAMPLE_REGION, "s3")
len(key)

# %% [markdown]
# ## Step 4: the signature
#
# The signature is the HMAC-SHA256 of the string to sign under the signing key, written as
# 64 lower-case hex digits. It matches the value AWS published.

# %%
sig = signature(key, sts)
assert sig == PUBLISHED_SIGNATURE
sig

# %% [markdown]
# `presign_v4` performs the four steps in one call and appends the signature as the last
# query parameter, giving the complete URL of AWS's example.

# %%
url = presign_v4(
    "GET",
    f"https://{HOST}/{EXAMPLE_KEY}",
    access_key=EXAMPLE_ACCESS_KEY_ID,
    secret_key=EXAMPLE_SECRET_ACCESS_KEY,
    region=EXAMPLE_REGION,
    now=EXAMPLE_DATE,
    expires=EXAMPLE_EXPIRES,
)
assert url.endswith(f"&X-Amz-Signature={PUBLISHED_SIGNATURE}")
print(url)

# %% [markdown]
# ## The same URL from botocore
#
# botocore, the engine under boto3, signs presigned Amazon S3 URLs in its class
# `S3SigV4QueryAuth`. It reads the time from `get_current_datetime` in its `botocore.auth`
# module, and it cannot be given an instant. To make it sign at 2013-05-24 00:00:00 UTC,
# the next cells replace that one function, only inside a `with` block, by one that returns
# the fixed instant (botocore expects a naive UTC `datetime`).
#
# botocore also writes its intermediate results to the debug log of that module. Replacing
# the module's `logger` with a mock, again only inside the `with` block, records them, so
# each step can be compared and not only the final signature.

# %%
FROZEN = patch("botocore.auth.get_current_datetime", return_value=datetime(2013, 5, 24))

client = boto3.session.Session(
    aws_access_key_id=EXAMPLE_ACCESS_KEY_ID,
    aws_secret_access_key=EXAMPLE_SECRET_ACCESS_KEY,
).client("s3", region_name=EXAMPLE_REGION, config=Config(signature_version="s3v4"))

# %%
with FROZEN, patch("botocore.auth.logger") as log:
    botocore_url = client.generate_presigned_url(
        "get_object",
        Params={"Bucket": EXAMPLE_BUCKET, "Key": EXAMPLE_KEY},
        ExpiresIn=EXAMPLE_EXPIRES,
    )
steps = {c.args[0].split(":")[0]: c.args[1] for c in log.debug.call_args_list if len(c.args) == 2}
sorted(steps)

# %% [markdown]
# Each of botocore's steps equals the kit's, and so does the whole URL:

# %%
assert steps["CanonicalRequest"] == creq
assert steps["StringToSign"] == sts
assert steps["Signature"] == sig == PUBLISHED_SIGNATURE
assert botocore_url == url

# %% [markdown]
# botocore produces the same URL character for character. The same holds for an upload
# URL that signs a `Content-Type`: botocore adds `content-type` to the signed headers, and
# so does `presign_v4` when given the header.

# %%
with FROZEN:
    botocore_put = client.generate_presigned_url(
        "put_object",
        ExpiresIn=600,
        Params={"Bucket": EXAMPLE_BUCKET, "Key": "uploads/photo.jpg", "ContentType": "image/jpeg"},
    )
ours_put = presign_v4(
    "PUT",
    f"https://{HOST}/uploads/photo.jpg",
    access_key=EXAMPLE_ACCESS_KEY_ID,
    secret_key=EXAMPLE_SECRET_ACCESS_KEY,
    region=EXAMPLE_REGION,
    now=EXAMPLE_DATE,
    expires=600,
    headers={"Content-Type": "image/jpeg"},
)
assert ours_put == botocore_put
print(parse_presigned_url(ours_put).signed_headers)

# %% [markdown]
# ## Keys with spaces, `+` and unicode
#
# Object keys may contain any UTF-8 text. The canonical URI encodes the key's UTF-8 bytes
# with the rule from step 1: a space is `%20` (never `+`), a literal `+` is `%2B`, `=` is
# `%3D`, and each byte of `é` or `☕` becomes its own `%XX`.

# %%
KEY = "photos/2024 holiday/me+you=café ☕.jpg"
print(canonical_uri("/" + KEY))

# %% [markdown]
# Given the raw key, botocore produces the same URL as `presign_v4` again. The URL's path
# is the canonical URI itself.

# %%
with FROZEN:
    botocore_key = client.generate_presigned_url(
        "put_object",
        Params={"Bucket": EXAMPLE_BUCKET, "Key": KEY},
        ExpiresIn=600,
    )
ours_key = presign_v4(
    "PUT",
    f"https://{HOST}{canonical_uri('/' + KEY)}",
    access_key=EXAMPLE_ACCESS_KEY_ID,
    secret_key=EXAMPLE_SECRET_ACCESS_KEY,
    region=EXAMPLE_REGION,
    now=EXAMPLE_DATE,
    expires=600,
)
assert ours_key == botocore_key
print(urlsplit(botocore_key).path)

# %% [markdown]
# Two mistakes break this. The first is encoding the key yourself before giving it to the
# SDK: the SDK encodes it again, `%20` becomes `%2520`, and the object would be stored
# under a key that literally contains `%20`.

# %%
with FROZEN:
    double = client.generate_presigned_url(
        "put_object",
        Params={"Bucket": EXAMPLE_BUCKET, "Key": quote(KEY)},
        ExpiresIn=600,
    )
print(urlsplit(double).path)
print("key S3 would store:", parse_presigned_url(double).key)

# %% [markdown]
# The second is sending a literal `+` unencoded. Amazon S3 decodes a raw `+` in the path
# as a space (docs/aws-behaviour.md, ADDR-06: S3's own CanonicalRequest shows `%20` where
# a client sent `+`), so a key with a plus must travel as `%2B`. A URL
# rebuilt by hand with the raw `+` names another key: S3 computes another canonical URI,
# and the signature no longer matches. (The other way round is harmless on S3: a space
# written as `+` is read as a space.) `s3_key_path` decodes a path the way S3 does:

# %%
as_sent = urlsplit(ours_key.replace("%2B", "+")).path
print(s3_key_path(as_sent))
assert canonical_uri(s3_key_path(as_sent)) != canonical_uri("/" + KEY)
assert s3_key_path(urlsplit(ours_key.replace("%20", "+")).path) == "/" + KEY

# %% [markdown]
# ## Summary
#
# - SigV4 signs in four steps: canonical request, string to sign, signing key, signature.
#   The kit has one function per part, and they reproduce AWS's published example exactly.
# - For presigned URLs the canonical query string contains the authentication parameters,
#   the only signed header by default is `host`, and the payload is `UNSIGNED-PAYLOAD`.
# - botocore, with its clock frozen, produces the very same URLs.
# - Keys are encoded once, byte by byte, with `%20` for a space and `%2B` for a plus (S3
#   reads a raw `+` as a space); pass the raw key to the SDK and never re-encode the URL
#   it returns.
#
# ## What's next
#
# The next notebook, [03-bucket-setup](03-bucket-setup.ipynb), creates the bucket, its CORS
# rule and a least-privilege signer against the kit's strict local S3.
# [00-overview](00-overview.ipynb) has the map of the whole series.

# %% [markdown]
# ## References
#
# - Amazon S3 API Reference, [Authenticating Requests: Using Query Parameters (AWS Signature Version 4)](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)
# - Amazon S3 API Reference, [Authenticating Requests (AWS Signature Version 4)](https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html)
# - Amazon S3 API Reference, [Signature Calculations for the Authorization Header](https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html)
# - IAM User Guide, [Create a signed AWS API request](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html)
# - The kit's rules from recorded AWS answers, [docs/aws-behaviour.md](../docs/aws-behaviour.md), ADDR-06 (a raw `+` in the path is a space), with its sources: [anomalizer/ngx_aws_auth#87](https://github.com/anomalizer/ngx_aws_auth/issues/87) (AWS's CanonicalRequest shows `%20%20` for the `++` a client sent) and [aws/aws-sdk-ruby#654](https://github.com/aws/aws-sdk-ruby/issues/654) (the SDK maintainers on S3 reading `+` as a space)
# - botocore source, [`botocore/auth.py`](https://github.com/boto/botocore/blob/develop/botocore/auth.py) (`S3SigV4QueryAuth`, `HmacV1QueryAuth`)
