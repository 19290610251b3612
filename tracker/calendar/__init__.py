"""The business-day calendar: one row per date, whether it is a business day, and how many
business days the calendar has counted through it. The clocks on deferral letters are SQL over
this table; `tracker calendar extend` adds years to it."""
