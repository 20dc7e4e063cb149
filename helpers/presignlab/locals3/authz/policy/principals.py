"""Whether a caller is named by a resource policy's ``Principal`` / ``NotPrincipal``.

``"*"`` and ``{"AWS": "*"}`` match everyone, anonymous callers included. An account
(``"123456789012"`` or ``arn:aws:iam::123456789012:root``) matches that account's root, and its
other identities when ``members`` is true (the evaluator asks for that in ``Deny`` statements
and for cross-account ``Allow``: within one account an account principal grants nothing by
itself, IAM User Guide "Cross account resource access"). User and role ARNs compare by
account, type and name (the path is ignored, since an assumed-role session ARN carries none);
an assumed-role session (``arn:aws:sts::A:assumed-role/R/S``) matches its role
``arn:aws:iam::A:role/R`` and its own session ARN. ``Service``, ``Federated`` and
``CanonicalUser`` principals never match.

UNCONFIRMED choices: an account principal in a ``Deny`` reaching every identity of the
account; an account in ``NotPrincipal`` exempting only its root; a session matching its role
ARN also inside ``NotPrincipal`` (AWS asks for both ARNs there).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .conditions import Context

__all__ = ["principal_matches"]

_ACCOUNT_ROOT = re.compile(r"arn:[\w-]+:iam::(\d{12}):root")
_IAM_ARN = re.compile(r"arn:[\w-]+:iam::(\d{12}):(user|role)/(?:.*/)?([^/]+)")
_SESSION_ARN = re.compile(r"arn:[\w-]+:sts::(\d{12}):assumed-role/([^/]+)/[^/]+")


def _identity(arn: str) -> tuple[str, str, str] | None:
    """(account, ``user``/``role``, name) of a user, role or assumed-role session ARN."""
    found = _IAM_ARN.fullmatch(arn)
    if found:
        return found.group(1), found.group(2), found.group(3)
    found = _SESSION_ARN.fullmatch(arn)
    return (found.group(1), "role", found.group(2)) if found else None


def principal_matches(
    principals: Mapping[str, tuple[str, ...]], caller: str | None, context: Context, members: bool
) -> bool:
    """Whether the caller ARN (None: anonymous) is among ``principals``."""
    names = principals.get("AWS", ())
    if "*" in names:
        return True
    if caller is None:
        return False
    caller_account = caller.split(":")[4] if caller.count(":") >= 5 else ""
    caller_ids = {
        i for i in (_identity(caller), *map(_identity, context.get("aws:principalarn", ()))) if i
    }
    for name in names:
        account = name if re.fullmatch(r"\d{12}", name) else None
        root = _ACCOUNT_ROOT.fullmatch(name)
        account = root.group(1) if root else account
        if account is not None:
            if caller == f"arn:aws:iam::{account}:root" or (members and caller_account == account):
                return True
        elif name == caller or _identity(name) in caller_ids:
            return True
    return False
