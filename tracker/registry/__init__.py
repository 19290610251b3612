"""The national registry: every state, DC and territory and every county equivalent (Census), and
the state identification bureaus and agreements staff keep up to date."""
