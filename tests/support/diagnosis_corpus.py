"""Failed uploads reconstructed from public bug reports, each with its established cause.

Every case rebuilds what the reporter had: a URL from the SDK they used (botocore's presigner
at a frozen instant, or ``presign_v4`` in the JS SDK v3 shape), the headers their client sent,
and the body S3 answered (quoted in the report, or computed the way S3 computes it for the
request that arrived). ``causes`` are the finding codes the report established; a diagnosis
must name one of them first and may confirm nothing else. Sources name the GitHub thread
(owner/repo#number) or page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from presignlab.diagnosis import diagnose
from presignlab.signing import sigv4
from presignlab.signing.sent_request import (
    SentRequest,
    sigv4_canonical_request,
    sigv4_string_to_sign,
)
from support.diagnosis import (
    ACCESS_KEY,
    SECRET_KEY,
    SIGNED_AT,
    SOON,
    error_xml,
    js_v3_url,
    sdk_url,
    signature_mismatch_body,
    v4,
)

__all__ = ["CASES", "Case"]

PAGE = "https://app.example.com"
SIG_MESSAGE = "The request signature we calculated does not match the signature you provided. Check your key and signing method."
CORS_NOT_ALLOWED = (
    "CORSResponse: This CORS request is not allowed. This is usually because the evalution of "
    "Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers "
    "are not whitelisted by the resource's CORS spec."
)
RULES = [
    {
        "AllowedOrigins": [PAGE],
        "AllowedMethods": ["PUT", "GET"],
        "AllowedHeaders": ["content-type"],
        "ExposeHeaders": ["ETag"],
    }
]


@dataclass(frozen=True)
class Case:
    """One reconstructed failure: the diagnose() arguments and the established cause(s)."""

    name: str
    source: str
    causes: frozenset[str]
    build: Callable[[], dict[str, Any]] = field(repr=False)
    also_confirmed: frozenset[str] = frozenset()  # facts of the URL that may be confirmed too


def s3_mismatch(url: str, method: str = "PUT", headers: dict[str, str] | None = None) -> str:
    """The SignatureDoesNotMatch body S3 returns for this request as it arrived."""
    seen = diagnose(url, method, headers or {}, now=SOON)
    return signature_mismatch_body(
        seen.canonical_request, seen.string_to_sign or "", seen.signature_provided or ""
    )


def unencoded_signer(path: str, encoded: str) -> str:
    """A hand-rolled signer that signs the path without URI-encoding it (the URL is encoded)."""
    base = v4(encoded).split("&X-Amz-Signature=")[0]
    request = SentRequest.to_url(base, "PUT")
    canonical = sigv4_canonical_request(request, ["host"]).split("\n")
    canonical[1] = path
    to_sign = sigv4_string_to_sign("\n".join(canonical), "20260301T120000Z", "us-east-1")
    key = sigv4.signing_key(SECRET_KEY, "20260301", "us-east-1")
    return f"{base}&X-Amz-Signature={sigv4.signature(key, to_sign)}"


CASES: list[Case] = []


def case(
    name: str, source: str, *causes: str, also: tuple[str, ...] = ()
) -> Callable[[Callable[[], dict[str, Any]]], None]:
    def register(build: Callable[[], dict[str, Any]]) -> None:
        CASES.append(Case(name, source, frozenset(causes), build, frozenset(also)))

    return register


JPEG, PNG = {"Content-Type": "image/jpeg"}, {"Content-Type": "image/png"}
FORM = {"Content-Type": "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW"}


@case(
    "FormData body instead of the file",
    "aws/aws-sdk-js#557; boto/boto3#3708",
    "signed-header-value-mismatch",
)
def _() -> dict[str, Any]:
    url = sdk_url(params={"ContentType": "image/jpeg"})
    return {
        "url": url,
        "headers": FORM,
        "secret_key": SECRET_KEY,
        "error_xml": s3_mismatch(url, headers=FORM),
        "now": SOON,
    }


@case(
    "axios sends form-urlencoded",
    "odysseyscience/react-s3-uploader#101",
    "signed-header-value-mismatch",
)
def _() -> dict[str, Any]:
    url = sdk_url(params={"ContentType": "image/png"})
    sent = {"Content-Type": "application/x-www-form-urlencoded"}
    return {"url": url, "headers": sent, "secret_key": SECRET_KEY, "now": SOON}


@case("browser adds ;charset=UTF-8", "aws/aws-sdk-js#444", "signed-header-value-mismatch")
def _() -> dict[str, Any]:
    url = sdk_url(params={"ContentType": "text/plain"})
    sent = {"Content-Type": "text/plain;charset=UTF-8"}
    return {
        "url": url,
        "headers": sent,
        "secret_key": SECRET_KEY,
        "error_xml": s3_mismatch(url, headers=sent),
        "now": SOON,
    }


@case(
    "SigV2 URL signed without a type, browser sends one",
    "boto/boto3#48",
    "signed-header-value-mismatch",
    also=("sigv2-url",),
)
def _() -> dict[str, Any]:
    url = sdk_url(config={"signature_version": "s3"})
    return {
        "url": url,
        "headers": PNG,
        "secret_key": SECRET_KEY,
        "error_xml": s3_mismatch(url, headers=PNG),
        "now": SOON,
    }


@case(
    "SigV2 content-type= edited in the URL",
    "issue 12 corpus; boto/botocore#3791",
    "query-tampered",
    "signed-header-value-mismatch",
    also=("sigv2-url",),
)
def _() -> dict[str, Any]:
    url = sdk_url(config={"signature_version": "s3"}, params={"ContentType": "image/jpeg"})
    edited = url.replace("content-type=image%2Fjpeg", "content-type=image%2Fpng")
    assert edited != url
    return {"url": edited, "headers": PNG, "secret_key": SECRET_KEY, "now": SOON}


@case("ACL signed but not sent", "boto/boto3#3335", "signed-header-missing")
def _() -> dict[str, Any]:
    url = sdk_url(params={"ACL": "public-read"})
    return {"url": url, "secret_key": SECRET_KEY, "error_xml": s3_mismatch(url), "now": SOON}


@case(
    "metadata signed but not sent", "minio/minio#11317; getmoto/moto#2854", "signed-header-missing"
)
def _() -> dict[str, Any]:
    url = sdk_url(params={"Metadata": {"test": "42"}})
    return {"url": url, "secret_key": SECRET_KEY, "error_xml": s3_mismatch(url), "now": SOON}


@case("Content-Disposition signed but not sent", "aws/aws-sdk-js-v3#6062", "signed-header-missing")
def _() -> dict[str, Any]:
    url = sdk_url(params={"ContentDisposition": 'attachment; filename="report.pdf"'})
    return {"url": url, "secret_key": SECRET_KEY, "now": SOON}


@case("x-amz-acl sent but not signed", "aws/aws-sdk-js#896", "unsigned-amz-header")
def _() -> dict[str, Any]:
    body = error_xml(
        "AccessDenied",
        "There were headers present in the request which were not signed",
        ("HeadersNotSigned", "x-amz-acl"),
    )
    return {
        "url": sdk_url(),
        "headers": {"x-amz-acl": "public-read"},
        "error_xml": body,
        "now": SOON,
    }


@case(
    "SSE header sent with another value",
    "jSherz blog: missing headers that need to be signed",
    "signed-header-value-mismatch",
)
def _() -> dict[str, Any]:
    url = sdk_url(params={"ServerSideEncryption": "AES256"})
    return {
        "url": url,
        "headers": {"x-amz-server-side-encryption": "aws:kms"},
        "secret_key": SECRET_KEY,
        "now": SOON,
    }


@case(
    "checksum algorithm header not signed",
    "aws/aws-sdk#338; aws/aws-sdk-js-v3#3906",
    "unsigned-amz-header",
)
def _() -> dict[str, Any]:
    body = error_xml(
        "AccessDenied",
        "There were headers present in the request which were not signed",
        ("HeadersNotSigned", "x-amz-sdk-checksum-algorithm"),
    )
    return {
        "url": sdk_url(),
        "headers": {"x-amz-sdk-checksum-algorithm": "SHA256"},
        "error_xml": body,
        "now": SOON,
    }


@case("preflight: bucket has no CORS configuration", "boto/boto3#1149", "cors-preflight-denied")
def _() -> dict[str, Any]:
    body = error_xml(
        "AccessForbidden",
        "CORSResponse: CORS is not enabled for this bucket.",
        ("Method", "PUT"),
        ("ResourceType", "BUCKET"),
    )
    asked = {
        "Origin": PAGE,
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-type",
    }
    return {
        "url": sdk_url(),
        "method": "OPTIONS",
        "headers": asked,
        "secret_key": SECRET_KEY,
        "error_xml": body,
        "now": SOON,
    }


@case(
    "preflight: page served from localhost",
    "eddturtle/direct-upload-s3-signaturev4#1",
    "cors-preflight-denied",
)
def _() -> dict[str, Any]:
    asked = {
        "Origin": "http://localhost:3000",
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-type",
    }
    body = error_xml(
        "AccessForbidden", CORS_NOT_ALLOWED, ("Method", "PUT"), ("ResourceType", "OBJECT")
    )
    return {
        "url": sdk_url(),
        "method": "OPTIONS",
        "headers": asked,
        "error_xml": body,
        "cors": RULES,
        "now": SOON,
    }


@case(
    "preflight: signed x-amz-acl not in AllowedHeaders",
    "aws/aws-sdk-js#191",
    "cors-preflight-denied",
)
def _() -> dict[str, Any]:
    asked = {
        "Origin": PAGE,
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-type,x-amz-acl",
    }
    return {
        "url": sdk_url(params={"ACL": "private"}),
        "method": "OPTIONS",
        "headers": asked,
        "cors": RULES,
        "now": SOON,
    }


@case("preflight: POST not in AllowedMethods", "TTLabs/EvaporateJS#7", "cors-preflight-denied")
def _() -> dict[str, Any]:
    asked = {"Origin": PAGE, "Access-Control-Request-Method": "POST"}
    body = error_xml(
        "AccessForbidden", CORS_NOT_ALLOWED, ("Method", "POST"), ("ResourceType", "OBJECT")
    )
    return {
        "url": sdk_url(),
        "method": "OPTIONS",
        "headers": asked,
        "cors": RULES,
        "error_xml": body,
        "now": SOON,
    }


@case(
    "global endpoint, new bucket: 307",
    "kislyuk/aegea#51; cperciva/bsdec2-image-upload#11",
    "wrong-endpoint",
)
def _() -> dict[str, Any]:
    body = error_xml(
        "TemporaryRedirect",
        "Please re-send this request to the specified temporary endpoint. Continue to use the original request endpoint for future requests.",
        ("Endpoint", "examplebucket.s3-us-west-2.amazonaws.com"),
        ("Bucket", "examplebucket"),
    )
    return {
        "url": sdk_url(region="us-west-2"),
        "headers": {},
        "secret_key": SECRET_KEY,
        "error_xml": body,
        "now": SOON,
    }


@case("global endpoint, opt-in region", "boto/boto3#2187", "wrong-endpoint")
def _() -> dict[str, Any]:
    body = error_xml(
        "IllegalLocationConstraintException",
        "The me-south-1 location constraint is incompatible for the region specific endpoint this request was sent to.",
    )
    return {"url": sdk_url(region="me-south-1"), "error_xml": body, "now": SOON}


@case(
    "bucket in another region: 301", "appoxy/aws#110; tpyo/amazon-s3-php-class#28", "wrong-endpoint"
)
def _() -> dict[str, Any]:
    body = error_xml(
        "PermanentRedirect",
        "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
        ("Bucket", "examplebucket"),
        ("Endpoint", "examplebucket.s3-ap-northeast-1.amazonaws.com"),
    )
    url = sdk_url(region="ap-southeast-1", config={"s3": {"addressing_style": "virtual"}})
    return {"url": url, "error_xml": body, "now": SOON}


@case(
    "client configured for the wrong region",
    "ai-dock/comfyui#34; aws/aws-cli#4338",
    "region-mismatch",
)
def _() -> dict[str, Any]:
    body = error_xml(
        "AuthorizationQueryParametersError",
        "Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong; expecting 'eu-central-1'",
        ("Region", "eu-central-1"),
    )
    return {"url": sdk_url(), "secret_key": SECRET_KEY, "error_xml": body, "now": SOON}


@case(
    "presigned POST form, wrong region",
    "issue 12 corpus; HHS/Head-Start-TTADP#370",
    "region-mismatch",
)
def _() -> dict[str, Any]:
    body = error_xml(
        "InvalidArgument",
        "Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong; expecting 'eu-west-2'",
        ("ArgumentName", "x-amz-credential"),
    )
    return {
        "url": "https://examplebucket.s3.amazonaws.com/",
        "method": "POST",
        "error_xml": body,
        "now": SOON,
    }


@case(
    "global-endpoint URL sent to the regional host",
    "issue 12 corpus; transloadit/uppy#713",
    "host-mismatch",
)
def _() -> dict[str, Any]:
    url = sdk_url(region="eu-west-2")  # boto3, region_name alone: the global host
    sent = url.replace("examplebucket.s3.amazonaws.com", "examplebucket.s3.eu-west-2.amazonaws.com")
    return {"url": sent, "secret_key": SECRET_KEY, "error_xml": s3_mismatch(sent), "now": SOON}


@case(
    "region replaced in the whole URL after signing",
    "issue 12 corpus (host plus region)",
    "region-mismatch",
)
def _() -> dict[str, Any]:
    url = sdk_url(region="us-west-2", config={"s3": {"addressing_style": "virtual"}}).replace(
        "us-west-2", "eu-west-1"
    )
    return {"url": url, "secret_key": SECRET_KEY, "now": SOON}


@case(
    "SigV2 URL in a SigV4-only region",
    "ravsau/aws-labs#4; cheynewallace/angular-s3-upload#3",
    "sigv4-required",
    also=("sigv2-url",),
)
def _() -> dict[str, Any]:
    body = error_xml(
        "InvalidRequest",
        "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
    )
    return {
        "url": sdk_url(config={"signature_version": "s3"}, region="eu-central-1"),
        "error_xml": body,
        "now": SOON,
    }


@case("SigV2 GET of an SSE-KMS object", "boto/boto3#2680", "sigv4-required", also=("sigv2-url",))
def _() -> dict[str, Any]:
    body = error_xml(
        "InvalidArgument",
        "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.",
        ("ArgumentName", "Authorization"),
    )
    return {
        "url": sdk_url("get_object", config={"signature_version": "s3"}),
        "method": "GET",
        "error_xml": body,
        "now": SOON,
    }


@case("URL used after it expired", "aws/aws-sdk-php#1333", "expired")
def _() -> dict[str, Any]:
    body = error_xml(
        "AccessDenied",
        "Request has expired",
        ("X-Amz-Expires", "300"),
        ("Expires", "2026-03-01T12:05:00Z"),
        ("ServerTime", "2026-03-01T12:40:11Z"),
    )
    return {"url": sdk_url(expires=300), "error_xml": body}


@case("session ended before the URL", "boto/boto3#2392; aws/aws-sdk-js#1099", "token-expired")
def _() -> dict[str, Any]:
    body = error_xml("ExpiredToken", "The provided token has expired.", ("Token-0", "REDACTED"))
    return {"url": v4(session_token="IQoJb3JpZ2luX2VjEXAMPLE"), "error_xml": body, "now": SOON}


@case("ExpiresIn over a week", "bryanjos/aws_auth#31; aws/aws-cli#5464", "expires-too-long")
def _() -> dict[str, Any]:
    body = error_xml(
        "AuthorizationQueryParametersError",
        "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds",
    )
    return {"url": v4(expires=1209600), "error_xml": body, "now": SOON}


@case("signer's clock ahead", "dmjio/s3-signer#16; minio/minio#2638", "not-yet-valid")
def _() -> dict[str, Any]:
    return {"url": sdk_url(), "now": SIGNED_AT - timedelta(hours=2)}


@case(
    "X-Amz-Expires edited to extend the URL",
    "versity/versitygw#2116 (edited after signing)",
    "query-tampered",
)
def _() -> dict[str, Any]:
    url = sdk_url(expires=900).replace("X-Amz-Expires=900", "X-Amz-Expires=86400")
    return {"url": url, "secret_key": SECRET_KEY, "error_xml": s3_mismatch(url), "now": SOON}


@case("JS v3 empty-body CRC32 on Cloudflare R2", "aws/aws-sdk-js-v3#6810", "checksum-mismatch")
def _() -> dict[str, Any]:
    body = error_xml(
        "NotImplemented", "Header 'x-amz-checksum-crc32' with value 'AAAAAA==' not implemented"
    )
    return {"url": js_v3_url(), "headers": JPEG, "error_xml": body, "body_size": 48213, "now": SOON}


@case("JS v3 empty-body CRC32 on Garage", "kanbn/kan#620; usekaneo/kaneo#1196", "checksum-mismatch")
def _() -> dict[str, Any]:
    body = error_xml(
        "InvalidDigest", "The Content-MD5 or checksum value that you specified is not valid."
    )
    return {"url": js_v3_url(), "headers": JPEG, "error_xml": body, "now": SOON}


@case(
    "JS v3 URL pins the empty-body CRC32 (no error on AWS)",
    "aws/aws-sdk-js-v3#6994; LocalStack test_presigned_url_v4_x_amz_in_qs",
    "checksum-mismatch",
)
def _() -> dict[str, Any]:
    return {
        "url": js_v3_url(),
        "headers": JPEG,
        "body_size": 2_000_000,
        "secret_key": SECRET_KEY,
        "now": SOON,
    }


@case(
    "JS v3 checksum pair stripped by a proxy",
    "issue 12 corpus; localstack/localstack#12169",
    "query-tampered",
)
def _() -> dict[str, Any]:
    url = js_v3_url().replace(
        "&x-amz-checksum-crc32=AAAAAA%3D%3D&x-amz-sdk-checksum-algorithm=CRC32", ""
    )
    return {
        "url": url,
        "headers": JPEG,
        "secret_key": SECRET_KEY,
        "error_xml": s3_mismatch(url, headers=JPEG),
        "now": SOON,
    }


@case(
    "JS v3 checksum value replaced by the file's",
    "seaweedfs/seaweedfs#10216; issue 12 corpus",
    "query-tampered",
)
def _() -> dict[str, Any]:
    url = js_v3_url().replace("crc32=AAAAAA%3D%3D", "crc32=HYZs4w%3D%3D")
    return {"url": url, "headers": JPEG, "secret_key": SECRET_KEY, "now": SOON}


@case("JS v3 x-id removed", "issue 12 corpus", "query-tampered")
def _() -> dict[str, Any]:
    url = js_v3_url().replace("&x-id=PutObject", "")
    return {"url": url, "headers": JPEG, "secret_key": SECRET_KEY, "now": SOON}


@case(
    "boto3 part URL reused for the next part",
    "issue 12 corpus; TTLabs/EvaporateJS#425",
    "query-tampered",
)
def _() -> dict[str, Any]:
    url = sdk_url(
        "upload_part",
        {"PartNumber": 1, "UploadId": "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA"},
    )
    return {
        "url": url.replace("partNumber=1", "partNumber=2"),
        "secret_key": SECRET_KEY,
        "now": SOON,
    }


@case("Content-MD5 not the body's", "aws/aws-sdk-go-v2#2610", "checksum-mismatch")
def _() -> dict[str, Any]:
    md5 = "1B2M2Y8AsgTpgAmY7PhCfg=="
    body = error_xml(
        "BadDigest",
        "The Content-MD5 you specified did not match what we received.",
        ("ExpectedDigest", "d41d8cd98f00b204e9800998ecf8427e"),
        ("CalculatedDigest", "5eb63bbbe01eeed093cb22bb8f5acdc3"),
    )
    return {
        "url": sdk_url(params={"ContentMD5": md5}),
        "headers": {"Content-MD5": md5},
        "error_xml": body,
        "now": SOON,
    }


@case(
    "key with a literal '+' sent unencoded",
    "nginx/nginx-s3-gateway#77; pcorliss/s3-expiry#2",
    "path-mismatch",
)
def _() -> dict[str, Any]:
    url = sdk_url(params={"Key": "pool/libstdc++-docs.deb"})
    raw = url.replace("libstdc%2B%2B", "libstdc++")
    return {
        "url": raw,
        "method": "PUT",
        "secret_key": SECRET_KEY,
        "error_xml": s3_mismatch(raw),
        "now": SOON,
    }


@case(
    "key quote()d before the SDK", "aws-samples s3 gotchas; issue 12 corpus", "double-encoded-key"
)
def _() -> dict[str, Any]:
    url = sdk_url("get_object", {"Key": quote("reports/2026 q1.pdf")})
    body = error_xml(
        "NoSuchKey", "The specified key does not exist.", ("Key", quote("reports/2026 q1.pdf"))
    )
    return {"url": url, "method": "GET", "error_xml": body, "now": SOON}


@case(
    "path encoded twice on the way",
    "taourl.com double encoding; aws/aws-sdk-java-v2#203",
    "path-mismatch",
)
def _() -> dict[str, Any]:
    url = sdk_url(params={"Key": "uploads/my photo.jpg"}).replace("my%20photo", "my%2520photo")
    return {"url": url, "secret_key": SECRET_KEY, "error_xml": s3_mismatch(url), "now": SOON}


@case(
    "hand-rolled signer does not encode the path",
    "mhart/aws4fetch#85; aws-beam/aws_signature#27",
    "path-mismatch",
)
def _() -> dict[str, Any]:
    url = unencoded_signer("/uploads/my photo.jpg", "uploads/my%20photo.jpg")
    return {"url": url, "secret_key": SECRET_KEY, "error_xml": s3_mismatch(url), "now": SOON}


@case("bucket without ACLs, ACL signed and sent", "anacronw/multer-s3#161", "acl-not-supported")
def _() -> dict[str, Any]:
    body = error_xml("AccessControlListNotSupported", "The bucket does not allow ACLs")
    return {
        "url": sdk_url(params={"ACL": "public-read"}),
        "headers": {"x-amz-acl": "public-read"},
        "error_xml": body,
        "secret_key": SECRET_KEY,
        "now": SOON,
    }


@case(
    "signer lacks s3:PutObject (same account)",
    "S3 User Guide access-denied examples; aws/aws-sdk-js#3975",
    "access-denied-policy",
)
def _() -> dict[str, Any]:
    message = 'User: arn:aws:iam::111122223333:user/uploader is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::examplebucket/uploads/photo.jpg" because no identity-based policy allows the s3:PutObject action'
    return {
        "url": sdk_url(),
        "error_xml": error_xml("AccessDenied", message),
        "secret_key": SECRET_KEY,
        "now": SOON,
    }


@case(
    "bucket policy denies the upload",
    "S3 User Guide access-denied examples",
    "access-denied-policy",
)
def _() -> dict[str, Any]:
    message = 'User: arn:aws:sts::111122223333:assumed-role/web/app is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::examplebucket/uploads/photo.jpg" with an explicit deny in a resource-based policy'
    return {"url": sdk_url(), "error_xml": error_xml("AccessDenied", message), "now": SOON}


@case("ACL sent, signer may not set ACLs", "boto/boto3#3710", "access-denied-policy")
def _() -> dict[str, Any]:
    return {
        "url": sdk_url(params={"ACL": "public-read"}),
        "headers": {"x-amz-acl": "public-read"},
        "error_xml": error_xml("AccessDenied", "Access Denied"),
        "secret_key": SECRET_KEY,
        "now": SOON,
    }


@case("temporary key without its token", "raster-foundry/raster-foundry#289", "unknown-access-key")
def _() -> dict[str, Any]:
    url = v4().replace(ACCESS_KEY, "ASIAIOSFODNN7EXAMPLE")
    body = error_xml(
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
        ("AWSAccessKeyId", "ASIAIOSFODNN7EXAMPLE"),
    )
    return {"url": url, "error_xml": body, "now": SOON}


@case("session token mangled", "boto/boto3#1549", "invalid-token")
def _() -> dict[str, Any]:
    body = error_xml(
        "InvalidToken",
        "The provided token is malformed or otherwise invalid.",
        ("Token-0", "FQoG..."),
    )
    return {"url": v4(session_token="FQoGZXIvYXdzEXAMPLEtruncated"), "error_xml": body, "now": SOON}


@case("global-STS token in ap-east-1", "aws/aws-sdk-js#4129", "sts-token-version")
def _() -> dict[str, Any]:
    url = v4(
        region="ap-east-1",
        base="https://examplebucket.s3.ap-east-1.amazonaws.com",
        session_token="FwoGZXIvYXdzENP//////////wEaDMs0",
    )
    body = error_xml(
        "InvalidToken",
        "The provided token is malformed or otherwise invalid.",
        ("Token-0", "FwoGZXIvYXdzENP"),
    )
    return {"url": url, "error_xml": body, "now": SOON}


@case(
    "secret of another key pair", "jSherz blog: the role on the first footgun", "wrong-secret-key"
)
def _() -> dict[str, Any]:
    other = "an0ther/Secret+Key/Of/The/Same/Account00"
    url = v4(headers=PNG, secret=other)
    return {
        "url": url,
        "headers": PNG,
        "secret_key": other,
        "error_xml": s3_mismatch(url, headers=PNG),
        "now": SOON,
    }


@case(
    "secret with a trailing newline from the environment",
    "jSherz blog: whitespace in environment variables",
    "wrong-secret-key",
)
def _() -> dict[str, Any]:
    padded = SECRET_KEY + "\n"
    url = v4(headers=PNG, secret=padded)
    return {
        "url": url,
        "headers": PNG,
        "secret_key": padded,
        "error_xml": s3_mismatch(url, headers=PNG),
        "now": SOON,
    }


@case(
    "Go client streams with chunked encoding",
    "aws/aws-sdk-go#4944",
    "transfer-encoding-unsupported",
)
def _() -> dict[str, Any]:
    body = error_xml(
        "NotImplemented",
        "A header you provided implies functionality that is not implemented",
        ("Header", "Transfer-Encoding"),
    )
    return {
        "url": sdk_url(),
        "headers": {"Transfer-Encoding": "chunked", "User-Agent": "Go-http-client/1.1"},
        "error_xml": body,
        "now": SOON,
    }


@case("Postman on a Mac sends chunked", "aws/aws-sdk-js#1237", "transfer-encoding-unsupported")
def _() -> dict[str, Any]:
    body = error_xml(
        "NotImplemented",
        "A header you provided implies functionality that is not implemented",
        ("Header", "Transfer-Encoding"),
    )
    return {
        "url": sdk_url(params={"ContentType": "image/jpeg"}),
        "headers": {**JPEG, "Transfer-Encoding": "chunked"},
        "error_xml": body,
        "now": SOON,
    }


@case(
    "signed Content-Length is not the file's size",
    "eregs/regulations-site#134; geturbackend/urBackend#129",
    "signed-header-value-mismatch",
)
def _() -> dict[str, Any]:
    url = sdk_url(params={"ContentLength": 1048576})
    return {
        "url": url,
        "headers": {"Content-Length": "1048576"},
        "body_size": 1048613,
        "secret_key": SECRET_KEY,
        "now": SOON,
    }


@case("GET sent to a PUT URL with a signed type", "issue 12 corpus", "method-mismatch")
def _() -> dict[str, Any]:
    url = sdk_url(params={"ContentType": "image/jpeg"})
    return {
        "url": url,
        "method": "GET",
        "secret_key": SECRET_KEY,
        "error_xml": s3_mismatch(url, method="GET"),
        "now": SOON,
    }


@case("proxy adds the port to Host", "anomalizer/ngx_aws_auth#87", "host-mismatch")
def _() -> dict[str, Any]:
    url = sdk_url(config={"s3": {"addressing_style": "virtual"}})
    return {
        "url": url,
        "headers": {"Host": "examplebucket.s3.amazonaws.com:443"},
        "secret_key": SECRET_KEY,
        "now": SOON,
    }


@case("query parameter appended after signing", "aws/aws-sdk-js-v3#5577", "query-tampered")
def _() -> dict[str, Any]:
    url = sdk_url() + "&cache-bust=1772370000"
    return {"url": url, "secret_key": SECRET_KEY, "error_xml": s3_mismatch(url), "now": SOON}


@case("presigned POST policy expired", "waynehoover/s3_direct_upload#107", "post-policy-violation")
def _() -> dict[str, Any]:
    return {
        "url": "https://examplebucket.s3.amazonaws.com/",
        "method": "POST",
        "error_xml": error_xml("AccessDenied", "Invalid according to Policy: Policy expired."),
        "now": SOON,
    }


@case(
    "presigned POST with an extra field",
    "waynehoover/s3_direct_upload#54; aws/aws-sdk-php#3292",
    "post-policy-violation",
)
def _() -> dict[str, Any]:
    return {
        "url": "https://examplebucket.s3.amazonaws.com/",
        "method": "POST",
        "error_xml": error_xml(
            "AccessDenied", "Invalid according to Policy: Extra input fields: content-type"
        ),
        "now": SOON,
    }


@case(
    "single-use URL used twice (If-None-Match)",
    "loculus-project/loculus#6381",
    "unrecognised-error",
)
def _() -> dict[str, Any]:
    body = error_xml(
        "PreconditionFailed",
        "At least one of the pre-conditions you specified did not hold",
        ("Condition", "If-None-Match"),
    )
    return {
        "url": sdk_url(params={"IfNoneMatch": "*"}),
        "headers": {"If-None-Match": "*"},
        "error_xml": body,
        "secret_key": SECRET_KEY,
        "now": SOON,
    }


#: Requests S3 accepts, which a diagnosis must not call failures.
ACCEPTED: list[tuple[str, str, Callable[[], dict[str, Any]]]] = [
    ("space sent as '+'", "aws/aws-sdk-ruby#654", lambda: {"url": sdk_url(params={"Key": "my file.txt"}).replace("my%20file", "my+file"), "secret_key": SECRET_KEY, "now": SOON}),
    ("unsigned Content-Type with SigV4", "LocalStack test_s3_put_presigned_url_with_different_headers", lambda: {"url": sdk_url(), "headers": PNG, "secret_key": SECRET_KEY, "now": SOON}),
    ("JS v3 shaped URL, query sorted", "aws/aws-sdk-js-v3#5577", lambda: {"url": js_v3_url(), "headers": JPEG, "body_size": 0, "secret_key": SECRET_KEY, "now": SOON}),
    ("boto3 regional virtual-hosted URL", "botocore 1.44.8, verified", lambda: {"url": sdk_url(region="eu-central-1", config={"s3": {"addressing_style": "virtual"}}), "secret_key": SECRET_KEY, "now": SOON}),
]  # fmt: skip
