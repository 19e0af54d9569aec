"""The support contract PDF, template version 2 (DOMAIN.md §5.2, §5.4, §7.1), in English and Welsh,
read back as text and as a tagged structure."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

from pypdf import PdfReader

from bench.contract_render import CONTRACT
from contracts import ContractCondition, render_support_contract
from tests.contracts.pdf_structure import content_text, marked_text, reachable_mcids, structure

V2 = replace(
    CONTRACT,
    offence_legislation=("section 39 of the Criminal Justice Act 1988", "section 1(1) of the Criminal Damage Act 1971"),
    offence_first_on=date(2026, 11, 20),
    offence_last_on=date(2026, 11, 20),
    offence_place="Market Place, Durham",
    offence_description="Pushed a man to the ground and kicked a shop door.",
    signature_method="typed_name",
    signature_name="Sam Example",
    partners=("Recovery Hub", "Housing Options", "Recovery Hub"),
    conditions=(
        *CONTRACT.conditions,
        ContractCondition(6, "education", "Attend the drugs awareness course.", "", date(2027, 1, 15), "sessions", 1),
    ),
)


def _render(contract):
    return render_support_contract(contract, template_version="support_contract_v2")


def _text(pdf: bytes) -> str:
    return "".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _has(text: str, phrase: str) -> bool:
    return "".join(phrase.split()) in text


def test_english_contract_has_every_part():
    rendered = _render(V2)
    assert rendered.template_version == "support_contract_v2"
    text = _text(rendered.pdf)
    for phrase in [
        "CP-26-000123, version 1",
        "DC/4521/26",
        "Sam Example, born 27 March 1990",
        "Common assault, contrary to section 39 of the Criminal Justice Act 1988.",
        "On 20 November 2026, at Market Place, Durham.",
        "What happened: Pushed a man to the ground and kicked a shop door.",
        "enough evidence to charge you",
        "You admitted the offence",
        "From 24 November 2026 to 24 March 2027 (4 months)",
        "Recovery Hub",
        "By when: 1 February 2027",
        "completing 24 hours",
        "Grace Johnson",
        "reasonable excuse",
        "may charge you with the original offence",
        "kept for 6 years",
        "You: Sam Example (typed on screen)",
        "Navigator, who explained this contract to you: Grace Johnson",
        "Page 1 of",
        "Contract CP-26-000123 v1",
    ]:
        assert _has(text, phrase), phrase
    assert not _has(text, "Countersigned")


def test_every_condition_says_by_when_and_one_session_is_one_session():
    text = _text(_render(V2).pdf)
    assert text.count("Bywhen:") == len(V2.conditions)
    assert _has(text, "By when: the end of the contract, 24 March 2027")  # whole-term conditions
    assert _has(text, "attending 1 session.") and not _has(text, "1 sessions")
    welsh = _text(_render(replace(V2, language="cy")).pdf)
    assert welsh.count("Erbynpryd:") == len(V2.conditions)
    assert _has(welsh, "mynychu 1 sesiwn") and _has(welsh, "Erbyn pryd: diwedd y contract, 24 Mawrth 2027")


def test_each_partner_is_named_once_in_the_data_protection_notice():
    short = replace(V2, conditions=V2.conditions[:3])  # the notice on one page, read in one piece
    text = content_text(_render(short).pdf)
    notice = re.search(r"Yourinformation(.*?)Signatures", text).group(1)
    assert notice.count("RecoveryHub") == 1 and notice.count("HousingOptions") == 1


def test_a_new_offence_is_a_matter_for_a_supervisor_on_the_evidence_and_an_nfa_arrest_is_not_a_breach():
    text = _text(_render(V2).pdf)
    breach = re.search(r"7\.Whatcountsasbreakingthecontract(.*?)8\.", text).group(1)
    assert _has(breach, "if a crime is recorded that names you as a suspect, a supervisor will look at the evidence")
    assert _has(breach, "released with no further action is not a breach")
    assert "charged" not in breach and "commitanewoffence" not in text.replace("committedanewoffence", "")


def test_a_supervisor_who_accepted_the_time_limit_risk_countersigns_as_such_and_the_navigator_signs():
    countersigned = replace(V2, countersigned_by="Alex Reed", latest_charge_on=date(2027, 4, 1))
    text = _text(_render(countersigned).pdf)
    assert _has(text, "Navigator, who explained this contract to you: Grace Johnson")
    assert _has(text, "Countersigned by Alex Reed, supervisor.")
    assert _has(text, "ends close to the last date on which you could be charged with the offence (1 April 2027)")
    assert _has(text, "The supervisor accepted the risk")
    welsh = _text(_render(replace(countersigned, language="cy")).pdf)
    assert _has(welsh, "Llofnod cydategol: Alex Reed, goruchwyliwr.") and _has(welsh, "(1 Ebrill 2027)")


def test_welsh_contract_phrases_its_own_fixed_parts():
    welsh = replace(
        V2,
        language="cy",
        offences=("Ymosodiad cyffredin", "Difrod troseddol (gwerth £5,000 neu lai)"),
        offence_legislation=(
            "adran 39 o Ddeddf Cyfiawnder Troseddol 1988",
            "adran 1(1) o Ddeddf Difrod Troseddol 1971",
        ),
    )
    rendered = _render(welsh)
    text = _text(rendered.pdf)
    for phrase in [
        "Ymosodiad cyffredin, yn groes i adran 39 o Ddeddf Cyfiawnder Troseddol 1988.",
        "Ar 20 Tachwedd 2026, yn Market Place, Durham.",
        "O 24 Tachwedd 2026 i 24 Mawrth 2027 (4 mis)",
        "Sam Example (wedi'i deipio ar y sgrin)",
        "Llywiwr, a esboniodd y contract hwn i chi: Grace Johnson",
        "Tudalen 1 o",
    ]:
        assert _has(text, phrase), phrase
    for english in ("typed on screen", "contrary to", "signed on the paper copy", "November"):
        assert not _has(text, english), english
    assert PdfReader(io.BytesIO(rendered.pdf)).trailer["/Root"]["/Lang"] == "cy"


def test_page_furniture_is_an_artifact_and_everything_else_hangs_off_the_structure_tree():
    pdf = _render(V2).pdf
    runs, tagged = marked_text(pdf), reachable_mcids(pdf)
    furniture = [run for run in runs if re.fullmatch(r"(Contract CP-26-000123 v1|Page \d of \d)", run.text.strip())]
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert len(furniture) == 2 * pages
    assert {run.tag for run in furniture} == {"/Artifact"}
    content = [run for run in runs if run not in furniture and run.tag != "/Artifact"]
    assert content and all((run.page, run.mcid) in tagged for run in content)
    assert not [run for run in runs if run.tag == "/Artifact" and run not in furniture]


def test_the_details_block_is_a_table_of_labels_each_heading_its_value():
    tree = structure(_render(V2).pdf)
    (details,) = tree.find("/Table")
    rows = details.find("/TR")
    assert [(row.find("/TH")[0].all_text(), row.find("/TD")[0].all_text()) for row in rows] == [
        ("Contract", "CP-26-000123, version 1"),
        ("Crime reference", "DC/4521/26"),
        ("Custody record number", "CR100200"),
        ("Issued by", "Demonstration Constabulary"),
    ]
    for row in rows:
        header, cell = row.find("/TH")[0], row.find("/TD")[0]
        assert [str(h) for h in cell.attributes["/A"]["/Headers"]] == [str(header.attributes["/ID"])]
    listed = " ".join(item.all_text() for item in tree.find("/LI"))
    assert "Crime reference" not in listed  # the labels are no longer list items apart from their values


def test_the_same_contract_renders_to_the_same_bytes():
    assert _render(V2).pdf == _render(V2).pdf
