"""Evidence for a signature mismatch: what S3's error body shows, and what the search proves.

:func:`explain_from_body` compares S3's CanonicalRequest (SigV4) or StringToSign (SigV2) with
the described request; :func:`explain_with_secret` runs the candidate search and, when
nothing reproduces the signature, decides between ``wrong-secret-key`` and
``signature-mismatch-unexplained``.
"""

from __future__ import annotations

from ..presigned_url import PresignedUrl
from ..query_auth import SentRequest
from .body_checks import findings_from_comparison, received_request
from .candidates import COMMON_VALUES
from .compare import (
    Comparison,
    compare_canonical_requests,
    compare_sigv2_strings_to_sign,
    parse_canonical_request,
)
from .error_body import S3ErrorBody
from .findings import CONFIRMED, REPORTED, SIGNATURE_CODES, SUSPECTED, Finding, finding
from .search import Signed, Signer, search

__all__ = ["explain_from_body", "explain_with_secret"]


def explain_from_body(
    body: S3ErrorBody,
    url: PresignedUrl,
    described: SentRequest,
    canonical: str | None,
    to_sign: str | None,
) -> tuple[list[Finding], Comparison | None, SentRequest]:
    """Compare what S3 computed with the described request; return the request S3 received."""
    titles = ("described (URL + your headers)", "S3 computed")
    s3_canonical, s3_to_sign = body.canonical_request, body.string_to_sign
    if url.version == "sigv4" and s3_canonical and canonical is not None:
        comparison = compare_canonical_requests(
            canonical,
            s3_canonical,
            expected_string_to_sign=to_sign,
            actual_string_to_sign=s3_to_sign,
            titles=titles,
        )
        found = findings_from_comparison(comparison)
        for name, value in parse_canonical_request(s3_canonical).headers:
            if not value and name != "host":
                found.append(
                    finding(
                        "signed-header-missing",
                        f"S3's canonical request has {name} empty: the signed header was not sent.",
                        strength=REPORTED,
                        subject=name,
                    )
                )
        return found, comparison, received_request(s3_canonical) or described
    if url.version == "sigv2" and s3_to_sign and to_sign is not None:
        comparison = compare_sigv2_strings_to_sign(to_sign, s3_to_sign, titles=titles)
        return findings_from_comparison(comparison), comparison, described
    return [], None, described


def explain_with_secret(
    signer: Signer, url: PresignedUrl, received: SentRequest, sent: Signed, found: list[Finding]
) -> tuple[list[Finding], Comparison | None]:
    """Search the single change that reproduces the URL's signature."""
    hit = search(signer, received)
    if hit is not None:
        candidate, signed = hit
        titles = ("signed (reproduces the URL's signature)", "sent (as S3 computes it)")
        if url.version == "sigv4":
            comparison = compare_canonical_requests(
                signed.canonical_request or "",
                sent.canonical_request or "",
                titles=titles,
                expected_string_to_sign=signed.string_to_sign,
                actual_string_to_sign=sent.string_to_sign,
                expected_signature=signed.signature,
                actual_signature=sent.signature,
            )
        else:
            comparison = compare_sigv2_strings_to_sign(
                signed.string_to_sign, sent.string_to_sign, titles=titles
            )
        text = candidate.description[0].upper() + candidate.description[1:]
        return [
            finding(
                candidate.code,
                f"{text}. Making that one change reproduces the URL's signature exactly.",
                strength=CONFIRMED,
                subject=candidate.subject,
                evidence={"change": candidate.description},
            )
        ], comparison
    if any(f.code in SIGNATURE_CODES and f.strength >= REPORTED for f in found) or any(
        f.code == "signed-header-missing" for f in found
    ):
        return [
            finding(
                "signature-mismatch-unexplained",
                "No single change to the request reproduces the "
                "URL's signature, and the request does not match the URL (see the other findings).",
                # ranked after those findings: they name the cause, this only says the search failed
                strength=SUSPECTED,
            )
        ], None
    stripped = signer.stripped()
    if stripped is not None and stripped.matches(stripped.sign(received)):
        return [
            finding(
                "wrong-secret-key",
                "The secret key given has leading or trailing white space; "
                "without it the URL's signature is reproduced exactly.",
                strength=CONFIRMED,
            )
        ], None
    guessed = [h for h in url.signed_headers if h != "host" and h not in COMMON_VALUES]
    extra = (
        f" (unless the signer used values for {', '.join(guessed)} other than those sent)"
        if guessed
        else ""
    )
    return [
        finding(
            "wrong-secret-key",
            "The request matches the URL and no single change reproduces the "
            f"signature: the secret key given is not the one that signed this URL{extra}.",
            strength=CONFIRMED,
        )
    ], None
