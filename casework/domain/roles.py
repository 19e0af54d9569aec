"""Roles and the permission matrix (DOMAIN.md §1), as data that services and tests share."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CUSTODY_SERGEANT = "custody_sergeant"
    NAVIGATOR = "navigator"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"
    # Force-level performance reporting (DOMAIN.md §8): every team's figures, no case content.
    PERFORMANCE_LEAD = "performance_lead"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.CUSTODY_SERGEANT: "Custody sergeant",
    Role.NAVIGATOR: "Navigator",
    Role.SUPERVISOR: "Supervisor",
    Role.ADMINISTRATOR: "Administrator",
    Role.PERFORMANCE_LEAD: "Performance lead",
}


class Action(StrEnum):
    """Things a signed-in user may ask to do; each maps to the roles allowed to do it."""

    WORK_IN_CUSTODY = "work_in_custody"
    WORK_CASELOAD = "work_caseload"
    MANAGE_USERS = "manage_users"
    VIEW_TEAM = "view_team"
    READ_AUDIT = "read_audit"
    OPEN_CASE = "open_case"
    SEE_CASE_STATUS = "see_case_status"
    VIEW_CASE = "view_case"
    ACCEPT_REFERRAL = "accept_referral"
    ALLOCATE_CASE = "allocate_case"
    WRITE_CASE_NOTE = "write_case_note"
    CONFIGURE_SCHEME = "configure_scheme"
    DOWNLOAD_OFFER_SHEET = "download_offer_sheet"
    RECORD_CONTACT = "record_contact"
    ASSESS_NEEDS = "assess_needs"
    MANAGE_DIRECTORY = "manage_directory"
    REFER_TO_PARTNER = "refer_to_partner"
    DRAFT_CONTRACT = "draft_contract"
    APPROVE_CONTRACT = "approve_contract"
    TERMINATE_CASE = "terminate_case"
    WITHDRAW_CASE = "withdraw_case"
    RECORD_BREACH = "record_breach"
    ISSUE_WARNING = "issue_warning"
    DECIDE_BREACH = "decide_breach"
    RECORD_PROSECUTION_DECISION = "record_prosecution_decision"
    DOWNLOAD_BREACH_FILE = "download_breach_file"
    SIGN_OFF_COMPLETION = "sign_off_completion"
    WAIVE_CONDITION = "waive_condition"
    RECORD_VICTIM_CONTACT = "record_victim_contact"
    FLAG_FOR_FOLLOW_UP = "flag_for_follow_up"
    VIEW_REPORTS = "view_reports"
    DRAW_PANEL_SAMPLE = "draw_panel_sample"
    EXPORT_FOR_EVALUATORS = "export_for_evaluators"


# Team scoping is applied on top of this table by services.access: a supervisor reads the
# audit trail of their own team only; an administrator (force IT / DPO) reads all of it
# but has no routine access to case content.
PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.WORK_IN_CUSTODY: frozenset({Role.CUSTODY_SERGEANT}),
    Action.WORK_CASELOAD: frozenset({Role.NAVIGATOR}),
    Action.MANAGE_USERS: frozenset({Role.ADMINISTRATOR}),
    Action.VIEW_TEAM: frozenset({Role.SUPERVISOR}),
    Action.READ_AUDIT: frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
    # The custody gate: sergeants, and supervisors who cover it (DOMAIN.md §1).
    Action.OPEN_CASE: frozenset({Role.CUSTODY_SERGEANT, Role.SUPERVISOR}),
    # "That a case exists and its high-level status", for answering questions at the desk.
    Action.SEE_CASE_STATUS: frozenset({Role.CUSTODY_SERGEANT, Role.NAVIGATOR, Role.SUPERVISOR}),
    # The full case record: identity, offences, notes, timeline.
    Action.VIEW_CASE: frozenset({Role.NAVIGATOR, Role.SUPERVISOR}),
    Action.ACCEPT_REFERRAL: frozenset({Role.SUPERVISOR}),
    Action.ALLOCATE_CASE: frozenset({Role.SUPERVISOR}),
    Action.WRITE_CASE_NOTE: frozenset({Role.NAVIGATOR, Role.SUPERVISOR}),
    Action.CONFIGURE_SCHEME: frozenset({Role.ADMINISTRATOR}),
    Action.DOWNLOAD_OFFER_SHEET: frozenset({Role.CUSTODY_SERGEANT, Role.NAVIGATOR, Role.SUPERVISOR}),
    Action.RECORD_CONTACT: frozenset({Role.NAVIGATOR, Role.SUPERVISOR}),
    # Health, drug and abuse detail: the navigator team only (DOMAIN.md §1, §9).
    Action.ASSESS_NEEDS: frozenset({Role.NAVIGATOR, Role.SUPERVISOR}),
    Action.MANAGE_DIRECTORY: frozenset({Role.SUPERVISOR}),
    Action.REFER_TO_PARTNER: frozenset({Role.NAVIGATOR, Role.SUPERVISOR}),
    Action.DRAFT_CONTRACT: frozenset({Role.NAVIGATOR, Role.SUPERVISOR}),
    Action.APPROVE_CONTRACT: frozenset({Role.SUPERVISOR}),
    # Ending a contract route early is a supervisor's decision (DOMAIN.md §1, §3.2).
    Action.TERMINATE_CASE: frozenset({Role.SUPERVISOR}),
    # A case opened by mistake: the sergeant working on an eligibility check, or a supervisor;
    # services.case_endings narrows the sergeant to their own check.
    Action.WITHDRAW_CASE: frozenset({Role.CUSTODY_SERGEANT, Role.SUPERVISOR}),
    # Breaches (DOMAIN.md §1, §7): the navigator records them and gives first-level warnings; only a
    # supervisor decides one, and never one they raised (services check the person as well).
    Action.RECORD_BREACH: frozenset({Role.NAVIGATOR, Role.SUPERVISOR}),
    Action.ISSUE_WARNING: frozenset({Role.NAVIGATOR, Role.SUPERVISOR}),
    Action.DECIDE_BREACH: frozenset({Role.SUPERVISOR}),
    # The police decision maker: a custody sergeant (or above) of the team's force area, or a supervisor.
    Action.RECORD_PROSECUTION_DECISION: frozenset({Role.CUSTODY_SERGEANT, Role.SUPERVISOR}),
    Action.DOWNLOAD_BREACH_FILE: frozenset({Role.CUSTODY_SERGEANT, Role.NAVIGATOR, Role.SUPERVISOR}),
    # Completion is signed off by a supervisor other than the navigator (DOMAIN.md §3.2).
    Action.SIGN_OFF_COMPLETION: frozenset({Role.SUPERVISOR}),
    Action.WAIVE_CONDITION: frozenset({Role.SUPERVISOR}),
    Action.RECORD_VICTIM_CONTACT: frozenset({Role.NAVIGATOR, Role.SUPERVISOR}),
    Action.FLAG_FOR_FOLLOW_UP: frozenset({Role.SUPERVISOR}),
    # Reports (DOMAIN.md §8): a supervisor their own team's, a performance lead every team's
    # (services.report_scope). An administrator sees none of it without the performance lead role.
    Action.VIEW_REPORTS: frozenset({Role.SUPERVISOR, Role.PERFORMANCE_LEAD}),
    Action.DRAW_PANEL_SAMPLE: frozenset({Role.SUPERVISOR, Role.PERFORMANCE_LEAD}),
    Action.EXPORT_FOR_EVALUATORS: frozenset({Role.SUPERVISOR, Role.PERFORMANCE_LEAD}),
}


def roles_allowed(action: Action) -> frozenset[Role]:
    return PERMISSIONS[action]


def home_endpoint(role: Role) -> str:
    """Each role lands on its own page; a user with several roles lands on the first held."""
    return {
        Role.CUSTODY_SERGEANT: "home.custody",
        Role.NAVIGATOR: "home.navigator",
        Role.SUPERVISOR: "home.supervisor",
        Role.ADMINISTRATOR: "home.administrator",
        Role.PERFORMANCE_LEAD: "reports.index",
    }[role]


# Order in which a multi-role user's landing page is chosen: casework first.
ROLE_PRECEDENCE = (Role.NAVIGATOR, Role.SUPERVISOR, Role.CUSTODY_SERGEANT, Role.ADMINISTRATOR, Role.PERFORMANCE_LEAD)
