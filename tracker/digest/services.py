"""The daily digest: each editor's one e-mail a day about what needs the office's attention.

What it lists, for a day D: deferral letters open on D that are overdue or urgent (the letter
clocks), activations due from D to D + 7 days that are not ready (the readiness report), and
e-mails waiting as drafts. Who gets it: every active account that may act on them, editors and
administrators. Once a day: a delivery is recorded per person and day (unique), so running the
command again on the same day sends nothing new; a person whose message the server refused is
not recorded and is tried again on the next run. Nothing is sent on a day with nothing to list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from tracker import mail
from tracker.access import Role
from tracker.audit.services import record
from tracker.auth.models import User
from tracker.correspondence.intake import waiting_drafts
from tracker.correspondence.models import IntakeDraft
from tracker.db import utcnow
from tracker.deferrals.log import LogRow, running_late
from tracker.digest.models import DigestDelivery
from tracker.extensions import db
from tracker.formatting import long_date
from tracker.readiness.services import ReadinessRow, readiness_report

DIGEST_DAYS = 7
RECIPIENT_ROLES = (Role.EDITOR, Role.ADMIN)


@dataclass(frozen=True)
class Digest:
    day: dt.date
    days: int
    letters: tuple[LogRow, ...]  # overdue or urgent on the day
    not_ready: tuple[ReadinessRow, ...]
    drafts: tuple[IntakeDraft, ...]

    @property
    def item_count(self) -> int:
        return len(self.letters) + len(self.not_ready) + len(self.drafts)

    @property
    def subject(self) -> str:
        return (
            f"Activation Tracker digest for {long_date(self.day)}: "
            f"{len(self.letters)} letters overdue or urgent, {len(self.not_ready)} activations "
            f"not ready, {len(self.drafts)} e-mails waiting"
        )


def compose(day: dt.date) -> Digest:
    """What the digest lists on `day` (the same for every recipient)."""
    report = readiness_report(day, days=DIGEST_DAYS)
    return Digest(
        day=day,
        days=DIGEST_DAYS,
        letters=tuple(running_late(day)),
        not_ready=report.not_ready,
        drafts=tuple(draft for draft in waiting_drafts() if draft.received_on <= day),
    )


def recipients() -> list[User]:
    """Active editors and administrators, by e-mail address."""
    statement = (
        select(User)
        .where(User.active.is_(True), User.role.in_(RECIPIENT_ROLES))
        .order_by(User.email)
    )
    return list(db.session.scalars(statement))


def already_sent(user: User, day: dt.date) -> bool:
    return bool(
        db.session.scalar(
            select(DigestDelivery.id).where(
                DigestDelivery.user_id == user.id, DigestDelivery.day == day
            )
        )
    )


def digest_text(digest: Digest, user: User) -> str:
    """The message's text, from templates/digest/digest.txt (rendered without a request: the
    command runs from cron)."""
    template = current_app.jinja_env.get_template("digest/digest.txt")
    return template.render(digest=digest, user=user)


def deliver(digest: Digest, user: User) -> DigestDelivery:
    """E-mail `digest` to `user` and record the delivery (flushed; the command commits).

    Raises MailError when the server does not take it; nothing is recorded then.
    """
    outgoing = mail.build_message(
        to=[user.email], subject=digest.subject, body=digest_text(digest, user), sent_at=utcnow()
    )
    delivery = DigestDelivery(
        user_id=user.id,
        day=digest.day,
        message_id=outgoing.message_id,
        item_count=digest.item_count,
    )
    db.session.add(delivery)
    db.session.flush()
    record(
        "digest.send",
        "user",
        user.id,
        after={"day": digest.day, "message_id": outgoing.message_id, "items": digest.item_count},
    )
    db.session.flush()
    mail.send(outgoing)
    return delivery
