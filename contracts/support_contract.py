"""The signed support contract (DOMAIN.md §5.4), in English or Welsh.

Version 3 is current: it prints the check-in schedule. Versions 1 and 2 still render for documents
they issued: their templates and the phrases they used are kept exactly as they were (a used
template is never edited).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from contracts.offer_sheet import counted, day, when
from contracts.rendering import RenderedDocument, render

TEMPLATE_VERSION = "support_contract_v3"
TEMPLATE_VERSIONS = ("support_contract_v1", "support_contract_v2", "support_contract_v3")


@dataclass(frozen=True)
class ContractCondition:
    number: int
    kind: str  # offending, victim, pathway, community, ...
    wording: str  # in the language of the contract: a standard wording translated, or as written
    partner: str
    due: date | None  # None for a condition kept for the whole contract: it runs to the end
    rule: str  # sessions, hours, by_date, document, whole_term
    target: int | None = None


@dataclass(frozen=True)
class ScheduledCheckIn:
    at: datetime
    mode: str  # in_person, phone, video
    place: str


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
    offences: tuple[str, ...]  # titles, in the language of the contract
    offence_dates: str  # version 1 only; version 2 prints offence_first_on / offence_last_on
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
    person_signature: str  # version 1 only; version 2 words it from signature_method
    navigator_signature: str  # the navigator who explained the contract, and signs it
    interpreter_present: bool
    appropriate_adult_present: bool
    language: str = "en"
    # Version 2 onwards.
    offence_legislation: tuple[str, ...] = ()  # what each offence is contrary to, in the language
    offence_first_on: date | None = None
    offence_last_on: date | None = None
    offence_place: str = ""
    offence_description: str = ""
    signature_method: str = ""  # typed_name or wet_ink
    signature_name: str = ""
    countersigned_by: str = ""  # a supervisor who accepted the time-limit risk
    latest_charge_on: date | None = None
    # Version 3 onwards: the check-ins planned when the contract was issued.
    check_ins: tuple[ScheduledCheckIn, ...] = ()


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
# Version 2: one session, one hour. Welsh counts with the singular noun after a numeral throughout.
CHECKS_V2 = {
    **CHECKS,
    "sessions": (("attending 1 session", "attending {n} sessions"), "mynychu {n} sesiwn"),
    "hours": (("completing 1 hour", "completing {n} hours"), "cwblhau {n} awr"),
}
MODES = {
    "in_person": ("In person", "Wyneb yn wyneb"),
    "phone": ("Phone call", "Galwad ffôn"),
    "video": ("Video call", "Galwad fideo"),
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


def render_support_contract(contract: SupportContract, *, template_version: str = TEMPLATE_VERSION) -> RenderedDocument:
    if template_version not in TEMPLATE_VERSIONS:
        raise ValueError(f"no such contract template: {template_version}")
    language = contract.language if contract.language in ("en", "cy") else "en"
    index = 1 if language == "cy" else 0
    first = template_version == "support_contract_v1"
    conditions = [
        {
            "number": c.number,
            "kind": KINDS[c.kind][index],
            "wording": c.wording,
            "partner": c.partner,
            "due": c.due,
            "check": CHECKS[c.rule][index].format(n=c.target or "") if first else _check(c, index),
        }
        for c in contract.conditions
    ]
    return render(
        f"{template_version}.{language}.html",
        version=template_version,
        language=language,
        created=contract.signed_at,
        furniture_as_artifacts=not first,
        doc=contract,
        conditions=conditions,
        admission=ADMISSIONS.get(contract.admission, ("", ""))[index],
        day=lambda d: day(d, language),
        when=lambda moment: when(moment, language),
        victim=[c for c in contract.conditions if c.kind == "victim"],
        schedule=[
            # A cell starts like a sentence: "Dydd Mawrth", where running Welsh text says "dydd Mawrth".
            {"when": _first_upper(when(c.at, language)), "how": MODES[c.mode][index], "place": c.place}
            for c in contract.check_ins
        ],
        partners=list(dict.fromkeys(contract.partners)),  # each named once, in the order given
        offences=list(
            zip(contract.offences, contract.offence_legislation or ("",) * len(contract.offences), strict=True)
        ),
        months=counted(contract.length_months, language, ("month", "months"), ("mis", "mis")),
        years=counted(contract.retention_years, language, ("year", "years"), ("flwyddyn", "blynedd")),
    )


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _check(condition: ContractCondition, index: int) -> str:
    wording = CHECKS_V2[condition.rule][index]
    if isinstance(wording, tuple):  # English, with a singular for one
        wording = wording[0] if condition.target == 1 else wording[1]
    return wording.format(n=condition.target or "")
