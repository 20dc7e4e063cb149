"""Read S3's 403 AccessDenied messages: expiry, unsigned headers, POST policies, and policies.

The message says which check failed (reference, rows 12, 13, 15 and section 2). For requests
from the bucket owner's own account or organisation, AWS names the principal, the action, the
resource and the policy type that refused it (S3 User Guide, "Troubleshoot access denied
(403 Forbidden) errors", access denied message examples)::

    User: ARN is not authorized to perform: ACTION on resource: "ARN" because no
    identity-based policy allows the ACTION action
    User: ARN is not authorized to perform: ACTION on resource: "ARN" with an explicit deny
    in a resource-based policy

Anonymous and cross-account requests keep the bare ``Access Denied``. A PUT that sets an ACL
(``x-amz-acl`` or ``x-amz-grant-*``) also needs ``s3:PutObjectAcl``.
"""

from __future__ import annotations

import re

from ...signing.sent_request import SentRequest
from ..error_body import S3ErrorBody
from ..findings import REPORTED, Finding, finding

__all__ = ["access_denied", "policy_denial"]

_DETAILED = re.compile(
    r"User: (?P<principal>\S+) is not authorized to perform: (?P<action>[\w:*-]+) on resource: "
    r"\"?(?P<resource>[^\"\s]+)\"?\s+(?:because no (?P<implicit>[\w -]+?) allows the [\w:*-]+ action"
    r"|with an explicit deny in (?:an? |the )?(?P<explicit>[\w -]+))",
    re.IGNORECASE,
)
_FIX = {
    "identity-based policy": "add an Allow for {action} on {resource} to the signer's IAM policy",
    "resource-based policy": "change the bucket policy (a resource-based policy) so that it "
    "allows {action} for the signer and no Deny statement matches",
    "permissions boundary": "widen the signer's permissions boundary to include {action}",
    "session policy": "sign with a session whose session policy allows {action}",
    "service control policy": "ask the organisation's administrator: a service control "
    "policy (SCP) denies {action}",
    "resource control policy": "ask the organisation's administrator: a resource control "
    "policy (RCP) denies {action}",
    "vpc endpoint policy": "allow {action} in the VPC endpoint policy the request went through",
}


def _acl_sent(request: SentRequest | None) -> bool:
    if request is None:
        return False
    names = {n.lower() for n, _ in request.headers} | {n.lower() for n, _ in request.query}
    return any(n == "x-amz-acl" or n.startswith("x-amz-grant-") for n in names)


def policy_denial(message: str, request: SentRequest | None) -> Finding | None:
    """``access-denied-policy`` from AWS's detailed message (action and policy type named), or None."""
    found = _DETAILED.search(message)
    if found is None:
        return None
    action, resource = found["action"], found["resource"]
    kind = (found["implicit"] or found["explicit"] or "").strip().lower()
    how = "explicitly denies it" if found["explicit"] else "allows it"
    text = f"S3 says {found['principal']} may not {action} on {resource}: " + (
        f"a {kind} {how}." if found["explicit"] else f"no {kind} {how}."
    )
    fix = _FIX.get(kind, "change the {kind} so that it allows {action}").format(
        action=action, resource=resource, kind=kind
    )
    if action.lower() == "s3:putobjectacl" or (
        _acl_sent(request) and action.lower() == "s3:putobject"
    ):
        text += " The request sets an ACL, which needs s3:PutObjectAcl besides s3:PutObject."
        fix += "; an upload that sends x-amz-acl needs s3:PutObjectAcl as well (or drop the ACL)"
    return finding(
        "access-denied-policy",
        text,
        fix=fix[0].upper() + fix[1:] + ".",
        strength=REPORTED,
        subject=action,
        evidence={"action": action, "resource": resource, "policy_type": kind,
                  "explicit_deny": bool(found["explicit"]), "principal": found["principal"]},
    )  # fmt: skip


def access_denied(body: S3ErrorBody, request: SentRequest | None) -> list[Finding]:
    """The finding(s) for a 403 AccessDenied body."""
    message = body.message
    if message.startswith("Request has expired"):
        return [
            finding(
                "expired",
                f"S3 says the URL expired at {body.get('Expires')} (server time {body.get('ServerTime')}).",
                strength=REPORTED,
            )
        ]
    if message.startswith("Request is not yet valid"):
        return [
            finding(
                "not-yet-valid",
                "S3 says the URL is not yet valid: X-Amz-Date is ahead of S3's clock "
                f"(server time {body.get('ServerTime')}).",
                strength=REPORTED,
            )
        ]
    if message.startswith("There were headers present"):
        names = body.headers_not_signed or ("(unnamed)",)
        return [
            finding(
                "unsigned-amz-header",
                f"S3 refused header {n}: it was sent but is not in X-Amz-SignedHeaders.",
                strength=REPORTED,
                subject=n,
            )
            for n in names
        ]
    if message.startswith("Invalid according to Policy"):
        return [finding("post-policy-violation", f"S3 says: {message}", strength=REPORTED)]
    if message.startswith("Query-string authentication"):
        return [finding("missing-auth-parameter", f"S3 says: {message}", strength=REPORTED)]
    detailed = policy_denial(message, request)
    if detailed is not None:
        return [detailed]
    acl = (
        " The request sets an ACL: the signer also needs s3:PutObjectAcl."
        if _acl_sent(request)
        else ""
    )
    return [
        finding(
            "access-denied-policy",
            f"S3 authenticated the request but refused it: {message or 'Access Denied'}. No "
            "identity policy allows it, a policy denies it, or Block Public Access applies "
            f"(S3 names the policy only for requests from the bucket owner's account).{acl}",
            strength=REPORTED,
        )
    ]
