"""Why the eligibility checklist finds someone ineligible: the reason codes of DOMAIN.md §2.4,
each with a plain explanation that names the facts behind it."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    UNDER_18 = "UNDER_18"
    OUT_OF_AREA = "OUT_OF_AREA"
    OFFENCE_OUT_OF_AREA = "OFFENCE_OUT_OF_AREA"
    OFFENCE_TOO_OLD = "OFFENCE_TOO_OLD"
    TIME_BARRED = "TIME_BARRED"
    EVIDENTIAL_TEST_NOT_MET = "EVIDENTIAL_TEST_NOT_MET"
    DENIES_OFFENCE = "DENIES_OFFENCE"
    NO_CAPACITY_TO_CONSENT = "NO_CAPACITY_TO_CONSENT"
    EXCLUDED_OFFENCE_TYPE = "EXCLUDED_OFFENCE_TYPE"
    INDICTABLE_ONLY = "INDICTABLE_ONLY"
    GRAVITY_TOO_HIGH = "GRAVITY_TOO_HIGH"
    SUBJECT_TO_ORDER = "SUBJECT_TO_ORDER"
    ON_BAIL_OTHER_MATTER = "ON_BAIL_OTHER_MATTER"
    HELD_FOR_COURT = "HELD_FOR_COURT"
    MHA_DETENTION = "MHA_DETENTION"
    CO_ACCUSED = "CO_ACCUSED"
    PREVIOUS_CONVICTIONS = "PREVIOUS_CONVICTIONS"
    CUSTODY_LIKELY = "CUSTODY_LIKELY"
    VICTIM_OBJECTS = "VICTIM_OBJECTS"
    IDENTITY_NOT_CONFIRMED = "IDENTITY_NOT_CONFIRMED"
    LOCAL_EXCLUSION = "LOCAL_EXCLUSION"


REASON_TEXT = {
    Reason.UNDER_18: "Aged {age} on the day of the offer; the scheme's minimum age is {min_age}.",
    Reason.OUT_OF_AREA: "Does not live in the force area at a verifiable address.",
    Reason.OFFENCE_OUT_OF_AREA: "The offence was not committed in the force area.",
    Reason.OFFENCE_TOO_OLD: "The offence ended on {offence_last}; offers must be made before {too_old_from}.",
    Reason.TIME_BARRED: (
        "{offences}: the latest charge date was {latest_charge} (six months from the offence on "
        "{offence_last}, Magistrates' Courts Act 1980 s.127). It has passed, so a prosecution could "
        "not follow a failed contract."
    ),
    Reason.EVIDENTIAL_TEST_NOT_MET: "There is not enough evidence to charge.",
    Reason.DENIES_OFFENCE: "The interview answer does not meet the scheme's admission rule.",
    Reason.NO_CAPACITY_TO_CONSENT: "The person does not fully understand what they would agree to.",
    Reason.EXCLUDED_OFFENCE_TYPE: "{offence} is excluded from the scheme.",
    Reason.INDICTABLE_ONLY: "{offence} is indictable-only.",
    Reason.GRAVITY_TOO_HIGH: "Gravity score {gravity} is above the scheme's maximum of {max_gravity}.",
    Reason.SUBJECT_TO_ORDER: "Subject to a court order or statutory supervision.",
    Reason.ON_BAIL_OTHER_MATTER: "On bail for another matter.",
    Reason.HELD_FOR_COURT: "Being held for court.",
    Reason.MHA_DETENTION: "Detained under the Mental Health Act.",
    Reason.CO_ACCUSED: "There is a co-accused.",
    Reason.PREVIOUS_CONVICTIONS: "{count} previous convictions; the scheme allows at most {limit}.",
    Reason.CUSTODY_LIKELY: "A custodial sentence would be likely.",
    Reason.VICTIM_OBJECTS: "The scheme needs the victim's agreement, and it has not been given.",
    Reason.IDENTITY_NOT_CONFIRMED: "The person's identity has not been confirmed.",
    Reason.LOCAL_EXCLUSION: "A local exclusion applies{which}.",
}
# The same reasons found another way, each explained in its own words.
DEADLINE_PASSED_TEXT = (
    "{offences}: the decision deadline was {deadline}, {margin} days before the latest charge date of "
    "{latest_charge}. It has passed, so there is no time to run a contract and still prosecute if it fails."
)
RECENT_CONVICTION_TEXT = (
    "The most recent conviction was on {last}, within {years} years of the offer; the scheme allows none since {since}."
)
