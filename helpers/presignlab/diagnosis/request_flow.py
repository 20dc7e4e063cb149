"""The diagnosis of a request to a presigned URL: checks, S3's answer, and the signature search.

Order: the request is read as S3 reads it (:mod:`.received`; a known body size replaces a
signed Content-Length); structural checks; S3's error body (every Code gives a finding);
S3's echoed canonical request, when it belongs to this URL, becomes the request received;
with the secret, the signature is recomputed and, on a mismatch, explained (:mod:`.explain`).
"""

from __future__ import annotations

from ..signing.presigned_url import PresignedUrl
from ..signing.sent_request import (
    SentRequest,
    sigv2_string_to_sign,
    sigv4_canonical_request,
    sigv4_string_to_sign,
)
from .checks.answer import check_error_body
from .checks.endpoint import global_endpoint_note
from .checks.integrity import empty_body_checksums, transfer_encoding
from .checks.request import check_key, check_request, check_time, check_url
from .evidence import Evidence
from .findings import REPORTED, SIGNATURE_CODES, SUSPECTED, Finding, finding, rank
from .preflight_flow import browser_preflight_findings
from .received import PLUS_NOTE, as_s3_reads, raw_path
from .result import Diagnosis
from .signature.candidates import SearchInput
from .signature.candidates.base import with_header
from .signature.echo import trusted_echo
from .signature.explain import Echo, echo_request, explain_from_body, explain_with_secret
from .signature.search import Signer, sigv2_resource

__all__ = ["diagnose_request"]


def _sign_described(url: PresignedUrl, request: SentRequest) -> tuple[str | None, str | None]:
    if url.version == "sigv2":
        return None, sigv2_string_to_sign(
            request, sigv2_resource(url, request), url.param("Expires") or ""
        )
    canonical = sigv4_canonical_request(request, url.signed_headers)
    if not url.amz_date or not url.region:
        return canonical, None
    return canonical, sigv4_string_to_sign(canonical, url.amz_date, url.region, url.service or "s3")


def _key(url: PresignedUrl, request: SentRequest) -> str:
    path, bucket = request.path, url.bucket or ""
    if url.addressing == "path" and bucket and path.startswith(f"/{bucket}"):
        return path[len(bucket) + 2 :]
    return path[1:]


def _with_body_size(
    url: PresignedUrl, request: SentRequest, size: int | None
) -> tuple[SentRequest, dict[str, str]]:
    """S3 receives Content-Length = the body's size; the described value is kept as declared."""
    if size is None:
        return request, {}
    declared = request.header("content-length")
    received = with_header(request, "content-length", str(size))
    return received, (
        {"content-length": declared} if declared and declared.strip() != str(size) else {}
    )


def _status_findings(evidence: Evidence, found: list[Finding]) -> list[Finding]:
    status = evidence.status
    if evidence.body is not None or status is None or status < 300 or found:
        return []
    if status in (301, 307):
        return [finding("wrong-endpoint", f"S3 answered HTTP {status} (a redirect) without the error body that names the endpoint.", strength=REPORTED)]  # fmt: skip
    return [finding("unrecognised-error", f"S3 answered HTTP {status} without an error body (a HEAD answer has none).", strength=REPORTED, subject=str(status))]  # fmt: skip


def diagnose_request(
    url_text: str,
    url: PresignedUrl,
    described: SentRequest,
    secret_key: str | None,
    evidence: Evidence,
) -> Diagnosis:
    """The diagnosis of ``described`` (a request to the presigned ``url``)."""
    request, plus = as_s3_reads(url_text, described)
    request, declared = _with_body_size(url, request, evidence.body_size)
    notes = [PLUS_NOTE] if plus else []
    note = global_endpoint_note(url)
    notes += [note] if note else []
    found = check_url(url) + check_time(url, evidence.now, assumed=evidence.now_assumed)
    found += check_request(url, request) + check_key(url, _key(url, request))
    found += transfer_encoding(request, None) + empty_body_checksums(request, evidence.body_size)
    found += browser_preflight_findings(request, evidence)
    canonical, to_sign = _sign_described(url, request)
    body, comparison, echo = evidence.body, None, Echo()
    given = SearchInput(url, request, declared, raw_path(url_text))
    if body is not None:
        found += check_error_body(body, url, request, _key(url, request))[0]
        if body.code == "SignatureDoesNotMatch" and trusted_echo(body, url):
            from_diff, comparison, echo = explain_from_body(body, url.version, canonical, to_sign)
            found += from_diff
            given = echo_request(echo, given)
        elif body.code == "SignatureDoesNotMatch":
            notes.append("The error body's SignatureProvided is not this URL's signature: the body comes from another URL, so what it shows was not used.")  # fmt: skip
    computed = matches = None
    if (
        secret_key is not None
        and url.signature
        and (url.version == "sigv2" or (url.amz_date and url.region))
    ):
        signer = Signer(url, secret_key)
        as_sent = signer.sign(request)
        computed, matches = as_sent.signature, signer.matches(as_sent)
        received_signed = as_sent if given.request == request else signer.sign(given.request)
        refused = body is not None and body.code == "SignatureDoesNotMatch"
        if signer.matches(received_signed) and not refused:
            found = [
                f for f in found if not (f.code in SIGNATURE_CODES and f.strength == SUSPECTED)
            ]
        else:
            explained = explain_with_secret(
                signer, given, received_signed, found, echo, evidence.body_size
            )
            found += explained.findings
            comparison = explained.comparison or comparison
    elif secret_key is not None:
        notes.append(
            "The signature cannot be recomputed: the URL lacks a signature, date or region."
        )
    if (
        body is not None
        and body.code == "SignatureDoesNotMatch"
        and not any(f.code in SIGNATURE_CODES for f in found)
    ):
        found.append(finding(
            "signature-mismatch-unexplained",
            "S3 computed exactly the request described, so the difference is in what was signed: "
            "with the signing secret key the kit can search for it.",
            strength=REPORTED,
        ))  # fmt: skip
    found += _status_findings(evidence, found)
    ranked = tuple(rank(found))
    return Diagnosis(
        verdict="problems" if ranked else "ok", findings=ranked, url=url, method=request.method,
        canonical_request=canonical, string_to_sign=to_sign, signature_provided=url.signature,
        signature_computed=computed, signature_matches=matches, comparison=comparison,
        error_body=body, notes=tuple(notes),
    )  # fmt: skip
