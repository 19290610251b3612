"""Letters dated outside the tracker's dates are refused by the service itself, every problem at
once (the form refuses them too: tests/security/test_date_range.py)."""

from __future__ import annotations

import pytest

from tests.deferrals.samples import letter_fields
from tests.factories import D
from tracker.deferrals.letters import InvalidRequest, log_request


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"letter_date": D("1999-12-31")}, "letter_date", "Letter date 1999-12-31 is outside"),
        ({"received_on": D("1999-12-31"), "letter_date": D("1999-12-30")}, "received_on",
         "Received on 1999-12-31 is outside"),
        ({"requested_date": D("2101-01-01")}, "requested_date", "Requested date 2101-01-01"),
    ],
)  # fmt: skip
def test_a_letter_dated_before_or_after_the_range_is_refused(app_context, changes, field, message):
    with pytest.raises(InvalidRequest) as caught:
        log_request(**letter_fields(**changes))
    assert message in caught.value.errors[field]
    assert "(2000-01-01 to 2100-12-31)" in caught.value.errors[field]
