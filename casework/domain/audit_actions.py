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
    "person.created": "Person record created",
    "case.opened": "Eligibility check started",
    "case.viewed": "Case viewed",
    "case.custody_details_recorded": "Arrest and custody details recorded",
    "case.checklist_answered": "Eligibility checklist answered",
    "case.eligibility_overridden": "Eligibility overridden by the custody sergeant",
    "case.record_ineligible": "Recorded as not offered",
    "case.record_decline": "Offer declined",
    "case.request_acceptance": "Sent to a supervisor for acceptance",
    "case.refer": "Referred to the navigator team",
    "case.accept_referral": "Referral accepted",
    "case.reject_referral": "Referral not accepted",
    "case.allocated": "Allocated to a navigator",
    "case.reallocated": "Reallocated to another navigator",
    "case.note_added": "Case note added",
    "case.record_first_contact": "First contact recorded",
    "case.assessment_recorded": "Needs assessment recorded",
    "case.referral_sent": "Referral sent to a partner",
    "case.start_contract": "Contract drafting started",
    "contract.condition_added": "Contract condition added",
    "contract.condition_changed": "Contract condition changed",
    "contract.condition_removed": "Contract condition removed",
    "case.referral_updated": "Referral updated",
    "directory.service_added": "Partner service added",
    "directory.service_changed": "Partner service changed",
    "case.offer_sheet_downloaded": "Offer sheet downloaded",
    "scheme.settings_changed": "Scheme settings changed",
    "offence.added": "Offence added to the catalogue",
    "offence.inclusion_changed": "Offence rule changed",
    "offence.changed": "Offence details changed",
}


def label(action: str) -> str:
    return LABELS.get(action, action.replace("_", " ").replace(".", ": ").capitalize())
