"""Corrections and the second time axis: every fact's `recorded_at`, the append-only correction
record, the versions kept of mutable records, and what was in force at a moment ("known at")."""
