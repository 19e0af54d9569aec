"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from casework.models.assessments import Assessment, AssessmentDomain, SafeguardingFlag
from casework.models.audit import AuditChainHead, AuditEvent, PendingConsultation
from casework.models.base import Base
from casework.models.breaches import Breach, BreachWarning
from casework.models.calendar_feeds import CalendarFeed
from casework.models.cases import Allocation, Case, CaseNote, CaseOffence, OfferSheetDocument
from casework.models.check_ins import CheckIn, CheckInChange, CheckInConditionNote
from casework.models.completions import CompletionReview
from casework.models.contracts import Condition, ConditionProgress, Contract, ContractDocument
from casework.models.evaluator_exports import EvaluatorExportKey
from casework.models.flags import CaseFlag
from casework.models.letters import CaseLetter
from casework.models.messages import OutboxMessage
from casework.models.notifications import NotificationPreference, StaffNotification
from casework.models.outcomes import CaseOutcome, OutcomeCode
from casework.models.panel_samples import PanelRating, PanelSample, PanelSampleCase
from casework.models.people import Person, PersonMonitoring
from casework.models.referrals import PartnerService, Referral, ReferralUpdate
from casework.models.reminders import Reminder
from casework.models.scheduling import SchedulerHeartbeat, SchedulerLease
from casework.models.schemes import Offence, OffenceInclusion, SchemeSettings
from casework.models.submissions import FormSubmission
from casework.models.supervision import FollowUp, Suspension
from casework.models.teams import Team
from casework.models.throttling import SignInThrottle, UsualSignInPlace
from casework.models.users import PassphraseLink, SignInSession, User, UserRole
from casework.models.victims import ReoffendingFollowUp, VictimRecord, VictimUpdate

__all__ = [
    "Allocation",
    "Assessment",
    "AssessmentDomain",
    "AuditChainHead",
    "AuditEvent",
    "Base",
    "Breach",
    "BreachWarning",
    "CalendarFeed",
    "Case",
    "CaseFlag",
    "CaseLetter",
    "CaseNote",
    "CaseOffence",
    "CaseOutcome",
    "CheckIn",
    "CheckInChange",
    "CheckInConditionNote",
    "CompletionReview",
    "Condition",
    "ConditionProgress",
    "Contract",
    "ContractDocument",
    "EvaluatorExportKey",
    "FollowUp",
    "FormSubmission",
    "NotificationPreference",
    "Offence",
    "OffenceInclusion",
    "OfferSheetDocument",
    "OutboxMessage",
    "OutcomeCode",
    "PanelRating",
    "PanelSample",
    "PanelSampleCase",
    "PartnerService",
    "PassphraseLink",
    "PendingConsultation",
    "Person",
    "PersonMonitoring",
    "Referral",
    "ReferralUpdate",
    "Reminder",
    "ReoffendingFollowUp",
    "SafeguardingFlag",
    "SchedulerHeartbeat",
    "SchedulerLease",
    "SchemeSettings",
    "SignInSession",
    "SignInThrottle",
    "StaffNotification",
    "Suspension",
    "Team",
    "User",
    "UserRole",
    "UsualSignInPlace",
    "VictimRecord",
    "VictimUpdate",
]
