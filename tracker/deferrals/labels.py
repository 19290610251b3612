"""How the deferral enumerations read to people, and which statuses are open."""

from __future__ import annotations

from tracker.deferrals.models import (
    AddressedTo,
    Channel,
    DeferralStatus,
    RequestKind,
    Resolution,
)

OPEN_STATUSES = (
    DeferralStatus.RECEIVED,
    DeferralStatus.MEETING_REQUESTED,
    DeferralStatus.MEETING_HELD,
)
CLOSED_STATUSES = (DeferralStatus.RESOLVED, DeferralStatus.WITHDRAWN)

STATUS_LABELS = {
    DeferralStatus.RECEIVED: "Received",
    DeferralStatus.MEETING_REQUESTED: "Meeting requested",
    DeferralStatus.MEETING_HELD: "Meeting held",
    DeferralStatus.RESOLVED: "Resolved",
    DeferralStatus.WITHDRAWN: "Withdrawn",
}
RESOLUTION_LABELS = {
    Resolution.DATE_ADJUSTED: "Date adjusted",
    Resolution.REMOVED_FROM_PLAN: "Removed from plan",
    Resolution.PROCEEDS_AS_SCHEDULED: "Proceeds as scheduled",
    Resolution.WITHDRAWN: "Withdrawn",
}
KIND_LABELS = {
    RequestKind.DEFER: "Defer activation to a date",
    RequestKind.NOT_ACTIVATE: "Not activate at all",
    RequestKind.NOT_RECEIVE_RESULTS: "Not receive identification results",
}
CHANNEL_LABELS = {Channel.EMAIL: "E-mail", Channel.LETTER: "Letter", Channel.FAX: "Fax"}
ADDRESSED_LABELS = {
    AddressedTo.SIB: "State identification bureau",
    AddressedTo.OFFICE: "Program office",
    AddressedTo.BOTH: "Both",
}
