"""The daily digest: what needs each editor's attention today, e-mailed once a day."""
