"""Write the notebooks 00-02 from the cell lists below, then execute them in place.

Each notebook is a list of ``(kind, text, tags)`` cells. Cell ids are derived from the
notebook name and the cell position, so rebuilding gives the same file.

Usage (from the repository root)::

    .venv/bin/python tools/build_notebooks.py            # write and execute all three
    .venv/bin/python tools/build_notebooks.py 01         # only notebooks whose name starts with 01
    .venv/bin/python tools/build_notebooks.py --no-run   # write only, keep them unexecuted
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
JUPYTER = ROOT / ".venv" / "bin" / "jupyter"

Cell = tuple[str, str, tuple[str, ...]]


def md(text: str) -> Cell:
    return ("markdown", dedent(text).strip("\n"), ())


def code(text: str, *tags: str) -> Cell:
    return ("code", dedent(text).strip("\n"), tuple(tags))


REFERENCES = {
    "presigned": "- Amazon S3 User Guide, [Download and upload objects with presigned URLs]"
    "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html)",
    "upload": "- Amazon S3 User Guide, [Uploading objects with presigned URLs]"
    "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html)",
    "query-auth": "- Amazon S3 API Reference, [Authenticating Requests: Using Query Parameters "
    "(AWS Signature Version 4)](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)",
    "header-auth": "- Amazon S3 API Reference, [Signature Calculations for the Authorization Header]"
    "(https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html)",
    "sigv4": "- Amazon S3 API Reference, [Authenticating Requests (AWS Signature Version 4)]"
    "(https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html)",
    "iam-sigv4": "- IAM User Guide, [Create a signed AWS API request]"
    "(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html)",
    "sigv2": "- Amazon S3 API Reference, [Signing and authenticating REST requests (AWS signature "
    "version 2)](https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html)",
    "errors": "- Amazon S3 API Reference, [Error responses]"
    "(https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html)",
    "vhost": "- Amazon S3 User Guide, [Virtual hosting of general purpose buckets]"
    "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html)",
    "cors": "- Amazon S3 User Guide, [Using cross-origin resource sharing (CORS)]"
    "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html)",
    "conditional": "- Amazon S3 User Guide, [Add preconditions to S3 operations with conditional requests]"
    "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-requests.html)",
    "boto3": "- Boto3 documentation, [Presigned URLs]"
    "(https://boto3.amazonaws.com/v1/documentation/api/latest/guide/s3-presigned-urls.html)",
    "botocore-auth": "- botocore source, [`botocore/auth.py`]"
    "(https://github.com/boto/botocore/blob/develop/botocore/auth.py) (`S3SigV4QueryAuth`, "
    "`HmacV1QueryAuth`)",
}


def references(*names: str) -> Cell:
    return md("## References\n\n" + "\n".join(REFERENCES[n] for n in names))


# ---------------------------------------------------------------------------------------------
# 00-overview
# ---------------------------------------------------------------------------------------------

OVERVIEW: list[Cell] = [
    md("""
    # Presigned uploads to Amazon S3: the map

    A presigned URL lets someone without AWS credentials upload one object to a private
    Amazon S3 bucket, for a limited time. This kit teaches how such a URL is built, how
    Amazon S3 checks it, and how to find out why yours fails. This first notebook draws the
    whole system once, corrects three beliefs that send people down the wrong path, and
    lists what each later notebook covers.

    ## Overview

    1. The system: a private bucket, a signing function and a browser
    2. One upload, step by step
    3. Three misconceptions, corrected
    4. The notebooks in this kit
    """),
    md("""
    ## Prerequisites

    | Concept | Importance | Notes |
    |---|---|---|
    | Python basics | Necessary | Functions, strings, `assert` |
    | HTTP requests | Helpful | Methods (`GET`, `PUT`), headers, query strings |
    | An AWS account | Not needed | Everything here runs offline: presigning is local computation |

    - **Previous notebook:** none, start here.
    - **Time to learn:** 10 minutes.
    """),
    md("""
    ## Imports

    Everything comes from the kit's installed package `presignlab`. The module
    `presignlab.examples` holds the example credentials that the AWS documentation uses (they
    open nothing on real AWS), so no secret is ever written in a notebook.
    """),
    code("""
    import base64
    from urllib.parse import quote

    from presignlab import SentRequest, parse_presigned_url, presign_v2, presign_v4
    from presignlab import sigv4_canonical_request
    from presignlab.examples import EXAMPLE_ACCESS_KEY_ID, EXAMPLE_DATE, EXAMPLE_SECRET_ACCESS_KEY
    """),
    md("""
    The one set-up cell fixes the inputs: the example key pair, a bucket in `us-east-1`, and
    the instant of AWS's published signing example (2013-05-24 00:00 UTC). A fixed instant
    makes every URL below, and every output, identical from run to run.
    """),
    code("""
    SIGNER = dict(access_key=EXAMPLE_ACCESS_KEY_ID, secret_key=EXAMPLE_SECRET_ACCESS_KEY)
    OBJECT_URL = "https://examplebucket.s3.amazonaws.com/uploads/photo.jpg"
    NOW = EXAMPLE_DATE
    NOW
    """),
    md("""
    ## The system: a private bucket, a signing function and a browser

    The design this kit grew from has three parts.

    - **A private bucket.** Block Public Access stays on and nobody can write to the bucket
      anonymously. A CORS rule on the bucket lets the web page's origin send `PUT` requests to
      it from JavaScript.
    - **A signing function.** An AWS Lambda function behind Amazon API Gateway. It runs with an
      IAM role that may call `s3:PutObject` on the bucket. When the page asks for an upload
      URL, sending a file name and a content type, it signs a `PUT` request for one object
      key and returns the URL. Signing is a few HMAC computations on the function's
      own credentials: the function never contacts Amazon S3 to do it.
    - **A browser.** The page sends the file's bytes straight to Amazon S3 with that URL. The
      file never passes through Lambda or API Gateway (whose request-size limits would
      otherwise apply), and the browser never sees an AWS credential.

    Amazon S3 accepts the `PUT` because the URL carries a signature made with the signer's
    credentials: the upload runs with the signer's permissions, for as long as the URL is
    valid.
    """),
    md("""
    ## One upload, step by step

    The diagram shows one upload. JupyterLab 4 draws it from the `mermaid` block in this cell.

    ```mermaid
    sequenceDiagram
        autonumber
        participant B as Browser
        participant G as API Gateway
        participant L as Lambda (signing function)
        participant S as Amazon S3 (private bucket)
        B->>G: GET /presign?filekey=photo.jpg&contentType=image/jpeg
        G->>L: proxy event
        L->>L: sign PUT /uploads/photo.jpg<br/>(SigV4, HMAC-SHA256, no call to S3)
        L-->>G: 200, JSON with signed_url
        G-->>B: the presigned URL
        B->>S: OPTIONS preflight (Origin, Access-Control-Request-Method: PUT)
        S-->>B: 200 with Access-Control-Allow-* (from the bucket's CORS rule)
        B->>S: PUT presigned URL, Content-Type: image/jpeg, body = the file
        Note over S: check the parameters and the expiry,<br/>recompute the canonical request and<br/>compare signatures, then check<br/>the signer's permissions
        S-->>B: 200 OK, ETag
    ```

    Step 3 is all the signing function does. Here is the same step with the kit's
    `presign_v4`: a `PUT` for `uploads/photo.jpg` that must carry `Content-Type: image/jpeg`,
    valid for 600 seconds.
    """),
    code("""
    url = presign_v4("PUT", OBJECT_URL, region="us-east-1", now=NOW, expires=600,
                     headers={"Content-Type": "image/jpeg"}, **SIGNER)
    print(url)
    """),
    md("""
    The URL names the algorithm, the signer's access key id and scope, the signing instant,
    the lifetime, the headers that were signed and the signature. Notebook 01 takes it apart
    parameter by parameter.
    """),
    md("""
    ## Three misconceptions, corrected

    Each belief below is common in questions about failing uploads, and each is wrong. The
    evidence here is computed offline; later notebooks demonstrate each one against the kit's
    strict local S3, which answers exactly as Amazon S3 does.

    ### "A presigned URL can be used only once"

    It can be used any number of times. The Amazon S3 User Guide says: *"You can use the
    presigned URL multiple times, up to the expiration date and time."* A second `PUT` with
    the same URL replaces the object the first one wrote.

    The reason is visible in the URL itself: it carries no nonce and no use counter, only the
    request, the time window and the signature. The parser lists every query parameter:
    """),
    code("""
    parsed = parse_presigned_url(url)
    [name for name, _ in parsed.query]
    """),
    md("""
    Signing the same request at the same instant gives the very same URL, byte for byte.
    Amazon S3 checks a URL by recomputing its signature, and nothing in that computation
    changes after the first upload.
    """),
    code("""
    again = presign_v4("PUT", OBJECT_URL, region="us-east-1", now=NOW, expires=600,
                       headers={"Content-Type": "image/jpeg"}, **SIGNER)
    assert again == url
    print("valid from", parsed.signed_at, "until", parsed.expires_at)
    """),
    md("""
    Until `expires_at`, anyone holding the URL can upload as often as they like. Notebook 09
    (coming) proves it against the local S3 and shows how to make uploads effectively single-use with
    a signed `If-None-Match: *` header, short lifetimes and server-chosen keys.

    ### "The signature is base64"

    A Signature Version 4 (SigV4) signature is the HMAC-SHA256 of a text, written as 64
    lower-case hexadecimal digits: 32 bytes, two digits per byte.
    """),
    code("""
    sig = parsed.signature
    print(len(sig), set(sig) <= set("0123456789abcdef"), len(bytes.fromhex(sig)), "bytes")
    """),
    md("""
    Base64 belongs to the legacy Signature Version 2 (SigV2): 28 characters encoding the 20
    bytes of an HMAC-SHA1. The kit's `presign_v2` makes one for comparison.
    """),
    code("""
    v2 = parse_presigned_url(presign_v2("PUT", OBJECT_URL, expires_at=NOW, **SIGNER))
    print(v2.version, v2.signature, len(v2.signature), len(base64.b64decode(v2.signature)), "bytes")
    """),
    md("""
    Writing the SigV4 digest in base64, as some hand-written signers do, gives a 44-character
    value that can never match. The parser refuses it with a message that says so.
    """),
    code("""
    as_base64 = base64.b64encode(bytes.fromhex(sig)).decode()
    parse_presigned_url(url.replace(sig, quote(as_base64, safe="")))
    """, "raises-exception"),
    md("""
    ### "Amazon S3 does not say what it expected"

    It does. When a SigV4 presigned request fails with `SignatureDoesNotMatch`, the error
    body carries the string to sign and the canonical request that Amazon S3 computed from the
    request it received, plus both as hex bytes. Comparing them with what the signer computed
    shows which part differs. This is the shape of such a body (from recorded AWS responses;
    the `&` in the canonical request is escaped as `&amp;`, newlines are literal, and the
    `…` stand for shortened values):

    ```xml
    <?xml version="1.0" encoding="UTF-8"?>
    <Error>
      <Code>SignatureDoesNotMatch</Code>
      <Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>
      <AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId>
      <StringToSign>AWS4-HMAC-SHA256
    20130524T000000Z
    20130524/us-east-1/s3/aws4_request
    …64 hex digits: SHA-256 of the canonical request below…</StringToSign>
      <SignatureProvided>…the X-Amz-Signature of the URL…</SignatureProvided>
      <StringToSignBytes>41 57 53 34 2d 48 4d 41 43 2d 53 48 41 32 35 36 0a …</StringToSignBytes>
      <CanonicalRequest>PUT
    /uploads/photo.jpg
    X-Amz-Algorithm=AWS4-HMAC-SHA256&amp;X-Amz-Credential=…&amp;X-Amz-Date=20130524T000000Z&amp;X-Amz-Expires=600&amp;X-Amz-SignedHeaders=content-type%3Bhost
    content-type:text/plain
    host:examplebucket.s3.amazonaws.com

    content-type;host
    UNSIGNED-PAYLOAD</CanonicalRequest>
      <CanonicalRequestBytes>50 55 54 0a 2f 75 70 6c 6f 61 64 73 …</CanonicalRequestBytes>
      <RequestId>…</RequestId>
      <HostId>…</HostId>
    </Error>
    ```

    SigV2 errors carry the string to sign but no canonical request, and neither do the errors
    of presigned POST forms.

    The `CanonicalRequest` above has `content-type:text/plain`, yet the URL was signed for
    `image/jpeg`. The kit computes the same text S3 does, from the request as S3 receives it:
    """),
    code("""
    sent = SentRequest.to_url(url, "PUT", {"Content-Type": "text/plain"})
    print(sigv4_canonical_request(sent, parsed.signed_headers))
    """),
    md("""
    Its fourth line is the culprit: the browser sent a different `Content-Type` from the one
    that was signed. Notebook 06 (coming) breaks requests in ten ways against the local S3
    and reads each error body; notebook 08 does the same with a URL and an error body of
    your own.
    """),
    md("""
    ## The notebooks in this kit

    | Notebook | Question it answers | Status |
    |---|---|---|
    | 00-overview (this one) | What are the parts, and which beliefs mislead? | here |
    | [01-anatomy-of-a-presigned-url](01-anatomy-of-a-presigned-url.ipynb) | What does each query parameter mean, and which headers must the uploader send? | ready |
    | [02-signing-by-hand](02-signing-by-hand.ipynb) | How is the signature computed, step by step? | ready |
    | 03-bucket-setup | How are the bucket, its CORS rule and the signer's permissions set up? | coming |
    | 04-the-signing-service | What does a safe signing function look like? | coming |
    | 05-uploading | How does a client send exactly the signed request? | coming |
    | 06-signature-does-not-match | Why does S3 answer `SignatureDoesNotMatch`, case by case? | coming |
    | 07-access-denied | Why does S3 answer `AccessDenied`: expiry, permissions, policies? | coming |
    | 08-debugging-your-own-url | What is wrong with the URL in front of me? | coming |
    | 09-hardening-uploads | How do I limit reuse, content type, size and key? | coming |
    | 10-cors-and-the-browser | Why does the browser report a CORS error? | coming |
    """),
    md("""
    ## Summary

    - The browser uploads straight to a private bucket with a URL that a signing function
      (Lambda behind API Gateway) computed locally from its own credentials.
    - A presigned URL can be used any number of times until it expires: it has no nonce.
    - A SigV4 signature is 64 hex digits of HMAC-SHA256; base64 is the legacy SigV2 format.
    - A `SignatureDoesNotMatch` body includes the canonical request S3 computed: read it.

    ## What's next

    [01-anatomy-of-a-presigned-url](01-anatomy-of-a-presigned-url.ipynb) explains every
    query parameter of the URL above and the headers its uploader must send.
    """),
    references("presigned", "upload", "query-auth", "errors", "cors", "sigv2"),
]


# ---------------------------------------------------------------------------------------------
# 01-anatomy-of-a-presigned-url
# ---------------------------------------------------------------------------------------------

ANATOMY: list[Cell] = [
    md("""
    # Anatomy of a presigned URL

    A presigned URL is an ordinary HTTPS URL whose query string carries a signature and
    everything Amazon S3 needs to check it. This notebook takes one apart, parameter by
    parameter, with the kit's parser, and shows what the URL does *not* contain: the values
    of the headers the uploader must send. It ends with a trap in boto3, which still signs
    with the legacy Signature Version 2 in some regions.

    ## Overview

    1. A URL to take apart
    2. Every query parameter
    3. The headers the uploader must send
    4. Path-style and virtual-hosted URLs
    5. boto3 and the SigV2 default
    6. What SigV2 leaves unsigned
    """),
    md("""
    ## Prerequisites

    | Concept | Importance | Notes |
    |---|---|---|
    | [00-overview](00-overview.ipynb) | Necessary | The system and the vocabulary |
    | URL structure | Helpful | Host, path, query string, percent-encoding |
    | boto3 | Helpful | `client.generate_presigned_url` |

    - **AWS account:** not needed. Presigning is local; nothing here touches the network.
    - **Time to learn:** 15 minutes.
    """),
    md("""
    ## Imports
    """),
    code("""
    from datetime import UTC, datetime

    import boto3
    from botocore.config import Config
    from IPython.display import Markdown

    from presignlab import SentRequest, parse_presigned_url, presign_v2, presign_v4
    from presignlab import sigv2_string_to_sign
    from presignlab.examples import EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY
    """),
    md("""
    The set-up cell fixes the signer (AWS's documented example key pair), the object and the
    signing instant, so every URL below is the same on every run.
    """),
    code("""
    SIGNER = dict(access_key=EXAMPLE_ACCESS_KEY_ID, secret_key=EXAMPLE_SECRET_ACCESS_KEY)
    BUCKET, KEY, REGION = "examplebucket", "uploads/photo.jpg", "eu-west-1"
    NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    """),
    md("""
    ## A URL to take apart

    The URL allows a `PUT` of `uploads/photo.jpg` into `examplebucket` in `eu-west-1`,
    for ten minutes. It is signed with two headers besides `Host`: a `Content-Type` and a piece
    of user metadata, as a signing service would sign them to pin down what gets stored.
    """),
    code("""
    url = presign_v4(
        "PUT", f"https://{BUCKET}.s3.{REGION}.amazonaws.com/{KEY}", region=REGION, now=NOW,
        expires=600, headers={"Content-Type": "image/jpeg", "x-amz-meta-uploaded-by": "alice"},
        **SIGNER,
    )
    print(url)
    """),
    md("""
    `parse_presigned_url` reads it into a typed object.
    """),
    code("""
    parsed = parse_presigned_url(url)
    parsed.version, parsed.bucket, parsed.key, parsed.region
    """),
    md("""
    Input that cannot be a presigned URL raises one exception type, `PresignedUrlError`,
    with a message that says what to do. A URL cut short while copying, for instance:
    """),
    code("""
    parse_presigned_url(url[:-10])
    """, "raises-exception"),
    md("""
    ## Every query parameter

    A SigV4 presigned URL carries six authentication parameters (seven with temporary
    credentials). The small function below renders them as a table with the decoded value
    and what Amazon S3 does with it.
    """),
    code('''
    MEANING = {
        "X-Amz-Algorithm": "The signing algorithm. Always `AWS4-HMAC-SHA256` for SigV4.",
        "X-Amz-Credential": "Access key id / date / region / service / `aws4_request`: who signed, "
                            "and the scope the signing key was derived for.",
        "X-Amz-Date": "When it was signed (UTC, `YYYYMMDDTHHMMSSZ`). The validity window starts here.",
        "X-Amz-Expires": "Seconds the URL stays valid after X-Amz-Date: 1 to 604800 (one week).",
        "X-Amz-Security-Token": "The session token, present only with temporary credentials.",
        "X-Amz-SignedHeaders": "Lower-case names of the headers that were signed; the request "
                               "must carry each of them with the signed value.",
        "X-Amz-Signature": "64 hex digits: HMAC-SHA256 of the string to sign. Not part of what is signed.",
    }


    def parameter_table(parsed):
        """A Markdown table: parameter, decoded value, meaning."""
        rows = ["| Parameter | Value | Meaning |", "|---|---|---|"]
        rows += [f"| `{n}` | `{v}` | {MEANING.get(n, 'Not an authentication parameter.')} |"
                 for n, v in parsed.query]
        return Markdown("\\n".join(rows))
    '''),
    code("""
    parameter_table(parsed)
    """),
    md("""
    The credential value is five fields joined by `/`. In the URL each `/` is written `%2F`,
    because every query value is percent-encoded, slash included. The parser splits it:
    """),
    code("""
    print(parsed.access_key_id, parsed.credential_date, parsed.region, parsed.service, sep=" | ")
    print("valid from", parsed.signed_at, "until", parsed.expires_at)
    """),
    md("""
    The URL holds no secret: the secret access key never appears in it. What it holds is
    power: whoever has the URL can send the signed request until `expires_at`.

    ## The headers the uploader must send

    `X-Amz-SignedHeaders` lists header *names* only. The values that were signed are not in
    the URL, so the uploader cannot learn them from it: the signing service must hand them
    over together with the URL. `required_headers` maps each signed header other than `Host`
    to the value the URL carries for it, `None` here: the URL does not carry them.
    """),
    code("""
    parsed.signed_headers
    """),
    code("""
    parsed.required_headers
    """),
    md("""
    Amazon S3 rebuilds the canonical request from the headers it receives. A client that
    leaves out `x-amz-meta-uploaded-by` or sends a different `Content-Type` produces a
    different canonical request, hence a different signature, and gets
    `SignatureDoesNotMatch`; notebook 06 shows that failure. An `x-amz-*` header that was
    *not* signed is refused too, with `AccessDenied` ("There were headers present in the
    request which were not signed").

    Some SDKs (the JavaScript v3 SDK, for one) also copy a signed header's value into the
    query string; the SDKs call this hoisting. Amazon S3 then takes the value from the query
    string and the header need not be sent. Here `x-amz-server-side-encryption` is signed
    and hoisted, so only `content-type` is left for the uploader to send:
    """),
    code("""
    hoisted = presign_v4(
        "PUT", f"https://{BUCKET}.s3.{REGION}.amazonaws.com/{KEY}?x-amz-server-side-encryption=AES256",
        region=REGION, now=NOW, expires=600, **SIGNER,
        headers={"Content-Type": "image/jpeg", "x-amz-server-side-encryption": "AES256"},
    )
    h = parse_presigned_url(hoisted)
    print(h.signed_headers)
    print(h.required_headers)
    """),
    md("""
    ## Path-style and virtual-hosted URLs

    Amazon S3 accepts two ways of naming the bucket. **Virtual-hosted** URLs put it in the
    host name (`examplebucket.s3.eu-west-1.amazonaws.com/uploads/photo.jpg`); **path-style**
    URLs put it as the first path segment (`s3.eu-west-1.amazonaws.com/examplebucket/...`).
    Local S3 servers, including the kit's, use path-style with a host and port.
    """),
    code("""
    STYLES = {
        "virtual-hosted": f"https://{BUCKET}.s3.{REGION}.amazonaws.com/{KEY}",
        "path-style": f"https://s3.{REGION}.amazonaws.com/{BUCKET}/{KEY}",
        "local, path-style": f"http://127.0.0.1:9000/{BUCKET}/{KEY}",
    }
    for style, base in STYLES.items():
        p = parse_presigned_url(presign_v4("PUT", base, region=REGION, now=NOW, **SIGNER))
        print(f"{style:18} addressing={p.addressing:7} host={p.host:36} bucket={p.bucket} path={p.path}")
    """),
    md("""
    Both the host and the path are signed: the host as the `host` header, the path as the
    canonical URI, which includes `/examplebucket` only in the path-style form. The same object
    therefore has different signatures in the two styles, and a URL cannot be switched from
    one style to the other, or sent through a proxy that rewrites the host or port, after it
    was signed.
    """),
    code("""
    signatures = {style: parse_presigned_url(presign_v4("PUT", base, region=REGION, now=NOW, **SIGNER)).signature
                  for style, base in STYLES.items()}
    assert len(set(signatures.values())) == 3
    """),
    md("""
    ## boto3 and the SigV2 default

    boto3 presigns Amazon S3 requests with the legacy SigV2 (`AWSAccessKeyId`, `Expires`,
    `Signature`) in the regions that still accept it, `us-east-1` among them, unless the
    client is created with `Config(signature_version="s3v4")`. Regions opened after
    January 30, 2014 accept only SigV4, and there boto3 uses it regardless. The cell below asks boto3 for a `put_object` URL in three regions,
    with and without that setting.

    No network is involved: `generate_presigned_url` only computes. To keep the output the
    same on every run it prints the version and the parameter names, not the URL (whose
    expiry depends on the current time). An `s3` section with `signature_version` in your
    AWS config file (`~/.aws/config`) would change what boto3 picks; the kit's CI has none.
    """),
    code("""
    session = boto3.session.Session(
        aws_access_key_id=EXAMPLE_ACCESS_KEY_ID, aws_secret_access_key=EXAMPLE_SECRET_ACCESS_KEY,
    )


    def boto3_presign(region, config=None, **params):
        client = session.client("s3", region_name=region, config=config)
        return client.generate_presigned_url(
            "put_object", Params={"Bucket": BUCKET, "Key": KEY, **params}, ExpiresIn=600,
        )
    """),
    code("""
    lines = []
    for region in ("us-east-1", "eu-west-1", "eu-central-1"):
        for config in (None, Config(signature_version="s3v4")):
            p = parse_presigned_url(boto3_presign(region, config))
            setting = "s3v4" if config else "default"
            lines.append(f"{region:12} {setting:7} -> {p.version}: {', '.join(n for n, _ in p.query)}")
    print("\\n".join(lines))
    """),
    md("""
    The version is chosen when the URL is made, silently: nothing warns that `us-east-1` got
    SigV2. Two consequences follow. A SigV2 URL has no `X-Amz-Expires`, so the one-week
    limit does not apply to it; and it signs far less of the request, as the next section
    shows. Always create the presigning client with `Config(signature_version="s3v4")` and
    the bucket's region.

    ## What SigV2 leaves unsigned

    The SigV2 string to sign has a fixed shape: the method, `Content-MD5`, `Content-Type`,
    the `Expires` instant, the `x-amz-*` headers and the resource `/bucket/key`. Any other
    header is outside the signature. boto3 shows it at once: asked to sign `IfNoneMatch="*"`
    (upload only if no object exists yet), the SigV4 URL lists `if-none-match` as a signed
    header, while the SigV2 URL drops it without a word.
    """),
    code("""
    params = dict(ContentType="image/jpeg", IfNoneMatch="*")
    sigv4_url = parse_presigned_url(boto3_presign("us-east-1", Config(signature_version="s3v4"), **params))
    sigv2_url = parse_presigned_url(boto3_presign("us-east-1", **params))
    print("SigV4 signed headers:", sigv4_url.signed_headers)
    print("SigV2 query names:   ", [n for n, _ in sigv2_url.query])
    """),
    md("""
    The SigV2 URL carries `content-type` in its query string, so the uploader must send that
    header with that value; `If-None-Match` is gone entirely.

    With the kit's `presign_v2` (which takes a fixed expiry instant) the string to sign can be
    printed. Two different requests to the same URL, one plain and one adding
    `If-None-Match: *`, `Content-Encoding: gzip` and a `Range`, give the same string to sign,
    so Amazon S3 accepts both with one signature.
    """),
    code("""
    v2 = presign_v2("PUT", f"https://s3.amazonaws.com/{BUCKET}/{KEY}", expires_at=NOW,
                    headers={"Content-Type": "image/jpeg"}, **SIGNER)
    plain = SentRequest.to_url(v2, "PUT", {"Content-Type": "image/jpeg"})
    print(sigv2_string_to_sign(plain, f"/{BUCKET}/{KEY}", "1714564800"))
    """),
    code("""
    extra = {"Content-Type": "image/jpeg", "If-None-Match": "*", "Content-Encoding": "gzip",
             "Range": "bytes=0-9"}
    changed = SentRequest.to_url(v2, "PUT", extra)
    assert sigv2_string_to_sign(changed, f"/{BUCKET}/{KEY}", "1714564800") == \\
        sigv2_string_to_sign(plain, f"/{BUCKET}/{KEY}", "1714564800")
    """),
    md("""
    Under SigV4, every header listed in `X-Amz-SignedHeaders` is part of the canonical
    request, so a signed `If-None-Match: *` must be sent exactly, and Amazon S3 refuses,
    with `412 PreconditionFailed`, to overwrite an existing object through such a URL.

    ## Summary

    - Six query parameters authenticate a SigV4 presigned URL: algorithm, credential (who
      and which scope), date, expiry, signed header names and the signature.
    - The URL names the signed headers but not their values: the signing service must give
      the uploader the exact headers to send (`required_headers`).
    - Host and path are signed, so path-style and virtual-hosted URLs of one object have
      different signatures and cannot be converted after signing.
    - boto3 silently presigns with SigV2 in `us-east-1` and other older regions unless
      `Config(signature_version="s3v4")` is set; SigV2 leaves conditional, encoding and range
      headers unsigned.

    ## What's next

    [02-signing-by-hand](02-signing-by-hand.ipynb) computes the signature of a presigned URL
    step by step and reproduces AWS's published example.
    """),
    references("query-auth", "presigned", "vhost", "sigv2", "boto3", "conditional"),
]


# ---------------------------------------------------------------------------------------------
# 02-signing-by-hand
# ---------------------------------------------------------------------------------------------

SIGNING: list[Cell] = [
    md("""
    # Signing a presigned URL by hand

    Amazon S3 accepts a presigned URL when the signature it computes from the request it
    receives equals the `X-Amz-Signature` in the URL. This notebook computes that signature
    in the four steps of Signature Version 4, one kit function per step, reproduces AWS's
    published example exactly, checks the same computation against botocore, and then shows
    how object keys with spaces, `+` and non-ASCII characters are encoded.

    ## Overview

    1. The example request
    2. Step 1: the canonical request
    3. Step 2: the string to sign
    4. Step 3: the signing key
    5. Step 4: the signature
    6. The same URL from botocore
    7. Keys with spaces, `+` and unicode
    """),
    md("""
    ## Prerequisites

    | Concept | Importance | Notes |
    |---|---|---|
    | [01-anatomy-of-a-presigned-url](01-anatomy-of-a-presigned-url.ipynb) | Necessary | The query parameters |
    | Hash functions and HMAC | Helpful | SHA-256, and HMAC as a keyed hash |

    - **AWS account:** not needed.
    - **Time to learn:** 20 minutes.
    """),
    md("""
    ## Imports
    """),
    code("""
    from datetime import datetime
    from unittest.mock import patch
    from urllib.parse import quote, urlsplit

    import boto3
    from botocore.config import Config

    from presignlab import (
        canonical_headers, canonical_query_string, canonical_request, canonical_uri,
        credential_scope, parse_presigned_url, payload_hash, presign_v4, signature,
        signed_headers, signing_key, string_to_sign,
    )
    from presignlab.examples import (
        EXAMPLE_ACCESS_KEY_ID, EXAMPLE_BUCKET, EXAMPLE_DATE, EXAMPLE_EXPIRES, EXAMPLE_KEY,
        EXAMPLE_REGION, EXAMPLE_SECRET_ACCESS_KEY,
    )
    """),
    md("""
    ## The example request

    The Amazon S3 API reference works one presigned URL through in full: a `GET` of
    `test.txt` in `examplebucket` (`us-east-1`), signed at 2013-05-24 00:00:00 UTC with the
    documented example key pair and valid for 86400 seconds (24 hours). Its inputs live in
    `presignlab.examples`; the published signature is written out here, because matching it
    is the test.
    """),
    code("""
    HOST = f"{EXAMPLE_BUCKET}.s3.amazonaws.com"
    AMZ_DATE = EXAMPLE_DATE.strftime("%Y%m%dT%H%M%SZ")
    PUBLISHED_SIGNATURE = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    print(HOST, EXAMPLE_KEY, AMZ_DATE, EXAMPLE_EXPIRES, EXAMPLE_REGION)
    """),
    md("""
    ## Step 1: the canonical request

    The canonical request is the request written in one fixed form, six lines: method,
    canonical URI, canonical query string, canonical headers, signed header names and the
    payload hash. Signer and Amazon S3 each build it; any difference changes the signature.

    The **canonical URI** is the path, each byte outside `A-Z a-z 0-9 - . _ ~` percent-encoded
    once with upper-case hex, slashes kept. Amazon S3 never normalises it (`//`, `.` and `..`
    stay as they are).
    """),
    code("""
    uri = canonical_uri("/" + EXAMPLE_KEY)
    uri
    """),
    md("""
    The **canonical query string** is every query parameter except `X-Amz-Signature`, names
    and values encoded (here `/` becomes `%2F`), sorted by encoded name in byte order, so
    upper-case `X-Amz-*` names come before lower-case ones. For a presigned URL these
    are the authentication parameters themselves, which is how the expiry and the list of
    signed headers get signed.
    """),
    code("""
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
    """),
    md("""
    The **canonical headers** are the signed headers, names in lower case, values trimmed
    and inner runs of spaces collapsed, one `name:value` line each, sorted. The example signs only `host`. **Signed headers**
    is the `;`-joined list of those names.
    """),
    code("""
    headers_block = canonical_headers({"Host": HOST}, ["host"])
    names = signed_headers(["host"])
    print(repr(headers_block), repr(names))
    """),
    md("""
    The **payload hash** of a presigned request is the literal `UNSIGNED-PAYLOAD`: the URL is
    made before the body exists, so the body is not signed.
    """),
    code("""
    payload_hash()
    """),
    md("""
    Joined with newlines, they form the canonical request. The blank line comes from the
    headers block, which ends with its own newline.
    """),
    code("""
    creq = canonical_request("GET", uri, query, headers_block, names, payload_hash())
    print(creq)
    """),
    md("""
    ## Step 2: the string to sign

    The string to sign has four lines: the algorithm, the signing instant, the credential
    scope, and the hex SHA-256 of the canonical request. Only the hash of the canonical
    request is signed, which is why Amazon S3 sends the whole canonical request back when the
    signatures differ: the hash alone would not say what differs.
    """),
    code("""
    sts = string_to_sign(AMZ_DATE, scope, creq)
    print(sts)
    """),
    md("""
    ## Step 3: the signing key

    The secret access key is not used directly. It seeds a chain of four HMAC-SHA256
    computations: `"AWS4" + secret` keys the date, the result keys the region, that keys the
    service, and that keys the constant `aws4_request`. The final 32 bytes are a key valid
    only for that day, region and service.

    The derived key is itself a credential (it signs anything in that scope for a whole
    day), so the notebook prints only its length.
    """),
    code("""
    key = signing_key(EXAMPLE_SECRET_ACCESS_KEY, AMZ_DATE, EXAMPLE_REGION, "s3")
    len(key)
    """),
    md("""
    ## Step 4: the signature

    The signature is the HMAC-SHA256 of the string to sign under the signing key, written as
    64 lower-case hex digits. It matches the value AWS published.
    """),
    code("""
    sig = signature(key, sts)
    assert sig == PUBLISHED_SIGNATURE
    sig
    """),
    md("""
    `presign_v4` performs the four steps in one call and appends the signature as the last
    query parameter, giving the complete URL of AWS's example.
    """),
    code("""
    url = presign_v4(
        "GET", f"https://{HOST}/{EXAMPLE_KEY}", access_key=EXAMPLE_ACCESS_KEY_ID,
        secret_key=EXAMPLE_SECRET_ACCESS_KEY, region=EXAMPLE_REGION, now=EXAMPLE_DATE,
        expires=EXAMPLE_EXPIRES,
    )
    assert url.endswith(f"&X-Amz-Signature={PUBLISHED_SIGNATURE}")
    print(url)
    """),
    md("""
    ## The same URL from botocore

    botocore, the engine under boto3, signs presigned Amazon S3 URLs in its class
    `S3SigV4QueryAuth`. It reads the time from `get_current_datetime` in its `botocore.auth`
    module, and it cannot be given an instant. To make it sign at 2013-05-24 00:00:00 UTC,
    the next cells replace that one function, only inside a `with` block, by one that returns
    the fixed instant (botocore expects a naive UTC `datetime`).

    botocore also writes its intermediate results to the debug log of that module. Replacing
    the module's `logger` with a mock, again only inside the `with` block, records them, so
    each step can be compared and not only the final signature.
    """),
    code("""
    FROZEN = patch("botocore.auth.get_current_datetime", return_value=datetime(2013, 5, 24))

    client = boto3.session.Session(
        aws_access_key_id=EXAMPLE_ACCESS_KEY_ID, aws_secret_access_key=EXAMPLE_SECRET_ACCESS_KEY,
    ).client("s3", region_name=EXAMPLE_REGION, config=Config(signature_version="s3v4"))
    """),
    code("""
    with FROZEN, patch("botocore.auth.logger") as log:
        botocore_url = client.generate_presigned_url(
            "get_object", Params={"Bucket": EXAMPLE_BUCKET, "Key": EXAMPLE_KEY},
            ExpiresIn=EXAMPLE_EXPIRES,
        )
    steps = {c.args[0].split(":")[0]: c.args[1] for c in log.debug.call_args_list if len(c.args) == 2}
    sorted(steps)
    """),
    md("""
    Each of botocore's steps equals the kit's, and so does the whole URL:
    """),
    code("""
    assert steps["CanonicalRequest"] == creq
    assert steps["StringToSign"] == sts
    assert steps["Signature"] == sig == PUBLISHED_SIGNATURE
    assert botocore_url == url
    """),
    md("""
    botocore produces the same URL character for character. The same holds for an upload
    URL that signs a `Content-Type`: botocore adds `content-type` to the signed headers, and
    so does `presign_v4` when given the header.
    """),
    code("""
    with FROZEN:
        botocore_put = client.generate_presigned_url(
            "put_object", ExpiresIn=600,
            Params={"Bucket": EXAMPLE_BUCKET, "Key": "uploads/photo.jpg", "ContentType": "image/jpeg"},
        )
    ours_put = presign_v4(
        "PUT", f"https://{HOST}/uploads/photo.jpg", access_key=EXAMPLE_ACCESS_KEY_ID,
        secret_key=EXAMPLE_SECRET_ACCESS_KEY, region=EXAMPLE_REGION, now=EXAMPLE_DATE,
        expires=600, headers={"Content-Type": "image/jpeg"},
    )
    assert ours_put == botocore_put
    print(parse_presigned_url(ours_put).signed_headers)
    """),
    md("""
    ## Keys with spaces, `+` and unicode

    Object keys may contain any UTF-8 text. The canonical URI encodes the key's UTF-8 bytes
    with the rule from step 1: a space is `%20` (never `+`), a literal `+` is `%2B`, `=` is
    `%3D`, and each byte of `é` or `☕` becomes its own `%XX`.
    """),
    code("""
    KEY = "photos/2024 holiday/me+you=café ☕.jpg"
    print(canonical_uri("/" + KEY))
    """),
    md("""
    Given the raw key, botocore produces the same URL as `presign_v4` again. The URL's path
    is the canonical URI itself.
    """),
    code("""
    with FROZEN:
        botocore_key = client.generate_presigned_url(
            "put_object", Params={"Bucket": EXAMPLE_BUCKET, "Key": KEY}, ExpiresIn=600,
        )
    ours_key = presign_v4(
        "PUT", f"https://{HOST}{canonical_uri('/' + KEY)}", access_key=EXAMPLE_ACCESS_KEY_ID,
        secret_key=EXAMPLE_SECRET_ACCESS_KEY, region=EXAMPLE_REGION, now=EXAMPLE_DATE, expires=600,
    )
    assert ours_key == botocore_key
    print(urlsplit(botocore_key).path)
    """),
    md("""
    Two mistakes break this. The first is encoding the key yourself before giving it to the
    SDK: the SDK encodes it again, `%20` becomes `%2520`, and the object would be stored
    under a key that literally contains `%20`.
    """),
    code("""
    with FROZEN:
        double = client.generate_presigned_url(
            "put_object", Params={"Bucket": EXAMPLE_BUCKET, "Key": quote(KEY)}, ExpiresIn=600,
        )
    print(urlsplit(double).path)
    print("key S3 would store:", parse_presigned_url(double).key)
    """),
    md("""
    The second is rebuilding the URL with form encoding, which writes a space as `+`. In a
    URL path `+` is a plus sign, so Amazon S3 decodes a different key, computes a different
    canonical URI, and the signature no longer matches.
    """),
    code("""
    as_sent = parse_presigned_url(ours_key.replace("%20", "+"))
    print(as_sent.key)
    assert canonical_uri(as_sent.path) != canonical_uri("/" + KEY)
    """),
    md("""
    ## Summary

    - SigV4 signs in four steps: canonical request, string to sign, signing key, signature.
      The kit has one function per part, and they reproduce AWS's published example exactly.
    - For presigned URLs the canonical query string contains the authentication parameters,
      the only signed header by default is `host`, and the payload is `UNSIGNED-PAYLOAD`.
    - botocore, with its clock frozen, produces the very same URLs.
    - Keys are encoded once, byte by byte, with `%20` for a space; pass the raw key to the
      SDK and never re-encode the URL it returns.

    ## What's next

    The next notebook, `03-bucket-setup` (coming), creates the bucket, its CORS rule and a
    least-privilege signer against the kit's strict local S3. Until then, return to
    [00-overview](00-overview.ipynb) for the map of the series.
    """),
    references("query-auth", "sigv4", "header-auth", "iam-sigv4", "botocore-auth"),
]


NOTEBOOK_CELLS: dict[str, list[Cell]] = {
    "00-overview": OVERVIEW,
    "01-anatomy-of-a-presigned-url": ANATOMY,
    "02-signing-by-hand": SIGNING,
}


def build(name: str, cells: list[Cell]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
    }
    for index, (kind, text, tags) in enumerate(cells):
        maker = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = maker(text)
        cell.id = f"{name[:2]}-{index:02d}"
        if tags:
            cell.metadata["tags"] = list(tags)
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def coalesce_streams(path: Path) -> None:
    """Merge consecutive stdout (or stderr) outputs of a cell, as nbval does before comparing.

    The kernel may split one ``print`` into several stream messages; merging them makes a
    rebuild byte-identical.
    """
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        merged: list[nbformat.NotebookNode] = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (output.output_type == "stream" and previous is not None
                    and previous.output_type == "stream" and previous.name == output.name):
                previous.text += output.text
            else:
                merged.append(output)
        if cell.cell_type == "code":
            cell.outputs = merged
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    run = "--no-run" not in argv
    prefixes = [a for a in argv if not a.startswith("--")]
    for name, cells in NOTEBOOK_CELLS.items():
        if prefixes and not any(name.startswith(p) for p in prefixes):
            continue
        path = NOTEBOOKS / f"{name}.ipynb"
        nbformat.write(build(name, cells), path)
        print("wrote", path.relative_to(ROOT))
        if run:
            subprocess.run(
                [str(JUPYTER), "nbconvert", "--to", "notebook", "--execute", "--inplace",
                 "--ExecutePreprocessor.kernel_name=python3",
                 "--ExecutePreprocessor.record_timing=False", str(path)],
                check=True, cwd=NOTEBOOKS,
            )
            coalesce_streams(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
