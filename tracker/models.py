"""Imports every feature's models so the metadata is complete (Alembic, create_all, tests)."""

from tracker.access import Role
from tracker.audit.models import AuditEvent
from tracker.auth.models import User
from tracker.briefings.models import (
    Briefing,
    BriefingKind,
    BriefingVersion,
    briefing_jurisdiction,
    briefing_state,
    briefing_version_jurisdiction,
    briefing_version_state,
)
from tracker.calendar.models import CalendarDay
from tracker.corrections.models import Correction
from tracker.correspondence.models import Correspondence, IntakeDraft
from tracker.deferrals.models import (
    Attachment,
    DeferralNote,
    DeferralRequest,
    DeferralRequestVersion,
)
from tracker.digest.models import DigestDelivery
from tracker.exports.models import ExportRecord, Release, ReleaseFile
from tracker.outcomes.models import (
    MonthlyStatistics,
    PublishedQuarter,
    ReviewDisposition,
)
from tracker.plan.models import Activation, PlanChange, PlanChangeKind
from tracker.registry.models import Jurisdiction, JurisdictionKind, State, StateKind, StateVersion

__all__ = [
    "Activation",
    "Attachment",
    "AuditEvent",
    "Briefing",
    "BriefingKind",
    "BriefingVersion",
    "CalendarDay",
    "Correction",
    "Correspondence",
    "DeferralNote",
    "DeferralRequest",
    "DeferralRequestVersion",
    "DigestDelivery",
    "ExportRecord",
    "IntakeDraft",
    "Jurisdiction",
    "JurisdictionKind",
    "MonthlyStatistics",
    "PlanChange",
    "PlanChangeKind",
    "PublishedQuarter",
    "Release",
    "ReleaseFile",
    "ReviewDisposition",
    "Role",
    "State",
    "StateKind",
    "StateVersion",
    "User",
    "briefing_jurisdiction",
    "briefing_state",
    "briefing_version_jurisdiction",
    "briefing_version_state",
]
