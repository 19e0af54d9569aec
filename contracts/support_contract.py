"""The signed support contract (DOMAIN.md §5.4), in English or Welsh."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from contracts.offer_sheet import WELSH_MONTHS, when
from contracts.rendering import RenderedDocument, render

TEMPLATE_VERSION = "support_contract_v1"


@dataclass(frozen=True)
class ContractCondition:
    number: int
    kind: str  # offending, victim, pathway, community, ...
    wording: str  # as the navigator wrote it with the person, in the language of the contract
    partner: str
    due: date | None
    rule: str  # sessions, hours, by_date, document, whole_term
    target: int | None = None


@dataclass(frozen=True)
class SupportContract:
    scheme_name: str
    force_name: str
    case_reference: str
    version_number: int
    crime_reference: str
    custody_record_number: str
    person_name: str
    date_of_birth: date
    address_lines: tuple[str, ...]
    offences: tuple[str, ...]
    offence_dates: str
    admission: str  # the interview stance as recorded at the custody gate
    starts_on: date
    ends_on: date
    length_months: int
    conditions: tuple[ContractCondition, ...]
    first_appointment: datetime | None
    navigator_name: str
    team_phone: str
    team_email: str
    partners: tuple[str, ...]
    retention_years: int
    signed_at: datetime
    person_signature: str
    navigator_signature: str
    interpreter_present: bool
    appropriate_adult_present: bool
    language: str = "en"


KINDS = {
    "offending": ("No further offending", "Dim troseddu pellach"),
    "victim": ("Restorative work", "Gwaith adferol"),
    "pathway": ("Support", "Cymorth"),
    "community": ("Community hours", "Oriau cymunedol"),
    "reparation": ("Putting things right", "Unioni pethau"),
    "education": ("Course", "Cwrs"),
    "restrictive": ("Restriction", "Cyfyngiad"),
    "attendance": ("Appointments", "Apwyntiadau"),
}
CHECKS = {
    "sessions": ("attending {n} sessions", "mynychu {n} sesiwn"),
    "hours": ("completing {n} hours", "cwblhau {n} awr"),
    "by_date": ("done by the date given", "wedi'i wneud erbyn y dyddiad a roddwyd"),
    "document": ("a letter or certificate you give us", "llythyr neu dystysgrif a roddwch i ni"),
    "whole_term": ("kept for the whole contract", "wedi'i gadw drwy gydol y contract"),
}
ADMISSIONS = {
    "full_admission": ("You admitted the offence.", "Fe wnaethoch gyfaddef y drosedd."),
    "accepts_responsibility": (
        "You accepted responsibility for the offence.",
        "Fe wnaethoch dderbyn cyfrifoldeb am y drosedd.",
    ),
    "no_reply_with_evidence": ("You made no reply in interview.", "Ni wnaethoch ateb yn y cyfweliad."),
    "no_comment": ("You did not deny the offence.", "Ni wnaethoch wadu'r drosedd."),
    "denial": ("", ""),
}


def render_support_contract(contract: SupportContract) -> RenderedDocument:
    language = contract.language if contract.language in ("en", "cy") else "en"
    index = 1 if language == "cy" else 0
    conditions = [
        {
            "number": c.number,
            "kind": KINDS[c.kind][index],
            "wording": c.wording,
            "partner": c.partner,
            "due": c.due,
            "check": CHECKS[c.rule][index].format(n=c.target or ""),
        }
        for c in contract.conditions
    ]
    return render(
        f"{TEMPLATE_VERSION}.{language}.html",
        version=TEMPLATE_VERSION,
        language=language,
        created=contract.signed_at,
        doc=contract,
        conditions=conditions,
        admission=ADMISSIONS.get(contract.admission, ("", ""))[index],
        day=lambda d: _day(d, language),
        when=lambda moment: when(moment, language),
        victim=[c for c in contract.conditions if c.kind == "victim"],
    )


def _day(day: date, language: str) -> str:
    if language == "cy":
        return f"{day.day} {WELSH_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {day:%B %Y}"
