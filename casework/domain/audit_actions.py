"""Plain-English names for audit actions, shown beside the stored code."""

from __future__ import annotations

LABELS = {
    "sign_in.succeeded": "Signed in",
    "sign_in.failed": "Sign-in failed",
    "sign_in.throttled": "Sign-in refused while slowed down",
    "sign_out.succeeded": "Signed out",
    "user.created": "Account created",
    "user.changed": "Account changed",
    "user.deactivated": "Account deactivated",
    "user.reactivated": "Account reactivated",
    "user.passphrase_link_issued": "Passphrase link created",
    "user.passphrase_set": "Passphrase set",
}


def label(action: str) -> str:
    return LABELS.get(action, action.replace("_", " ").replace(".", ": ").capitalize())
