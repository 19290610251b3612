"""An e-mail dated outside the tracker's dates (a sender's clock left at 1970) is refused whole,
with a reason, instead of failing when its received date reaches the database."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.correspondence.support import on_jan_20, sample


@pytest.mark.parametrize(
    "date", ["Thu, 01 Jan 1970 00:00:00 +0000", "Fri, 31 Dec 2110 12:00:00 +0000"]
)
def test_an_email_dated_outside_the_range_is_refused(app_context, date):
    from tracker.correspondence.intake import take_in
    from tracker.correspondence.models import IntakeDraft
    from tracker.correspondence.parsing import MessageRefused
    from tracker.extensions import db

    data = re.sub(rb"(?m)^Date: .*$", f"Date: {date}".encode(), sample("multipart_alternative.eml"))
    with on_jan_20(), pytest.raises(MessageRefused) as refused:
        take_in(data, "old.eml")
    assert "old.eml: it is dated" in refused.value.message
    assert "outside the dates the tracker keeps (2000-01-01 to 2100-12-31)" in refused.value.message
    assert db.session.scalar(select(func.count()).select_from(IntakeDraft)) == 0
