"""The "as of" rule (DESIGN §2): every jurisdiction's status on a date, and the figures built on it."""
