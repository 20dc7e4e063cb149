"""Evidence for a signature mismatch, and how confident the diagnosis may be.

:func:`explain_from_body` compares S3's echoed CanonicalRequest (SigV4) or StringToSign
(SigV2) with the described request. :func:`explain_with_secret` then decides, in this order:

1. S3's own echo, signed with the secret given, reproduces the URL's signature: the signer
   used that secret on exactly what S3 received, yet S3 computed another signature, so S3
   holds another secret for the access key: ``wrong-secret-key``, confirmed;
2. a candidate change reproduces the signature (:mod:`.search`): that change, confirmed;
3. the secret trimmed of white space reproduces it: ``wrong-secret-key``, confirmed;
4. otherwise nothing is confirmed: ``signature-mismatch-unexplained`` when a request-side
   finding already stands, else ``wrong-secret-key`` suspected, ranked last, saying what the
   kit checked and what it could not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..compare import (
    Comparison,
    compare_canonical_requests,
    compare_sigv2_strings_to_sign,
    parse_canonical_request,
)
from ..error_body import S3ErrorBody
from ..findings import CONFIRMED, REPORTED, SIGNATURE_CODES, SUSPECTED, Finding, finding
from .candidates import COMMON_VALUES, SearchInput
from .candidates.values import EMPTY_BODY_CHECKSUMS
from .echo import findings_from_comparison, received_request
from .search import SearchResult, Signed, Signer, search

__all__ = ["Echo", "explain_from_body", "explain_with_secret"]
_GUESSABLE = frozenset({*COMMON_VALUES, *EMPTY_BODY_CHECKSUMS})


@dataclass(frozen=True)
class Echo:
    """What S3 echoed: its canonical request (SigV4) and string to sign."""

    canonical: str | None = None
    string_to_sign: str | None = None


@dataclass
class Explained:
    """The outcome of :func:`explain_with_secret`."""

    findings: list[Finding] = field(default_factory=list)
    comparison: Comparison | None = None


def explain_from_body(
    body: S3ErrorBody, version: str, described_canonical: str | None, described_to_sign: str | None
) -> tuple[list[Finding], Comparison | None, Echo]:
    """Compare what S3 computed with the described request (findings REPORTED)."""
    titles = ("described (URL + your headers)", "S3 computed")
    s3_canonical, s3_to_sign = body.canonical_request, body.string_to_sign
    if version == "sigv4" and s3_canonical and described_canonical is not None:
        comparison = compare_canonical_requests(
            described_canonical, s3_canonical, expected_string_to_sign=described_to_sign,
            actual_string_to_sign=s3_to_sign, titles=titles,
        )  # fmt: skip
        found = findings_from_comparison(comparison)
        for name, value in parse_canonical_request(s3_canonical).headers:
            if not value and name != "host":
                found.append(finding("signed-header-missing", f"S3's canonical request has {name} empty: the signed header was not sent.", strength=REPORTED, subject=name))  # fmt: skip
        return found, comparison, Echo(s3_canonical, s3_to_sign)
    if version == "sigv2" and s3_to_sign and described_to_sign is not None:
        comparison = compare_sigv2_strings_to_sign(described_to_sign, s3_to_sign, titles=titles)
        return findings_from_comparison(comparison), comparison, Echo(None, s3_to_sign)
    return [], None, Echo()


def echo_request(echo: Echo, fallback: SearchInput) -> SearchInput:
    """The search input with the request S3 received, when its canonical request is readable."""
    rebuilt = received_request(echo.canonical) if echo.canonical else None
    return (
        fallback
        if rebuilt is None
        else SearchInput(fallback.url, rebuilt, fallback.declared, fallback.raw_path)
    )


def _echo_reproduces(signer: Signer, echo: Echo) -> bool:
    if echo.canonical is not None:
        signed = signer.sign_canonical(echo.canonical)
        if echo.string_to_sign is not None and echo.string_to_sign != signed.string_to_sign:
            return False
        return signer.matches(signed)
    return echo.string_to_sign is not None and signer.matches(
        signer.sign_string(echo.string_to_sign)
    )


def _comparison(signer: Signer, signed: Signed, sent: Signed) -> Comparison:
    titles = ("signed (reproduces the URL's signature)", "sent (as S3 computes it)")
    if signer.version == "sigv4":
        return compare_canonical_requests(
            signed.canonical_request or "", sent.canonical_request or "", titles=titles,
            expected_string_to_sign=signed.string_to_sign, actual_string_to_sign=sent.string_to_sign,
            expected_signature=signed.signature, actual_signature=sent.signature,
        )  # fmt: skip
    return compare_sigv2_strings_to_sign(signed.string_to_sign, sent.string_to_sign, titles=titles)


def not_checked(
    given: SearchInput, echo: Echo, result: SearchResult, body_size: int | None
) -> list[str]:
    """What the search could not check, in words."""
    out = []
    for name in given.url.signed_headers:
        if name == "content-length" and body_size is None:
            out.append(
                "the body's size (content-length is signed: the body must be exactly the size signed)"
            )
        elif name not in ("host", "content-length") and name not in _GUESSABLE:
            out.append(f"values of {name} other than the one sent")
    if echo.canonical is None and echo.string_to_sign is None:
        out.append(
            "what reached S3 (without S3's error body the request is assumed to arrive as described)"
        )
    if result.timed_out:
        out.append(
            f"the rest of the search, stopped at its time budget after {result.tried} changes"
        )
    out.append("combinations of changes beyond the pairs tried")
    return out


def _unknown_size(given: SearchInput, body_size: int | None) -> list[Finding]:
    """A signed Content-Length no candidate explained: the likeliest request-side cause left.

    The URL does not record the length that was signed, so with a body size known (and sent)
    the signed one may still differ: the signer was told another size than the file's.
    """
    if "content-length" not in given.url.signed_headers:
        return []
    sent = given.request.header("content-length")
    if body_size is None:
        known = "; the kit does not know the real size of the body, so it could not check this."
    else:
        known = (
            f"; the body is {body_size} bytes, but the URL does not record the length that was "
            "signed, so the kit could not check that the signer was told the same size."
        )
    return [finding(
        "signed-header-value-mismatch",
        "content-length is signed, so the body must be exactly the size the signer was told"
        + (f" (the request declares {sent} bytes)" if sent else "")
        + known,
        strength=SUSPECTED, subject="content-length",
    )]  # fmt: skip


def explain_with_secret(
    signer: Signer,
    given: SearchInput,
    sent: Signed,
    found: list[Finding],
    echo: Echo,
    body_size: int | None,
) -> Explained:
    """Confirm what S3's echo or a candidate change reproduces; otherwise say what is suspected."""
    key = given.url.access_key_id
    if _echo_reproduces(signer, echo):
        return Explained([finding(
            "wrong-secret-key",
            "S3's own canonical request, signed with the secret key given, reproduces the URL's "
            "signature exactly: the signer used this secret on exactly the request S3 received, "
            f"yet S3 computed another signature, so S3 holds a different secret for access key {key}."
            + (" The secret given has leading or trailing white space (a stray newline in an "
               "environment variable?); S3's secret has none." if signer.stripped() else ""),
            strength=CONFIRMED, evidence={"checked": ["S3's echoed canonical request"]},
        )])  # fmt: skip
    if signer.matches(sent):
        return Explained([finding(
            "wrong-secret-key",
            "Suspected, not confirmed: the secret key given reproduces the URL's signature for the "
            "request as described, yet S3 refused it. Without S3's canonical request (or with one "
            "for another request) the kit cannot tell whether S3 received another request or "
            f"holds another secret for access key {key}.",
            strength=SUSPECTED, evidence={"not_checked": ["what reached S3"]},
        )])  # fmt: skip
    result = search(signer, given)
    if result.hit is not None:
        candidate, signed = result.hit
        text = candidate.description[0].upper() + candidate.description[1:]
        return Explained([finding(
            candidate.code, f"{text}. Making that change reproduces the URL's signature exactly.",
            strength=CONFIRMED, subject=candidate.subject, evidence={"change": candidate.description},
        )], _comparison(signer, signed, sent))  # fmt: skip
    stripped = signer.stripped()
    if stripped is not None and (
        stripped.matches(stripped.sign(given.request)) or _echo_reproduces(stripped, echo)
    ):
        return Explained([finding(
            "wrong-secret-key",
            "The secret key given has leading or trailing white space; without it the URL's "
            "signature is reproduced exactly.",
            strength=CONFIRMED,
        )])  # fmt: skip
    missing = not_checked(given, echo, result, body_size)
    sized = _unknown_size(given, body_size)
    checked = (f"{result.tried} single and paired changes to the method, signed headers, query "
               "parameters, path encoding, host and region")  # fmt: skip
    blaming = sized + [
        f
        for f in found
        if f.code in SIGNATURE_CODES
        and (f.strength >= REPORTED or f.code == "signed-header-missing")
    ]
    if blaming and not sized:
        return Explained([finding(
            "signature-mismatch-unexplained",
            f"No change the kit tried ({checked}) reproduces the URL's signature, and the request "
            f"does not match the URL (see the other findings). Not checked: {'; '.join(missing)}.",
            strength=SUSPECTED, evidence={"checked": [checked], "not_checked": missing},
        )])  # fmt: skip
    return Explained([*sized, finding("wrong-secret-key", f"Suspected, not confirmed: with the secret key given, no change the kit tried ({checked}) " "reproduces the URL's signature, so the signer may have used another secret. Not " f"checked: {'; '.join(missing)}. Rule those out before rotating keys.", strength=SUSPECTED, evidence={"checked": [checked], "not_checked": missing})])  # fmt: skip
