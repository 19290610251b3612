"""/states: every state's progress on a date, and each state's page (bureau, agreement,
jurisdictions, briefings), composed from the registry, the letters, the briefings and the status
rule."""
