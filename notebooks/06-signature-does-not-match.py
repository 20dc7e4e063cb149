# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Breaking a presigned URL on purpose: SignatureDoesNotMatch and its cousins
#
# `SignatureDoesNotMatch` is the error people meet most with presigned uploads, and the
# least helpful to read: Amazon S3 says only that the signature it calculated differs from
# the one in the URL. This notebook breaks a working upload URL in ten common ways, one at
# a time, against the kit's strict local S3. Each break shows the request, S3's answer
# (with the canonical request S3 computed), a side-by-side comparison with what the signer
# signed, the kit's diagnosis, and the fix that makes the upload succeed again.
#
# ## Overview
#
# 1. The upload that works
# 2. Content-Type differs from the signed one
# 3. GET on a PUT URL
# 4. A signed header is not sent
# 5. An extra x-amz-* header that was not signed
# 6. The query string edited after signing
# 7. A literal + in the key sent unencoded
# 8. Host or port changed by a proxy
# 9. A wrong secret key
# 10. A wrong region
# 11. SigV2 instead of SigV4
# 12. All the breaks at a glance

# %% [markdown]
# ## Prerequisites
#
# | Concept | Importance | Notes |
# |---|---|---|
# | [02-signing-by-hand](02-signing-by-hand.ipynb) | Necessary | The canonical request and its six lines |
# | [05-uploading](05-uploading.ipynb) | Helpful | Sending exactly the signed headers |
#
# - **AWS account:** not needed; everything runs against the kit's local S3, whose error
#   bodies have the shape real Amazon S3 returns.
# - **Time to learn:** 30 minutes.

# %% [markdown]
# ## Imports

# %%
import re
from textwrap import indent

import boto3
from botocore.config import Config
from IPython.display import HTML

from presignlab import SentRequest, parse_presigned_url, sigv2_string_to_sign
from presignlab.diagnosis import (
    actual_canonical_request,
    compare_canonical_requests,
    compare_sigv2_strings_to_sign,
    diagnose,
    expected_canonical_request,
)
from presignlab.examples import EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY
from presignlab.lab import open_lab, send

# %% [markdown]
# ## The upload that works
#
# The set-up cell opens the lab: the strict local S3, a boto3 client `lab.s3` that signs
# with SigV4 as the account's root user (AWS's documented example keys), and a clock
# pinned at 2026-03-01 12:00 UTC, so every URL and every signature below is the same on
# every run. It creates two buckets: one in `us-east-1`, the lab's region, and one in
# `eu-west-1` for the region break.

# %%
lab = open_lab("06-signature-does-not-match")
bucket = lab.create_bucket("uploads")
eu_bucket = lab.create_bucket("uploads-eu", region="eu-west-1")
NOW = lab.clock.now() if lab.clock else None
bucket, eu_bucket, NOW

# %% [markdown]
# The diagnosis below recomputes signatures, so it needs the secret key the URLs were
# signed with. Locally that is the example secret from `presignlab.examples`; on real
# AWS (`PRESIGNLAB_TARGET=aws`) it is the secret of the credentials boto3 found. It is
# passed to `diagnose` and never printed. URLs are printed through `shown`, which masks a
# session token (temporary credentials put one in every URL, and it is a credential too).

# %%
if lab.target == "local":
    ACCESS_KEY_ID, SECRET_KEY, TOKEN = EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY, None
else:
    found = boto3.session.Session().get_credentials().get_frozen_credentials()
    ACCESS_KEY_ID, SECRET_KEY, TOKEN = found.access_key, found.secret_key, found.token
BODY = b"hello, presigned world\n"


def shown(url):
    """The URL with the value of any X-Amz-Security-Token masked."""
    return re.sub(r"(X-Amz-Security-Token=)[^&]+", r"\1<token>", url)


# %% [markdown]
# A plain upload URL signs only the `host` header. Sent as it is, with `PUT`, it works.

# %%
upload_url = lab.s3.generate_presigned_url(
    "put_object",
    Params={"Bucket": bucket, "Key": "notes/hello.txt"},
    ExpiresIn=600,
)
print(shown(upload_url))
assert send("PUT", upload_url, data=BODY).status == 200

# %% [markdown]
# Amazon S3 accepts it because the canonical request it builds from the request it
# receives is the one the signer built. This is what the signer signed:

# %%
print(expected_canonical_request(upload_url, "PUT"))

# %% [markdown]
# Each break below changes one thing between signing and sending, and follows the same
# steps. Two small helpers keep the cells short:
#
# - `attempt` sends a request, prints it, and prints Amazon S3's answer: the status, the
#   error `Code` and `Message`, any extra element that names the problem, and the
#   `CanonicalRequest` S3 computed (S3 also returns the `StringToSign`, the signature
#   provided and hex copies of both; they add nothing here);
# - `top_finding` runs the kit's `diagnose` on the request as sent, with S3's error body
#   and the secret key, prints the first finding with its fix, and records it for the
#   table at the end.
#
# Between the two, `compare_canonical_requests` puts what the signer signed next to what
# S3 computed, line by line, and marks the lines that differ.

# %%
RESULTS = {}


def attempt(method, url, headers=None):
    """Send one request; print it and S3's Code, Message and CanonicalRequest."""
    headers = headers or {}
    print(method, shown(url))
    for name, value in headers.items():
        print(f"    {name}: {value}")
    response = send(method, url, headers=headers, data=BODY if method == "PUT" else None)
    print("->", response.status, response.code)
    error = response.error
    if error is not None:
        print("Message:", error.message)
        for name in ("HeadersNotSigned", "Region"):
            if error.get(name) is not None:
                print(f"{name}: {error.get(name)}")
        if error.canonical_request:
            print("CanonicalRequest:\n" + indent(error.canonical_request, "    "))
        elif error.string_to_sign:
            print("StringToSign:\n" + indent(error.string_to_sign, "    "))
    return response


def top_finding(name, url, method, headers, response):
    """Diagnose the request as sent (with S3's error body and the secret key)."""
    result = diagnose(
        url, method, headers or {}, secret_key=SECRET_KEY, error_xml=response.body, now=NOW
    )
    top = result.findings[0]
    print(f"[{top.code}] {top.message}")
    print("fix:", top.fix)
    RESULTS[name] = (f"{response.status} {response.code}", top.code)
    return result


# %% [markdown]
# ## Content-Type differs from the signed one
#
# When `ContentType` is given at presign time, boto3 adds `content-type` to the signed
# headers, so the uploader must send exactly that value. Browsers and HTTP libraries
# often send another one: the file's guessed type, `multipart/form-data` when the file is
# wrapped in `FormData`, or `application/octet-stream`.

# %%
png_url = lab.s3.generate_presigned_url(
    "put_object",
    Params={"Bucket": bucket, "Key": "photos/cat.png", "ContentType": "image/png"},
    ExpiresIn=600,
)
octet = {"Content-Type": "application/octet-stream"}
response = attempt("PUT", png_url, octet)

# %% [markdown]
# S3's `CanonicalRequest` shows the value it received. Next to what the signer signed,
# the one differing header line stands out:

# %%
compare_canonical_requests(
    expected_canonical_request(png_url, "PUT", {"Content-Type": "image/png"}),
    response.error.canonical_request,
)

# %% [markdown]
# The diagnosis tries single changes to the request until one reproduces the URL's
# signature, so it can say which value was signed.

# %%
result = top_finding("Content-Type differs", png_url, "PUT", octet, response)
assert response.code == "SignatureDoesNotMatch"
assert result.codes[0] == "signed-header-value-mismatch"

# %% [markdown]
# The fix: send the signed value byte for byte (or sign the value the client will send).

# %%
fixed = send("PUT", png_url, headers={"Content-Type": "image/png"}, data=BODY)
assert fixed.status == 200
fixed.status

# %% [markdown]
# ## GET on a PUT URL
#
# The method is the first line of the canonical request, so a URL signed for `put_object`
# cannot download the object it uploads. Trying to read `notes/hello.txt` back with the
# upload URL:

# %%
response = attempt("GET", upload_url)

# %%
compare_canonical_requests(
    expected_canonical_request(upload_url, "PUT"),
    response.error.canonical_request,
)

# %%
result = top_finding("GET on a PUT URL", upload_url, "GET", {}, response)
assert response.code == "SignatureDoesNotMatch" and result.codes[0] == "method-mismatch"

# %% [markdown]
# The fix is a second URL, presigned for `get_object`:

# %%
download_url = lab.s3.generate_presigned_url(
    "get_object",
    Params={"Bucket": bucket, "Key": "notes/hello.txt"},
    ExpiresIn=600,
)
fixed = send("GET", download_url)
assert fixed.status == 200 and fixed.body == BODY
fixed.body

# %% [markdown]
# ## A signed header is not sent
#
# `Metadata`, `ACL`, `ServerSideEncryption` and similar parameters become signed
# `x-amz-*` headers. Their names are listed in `X-Amz-SignedHeaders`, but their values
# are not in the URL: the uploader has to send them, and often does not know it must.

# %%
meta_url = lab.s3.generate_presigned_url(
    "put_object",
    Params={"Bucket": bucket, "Key": "notes/owned.txt", "Metadata": {"owner": "alice"}},
    ExpiresIn=600,
)
print(parse_presigned_url(meta_url).signed_headers)
response = attempt("PUT", meta_url)

# %% [markdown]
# S3 still computes a line for every signed header; for the missing one the value is
# empty.

# %%
compare_canonical_requests(
    expected_canonical_request(meta_url, "PUT", {"x-amz-meta-owner": "alice"}),
    response.error.canonical_request,
)

# %% [markdown]
# The secret key cannot recover the value (`alice` is not in the URL and is not a common
# value the search could guess), but S3's canonical request shows the header arrived
# empty, and the diagnosis says so first.

# %%
result = top_finding("Signed header not sent", meta_url, "PUT", {}, response)
assert response.code == "SignatureDoesNotMatch" and result.codes[0] == "signed-header-missing"

# %%
fixed = send("PUT", meta_url, headers={"x-amz-meta-owner": "alice"}, data=BODY)
assert fixed.status == 200
lab.s3.head_object(Bucket=bucket, Key="notes/owned.txt")["Metadata"]

# %% [markdown]
# ## An extra x-amz-* header that was not signed
#
# The opposite mistake: the client sends an `x-amz-*` header the signer never signed,
# here a metadata header.

# %%
owner = {"x-amz-meta-owner": "alice"}
response = attempt("PUT", upload_url, owner)

# %% [markdown]
# This is **not** `SignatureDoesNotMatch`. The canonical request only contains the headers
# named in `X-Amz-SignedHeaders`, so the extra header does not change it, and the
# signature would match:

# %%
compare_canonical_requests(
    expected_canonical_request(upload_url, "PUT"),
    actual_canonical_request(upload_url, "PUT", owner),
    titles=("signed", "as sent (unsigned headers left out)"),
)

# %% [markdown]
# Amazon S3 refuses it anyway, before it looks at the signature: every `x-amz-*` header
# changes what S3 does (metadata, ACLs, encryption, storage class, checksums), so a
# request may only carry the ones the signer approved. Otherwise anyone holding the URL
# could, for example, make the object public with `x-amz-acl`. S3 answers `AccessDenied`
# and names the offending headers in `<HeadersNotSigned>`. Ordinary headers such as
# `Content-Type` are not covered by this rule: unsigned, they are accepted.

# %%
result = top_finding("Extra unsigned x-amz-* header", upload_url, "PUT", owner, response)
assert response.code == "AccessDenied"
assert response.error.headers_not_signed == ("x-amz-meta-owner",)
assert result.codes[0] == "unsigned-amz-header"

# %% [markdown]
# The fix: sign the header (pass it in `Params`) and send it, or stop sending it. The URL
# from the previous section signs exactly this header:

# %%
assert send("PUT", meta_url, headers=owner, data=BODY).status == 200
assert send("PUT", upload_url, data=BODY).status == 200

# %% [markdown]
# ## The query string edited after signing
#
# Every query parameter except `X-Amz-Signature` is part of the canonical request,
# including `X-Amz-Expires`. A URL therefore cannot be extended by editing it: changing
# `X-Amz-Expires=600` to `3600` breaks the signature.

# %%
longer = upload_url.replace("X-Amz-Expires=600", "X-Amz-Expires=3600")
response = attempt("PUT", longer)

# %%
compare_canonical_requests(
    expected_canonical_request(upload_url, "PUT"),
    response.error.canonical_request,
)

# %%
result = top_finding("Query edited after signing", longer, "PUT", {}, response)
assert response.code == "SignatureDoesNotMatch" and result.codes[0] == "query-tampered"

# %% [markdown]
# Adding a parameter breaks it the same way. Some SDKs append `x-id=PutObject` to their
# requests; appended to a presigned URL after signing, it is a new line in the canonical
# query string. (Same break, same finding: the table at the end has one row for both.)

# %%
added = upload_url + "&x-id=PutObject"
response = attempt("PUT", added)

# %%
result = top_finding("Query edited after signing", added, "PUT", {}, response)
assert response.code == "SignatureDoesNotMatch" and result.codes[0] == "query-tampered"

# %% [markdown]
# The fix: use the URL exactly as the signer returned it. For a longer validity, presign
# again with a larger `ExpiresIn`.

# %%
hour_url = lab.s3.generate_presigned_url(
    "put_object",
    Params={"Bucket": bucket, "Key": "notes/hello.txt"},
    ExpiresIn=3600,
)
assert send("PUT", hour_url, data=BODY).status == 200
parse_presigned_url(hour_url).expires_in

# %% [markdown]
# ## A literal + in the key sent unencoded
#
# Amazon S3 decodes a raw `+` in the path as a space (docs/aws-behaviour.md, ADDR-06: the
# maintainers of the AWS SDK for Ruby explain it in aws/aws-sdk-ruby#654, and S3's own
# CanonicalRequest shows `%20` where a client sent `+` in anomalizer/ngx_aws_auth#87). So a
# key with a plus must travel as `%2B`, which is what boto3 writes. Code that rebuilds the URL
# from the decoded key and writes the `+` as it is sends S3 another key, `photos/1 2.png`,
# and S3 computes another canonical URI. (The reverse mistake is harmless on S3: a space
# written as `+` still names the key with a space.)

# %%
plus_url = lab.s3.generate_presigned_url(
    "put_object",
    Params={"Bucket": bucket, "Key": "photos/1+2.png"},
    ExpiresIn=600,
)
raw_plus_url = plus_url.replace("%2B", "+")
response = attempt("PUT", raw_plus_url)

# %% [markdown]
# S3's canonical request has `%20` where the URL was signed with `%2B`:

# %%
compare_canonical_requests(
    expected_canonical_request(plus_url, "PUT"),
    response.error.canonical_request,
)

# %%
result = top_finding("Literal + sent unencoded", raw_plus_url, "PUT", {}, response)
assert response.code == "SignatureDoesNotMatch" and result.codes[0] == "path-mismatch"

# %% [markdown]
# The fix: send the URL as returned, with `%2B`. The object is stored under the key with
# the plus.

# %%
assert send("PUT", plus_url, data=BODY).status == 200
[o["Key"] for o in lab.s3.list_objects_v2(Bucket=bucket, Prefix="photos/1")["Contents"]]

# %% [markdown]
# ## Host or port changed by a proxy
#
# The `Host` header is always signed, port included when it is not the scheme's default.
# A reverse proxy in front of the storage (here one listening on `localhost:8080`) that
# forwards the request with its own `Host` changes the canonical request. The cell sends
# that `Host` header directly, as such a proxy would.

# %%
proxied = {"Host": "localhost:8080"}
response = attempt("PUT", upload_url, proxied)

# %%
compare_canonical_requests(
    expected_canonical_request(upload_url, "PUT"),
    response.error.canonical_request,
)

# %%
result = top_finding("Host changed by a proxy", upload_url, "PUT", proxied, response)
assert response.code == "SignatureDoesNotMatch" and result.codes[0] == "host-mismatch"

# %% [markdown]
# The fix: send the request to the host in the URL, or configure the proxy to keep the
# original `Host` (and sign for the endpoint the client really uses).

# %%
assert send("PUT", upload_url, data=BODY).status == 200

# %% [markdown]
# ## A wrong secret key
#
# The signer has the right access key id but the wrong secret, for instance an old
# secret left in an environment file after the key was rotated. Nothing in the URL shows
# it.

# %%
stale_signer = lab.client(
    "s3",
    aws_access_key_id=ACCESS_KEY_ID,
    aws_session_token=TOKEN,
    aws_secret_access_key="a-rotated-secret-that-no-longer-matches",
)
stale_url = stale_signer.generate_presigned_url(
    "put_object",
    Params={"Bucket": bucket, "Key": "notes/hello.txt"},
    ExpiresIn=600,
)
response = attempt("PUT", stale_url)

# %% [markdown]
# The canonical request S3 computed is exactly the one that was signed: the request is
# fine, the key is not.

# %%
comparison = compare_canonical_requests(
    expected_canonical_request(stale_url, "PUT"),
    response.error.canonical_request,
)
assert comparison.matches
comparison

# %% [markdown]
# Given the secret key that belongs to the access key id, the diagnosis recomputes the
# signature and tries changes to the request (and pairs of them); none reproduces the
# URL's signature. It cannot prove which secret signed the URL, so it only *suspects* a
# wrong secret, ranks that after every request-side explanation, and says what it could
# not check: a diagnosis is `confirmed` only when it reproduces the cause.

# %%
result = top_finding("Wrong secret key", stale_url, "PUT", {}, response)
assert response.code == "SignatureDoesNotMatch" and result.codes == ["wrong-secret-key"]
assert result.findings[0].to_dict()["confidence"] == "suspected"

# %% [markdown]
# The fix: presign with the current credentials.

# %%
assert send("PUT", upload_url, data=BODY).status == 200

# %% [markdown]
# ## A wrong region
#
# The credential scope in `X-Amz-Credential` names a region, and the signing key is
# derived from it. A client configured for `us-east-1` presigning for a bucket in
# `eu-west-1` signs the wrong scope. Amazon S3 checks the region before the signature, so
# the answer is not `SignatureDoesNotMatch` but `AuthorizationQueryParametersError`, with
# the bucket's region in `<Region>`; there is no canonical request to compare.

# %%
eu_url = lab.s3.generate_presigned_url(
    "put_object",
    Params={"Bucket": eu_bucket, "Key": "notes/hello.txt"},
    ExpiresIn=600,
)
print("signed for:", parse_presigned_url(eu_url).region)
response = attempt("PUT", eu_url)

# %%
result = top_finding("Wrong region", eu_url, "PUT", {}, response)
assert response.code == "AuthorizationQueryParametersError"
assert response.error.get("Region") == "eu-west-1" and result.codes[0] == "region-mismatch"

# %% [markdown]
# The fix: presign with a client for the bucket's region.

# %%
eu_client = lab.client("s3", region_name="eu-west-1")
eu_fixed_url = eu_client.generate_presigned_url(
    "put_object",
    Params={"Bucket": eu_bucket, "Key": "notes/hello.txt"},
    ExpiresIn=600,
)
assert send("PUT", eu_fixed_url, data=BODY).status == 200
parse_presigned_url(eu_fixed_url).region

# %% [markdown]
# ### On Amazon S3: the host matters too
#
# Locally every bucket lives behind one endpoint. On Amazon S3 the URL's host must also
# serve the bucket, and `region_name` alone does not choose the host. Asked offline (no
# request is sent; AWS's example keys), boto3 1.44 gives these URLs for a bucket in
# `eu-west-1`:

# %%
offline = boto3.session.Session(
    aws_access_key_id=EXAMPLE_ACCESS_KEY_ID, aws_secret_access_key=EXAMPLE_SECRET_ACCESS_KEY
)
SETTINGS = {
    "region_name only": {},
    "+ addressing_style virtual": {"config": Config(s3={"addressing_style": "virtual"})},
    "+ endpoint_url regional": {"endpoint_url": "https://s3.eu-west-1.amazonaws.com"},
}
for label, extra in SETTINGS.items():
    client = offline.client("s3", region_name="eu-west-1", **extra)
    made = client.generate_presigned_url(
        "put_object", Params={"Bucket": "examplebucket", "Key": "a.txt"}
    )
    print(f"{label:27} {made.split('?')[0]}")

# %% [markdown]
# With `region_name` only, the URL names the **global** host `examplebucket.s3.amazonaws.com`
# (signed for `eu-west-1`). Amazon S3 routes that name to the bucket's region by DNS, but
# for a bucket created in the last hours (up to 24) the global endpoint answers
# `307 TemporaryRedirect` with the regional `<Endpoint>`; a request sent to another
# region's endpoint gets `301 PermanentRedirect`; and for a bucket in a region launched
# after March 20, 2019, the wrong endpoint answers `400 IllegalLocationConstraintException`
# instead of redirecting. A script's `PUT` might follow a 307, but a browser does not follow
# a redirect of a CORS preflight: the `OPTIONS` request must be answered with a 2xx status,
# so the page sees only a "CORS error". (The SigV2 default of `us-east-1` and other
# regions is the other reason to set `signature_version`; see
# [01-anatomy-of-a-presigned-url](01-anatomy-of-a-presigned-url.ipynb#boto3-and-the-SigV2-default).)
#
# The local S3 never redirects, so here is the 307 body as Amazon S3 writes it
# (synthetic: the wording, order and elements come from a body quoted in
# cperciva/bsdec2-image-upload#11; bucket and endpoint are this example's). The diagnosis
# names the endpoint and the fix:

# %%
REDIRECT_307 = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>TemporaryRedirect</Code>'
    "<Message>Please re-send this request to the specified temporary endpoint. Continue to "
    "use the original request endpoint for future requests.</Message>"
    "<Endpoint>examplebucket.s3.eu-west-1.amazonaws.com</Endpoint><Bucket>examplebucket</Bucket>"
    "<RequestId>6A2B8C4D0E1F3A5B</RequestId>"
    "<HostId>mFq0Ydh1K9mQ2cJx7Vt4Zr8Wn3Lp6Ea5Sb0Gu2Ho9Ik=</HostId></Error>"
)
global_url = offline.client("s3", region_name="eu-west-1").generate_presigned_url(
    "put_object", Params={"Bucket": "examplebucket", "Key": "a.txt"}
)
redirected = diagnose(global_url, "PUT", error_xml=REDIRECT_307, now=NOW)
assert redirected.codes[0] == "wrong-endpoint"
print(redirected.findings[0].message)
print("fix:", redirected.findings[0].fix)

# %% [markdown]
# So on Amazon S3 the complete fix is a client that names both the region and the regional
# host: `boto3.client("s3", region_name=REGION, config=Config(signature_version="s3v4",
# s3={"addressing_style": "virtual"}))` presigns `https://BUCKET.s3.REGION.amazonaws.com/...`
# (for `us-east-1` that is the global host, which is us-east-1's own endpoint), and
# `endpoint_url="https://s3.REGION.amazonaws.com"` gives the regional host path-style.

# %% [markdown]
# ## SigV2 instead of SigV4
#
# Clients configured with `signature_version="s3"`, and boto3 by default in `us-east-1`
# and seven other regions launched before 2014 (the rule, with its sources, is in
# [01-anatomy-of-a-presigned-url](01-anatomy-of-a-presigned-url.ipynb#boto3-and-the-SigV2-default)),
# presign with Signature Version 2: `AWSAccessKeyId`, `Expires` and `Signature` instead
# of the `X-Amz-*` parameters. SigV2 has no canonical request; it signs a short string
# with the method, `Content-MD5`, `Content-Type`, the expiry, the `x-amz-*` headers and
# the path. With a wrong `Content-Type`, S3's error body therefore carries only the
# `StringToSign`.

# %%
legacy = lab.client("s3", config=Config(signature_version="s3"))
v2_url = legacy.generate_presigned_url(
    "put_object",
    Params={"Bucket": bucket, "Key": "legacy/cat.png", "ContentType": "image/png"},
    ExpiresIn=600,
)
text_plain = {"Content-Type": "text/plain"}
response = attempt("PUT", v2_url, text_plain)

# %% [markdown]
# The SigV2 counterpart of the comparison puts the string the signer signed next to S3's:

# %%
v2 = parse_presigned_url(v2_url)
signed_v2 = sigv2_string_to_sign(
    SentRequest.to_url(v2_url, "PUT", {"Content-Type": "image/png"}),
    v2.path,
    v2.param("Expires"),
)
compare_sigv2_strings_to_sign(signed_v2, response.error.string_to_sign)

# %% [markdown]
# The diagnosis names the header, and adds a second finding: the URL is SigV2 at all.

# %%
result = top_finding("SigV2 URL, Content-Type differs", v2_url, "PUT", text_plain, response)
assert response.code == "SignatureDoesNotMatch"
assert result.codes == ["signed-header-value-mismatch", "sigv2-url"]

# %% [markdown]
# Sending `image/png` makes the SigV2 URL work, but the real fix is SigV4. Regions
# launched after January 2014 answer any SigV2 request `400 InvalidRequest` "The
# authorization mechanism you have provided is not supported. Please use
# AWS4-HMAC-SHA256."; AWS announced that buckets created after 2020-06-24 would refuse it
# everywhere (new `us-east-1` buckets still accepted it in recordings from 2026); and it
# leaves many of the parameters given to the presigner unsigned. The diagnosis flags a SigV2 URL even when the request is right.

# %%
assert send("PUT", v2_url, headers={"Content-Type": "image/png"}, data=BODY).status == 200
diagnose(v2_url, "PUT", {"Content-Type": "image/png"}, secret_key=SECRET_KEY, now=NOW).codes

# %%
v4_url = lab.s3.generate_presigned_url(
    "put_object",
    Params={"Bucket": bucket, "Key": "legacy/cat.png", "ContentType": "image/png"},
    ExpiresIn=600,
)
assert send("PUT", v4_url, headers={"Content-Type": "image/png"}, data=BODY).status == 200
diagnose(v4_url, "PUT", {"Content-Type": "image/png"}, secret_key=SECRET_KEY, now=NOW).verdict

# %% [markdown]
# ## All the breaks at a glance
#
# Each of the ten breaks above was sent to the strict local S3 (the query edit twice), and
# its diagnosis recorded, one row per break:

# %%
rows = "".join(
    f"<tr><td style='text-align:left'>{name}</td><td style='text-align:left'>{answer}</td>"
    f"<td style='text-align:left'><code>{code}</code></td></tr>"
    for name, (answer, code) in RESULTS.items()
)
HTML(
    "<table><thead><tr><th>break</th><th>S3 answered</th><th>top finding</th></tr></thead>"
    f"<tbody>{rows}</tbody></table>"
)

# %%
assert len(RESULTS) == 10
assert [code for _, code in RESULTS.values()] == [
    "signed-header-value-mismatch",
    "method-mismatch",
    "signed-header-missing",
    "unsigned-amz-header",
    "query-tampered",
    "path-mismatch",
    "host-mismatch",
    "wrong-secret-key",
    "region-mismatch",
    "signed-header-value-mismatch",
]

# %% [markdown]
# ## Summary
#
# - Amazon S3 rebuilds the canonical request from the request it receives. Any difference
#   from what the signer signed (method, path, query, a signed header's value, the host)
#   gives `SignatureDoesNotMatch`, and S3's error body shows its `CanonicalRequest`:
#   compare it with the signed one and the differing line is the cause.
# - The values of signed headers are not in the URL. The uploader must send each one
#   exactly; the signer should return them together with the URL.
# - Two failures that look like signature problems are checked earlier and answered
#   differently: an unsigned `x-amz-*` header (`AccessDenied`, `HeadersNotSigned`) and a
#   wrong region (`AuthorizationQueryParametersError`, `<Region>`).
# - When the request matches the URL and no change to it reproduces the signature, the
#   secret key is suspected; with the right secret the diagnosis tells these cases apart,
#   and it confirms only what it reproduces.
# - Use the URL exactly as returned, sign for the endpoint and region the client uses,
#   and presign with SigV4.
#
# ## What's next
#
# [07-access-denied](07-access-denied.ipynb) covers the failures where the signature is
# fine but the request is still refused: expired URLs, temporary credentials, missing
# permissions, bucket policies and ACLs.

# %% [markdown]
# ## References
#
# - Amazon S3 API Reference, [Authenticating Requests: Using Query Parameters (AWS Signature Version 4)](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)
# - Amazon S3 API Reference, [Signature Calculations for the Authorization Header](https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html)
# - Amazon S3 API Reference, [Error responses](https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html)
# - Amazon S3 API Reference, [Signing and authenticating REST requests (AWS signature version 2)](https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html)
# - Boto3 documentation, [Presigned URLs](https://boto3.amazonaws.com/v1/documentation/api/latest/guide/s3-presigned-urls.html)
# - Amazon S3 API Reference, [Request routing](https://docs.aws.amazon.com/AmazonS3/latest/API/UsingRouting.html) (temporary 307 and permanent 301 redirects; HTTP 400 in regions launched after March 20, 2019)
# - AWS Knowledge Center, [Why do I get a 307 Temporary Redirect response from Amazon S3?](https://repost.aws/knowledge-center/s3-http-307-response) (up to 24 hours after the bucket is created)
# - WHATWG Fetch Standard, [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch) (a preflight answered with anything but an ok status, 200 to 299, is a network error)
# - AWS re:Post announcement, [AWS Signature Version 4 to replace AWS Signature Version 2 for signing S3 API requests](https://repost.aws/questions/QU5OKPZ-HnS1SHXX6dUbGi2w)
# - The kit's rules from recorded AWS answers, [docs/aws-behaviour.md](../docs/aws-behaviour.md): ADDR-06 (a raw `+` is a space; sources [aws/aws-sdk-ruby#654](https://github.com/aws/aws-sdk-ruby/issues/654), [anomalizer/ngx_aws_auth#87](https://github.com/anomalizer/ngx_aws_auth/issues/87)), AUTH-V2-01 and AUTH-V2-05 (SigV2 today)
# - The 307 body's wording: [cperciva/bsdec2-image-upload#11](https://github.com/cperciva/bsdec2-image-upload/issues/11)

# %% [markdown]
# The last cell deletes what this notebook created (the objects and both buckets).

# %%
lab.cleanup()
