"""Partner referrals (DOMAIN.md §4.3): what may be shared, and the status a referral moves through."""

from __future__ import annotations

from enum import StrEnum

from casework.domain.errors import IllegalTransition


class ReferralStatus(StrEnum):
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    WAITLISTED = "waitlisted"
    APPOINTMENT_OFFERED = "appointment_offered"
    ATTENDED = "attended"
    DID_NOT_ATTEND = "did_not_attend"
    COMPLETED = "completed"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


S = ReferralStatus
NEXT_STATUSES: dict[ReferralStatus, tuple[ReferralStatus, ...]] = {
    S.SENT: (S.ACKNOWLEDGED, S.WAITLISTED, S.DECLINED),
    S.ACKNOWLEDGED: (S.APPOINTMENT_OFFERED, S.WAITLISTED, S.DECLINED),
    # A waiting list is not the person's fault: nothing here counts against them.
    S.WAITLISTED: (S.APPOINTMENT_OFFERED, S.DECLINED),
    S.APPOINTMENT_OFFERED: (S.ATTENDED, S.DID_NOT_ATTEND),
    S.DID_NOT_ATTEND: (S.APPOINTMENT_OFFERED, S.DECLINED),
    S.ATTENDED: (S.APPOINTMENT_OFFERED, S.COMPLETED),
    S.COMPLETED: (),
    S.DECLINED: (),
}

# Attendance and completion need evidence of where the news came from.
NEEDS_EVIDENCE = frozenset({S.ATTENDED, S.DID_NOT_ATTEND, S.COMPLETED})
EVIDENCE_SOURCES = {
    "partner_confirmation": "Confirmation from the partner",
    "letter": "A letter or certificate",
    "navigator_observed": "The navigator saw it",
}
METHODS = {
    "secure_email": "Secure email",
    "portal": "Partner's referral portal",
    "phone": "Phone",
    "in_person": "In person (warm handover)",
}

# The minimum data set a partner may receive (DOMAIN.md §9: nothing beyond what the referral needs).
SHAREABLE = {
    "name": "Name",
    "date_of_birth": "Date of birth",
    "contact_details": "Phone number and address",
    "reason": "The need the referral is for",
    "navigator_contact": "The navigator's contact details",
}


def next_status(current: ReferralStatus, wanted: ReferralStatus) -> ReferralStatus:
    if wanted not in NEXT_STATUSES[current]:
        allowed = ", ".join(s.label.lower() for s in NEXT_STATUSES[current]) or "nothing: it is closed"
        raise IllegalTransition(f"A referral that is '{current.label.lower()}' can only become: {allowed}.")
    return wanted
