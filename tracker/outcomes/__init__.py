"""Outcomes after activation: monthly statistics, their totals, and the quarterly review."""
