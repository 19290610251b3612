"""/readiness: whether each upcoming activation has had its briefings and no open letter, and the
activations that went ahead without a briefing. Composes briefings, letters and the status rule."""
