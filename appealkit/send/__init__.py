"""Sign-off and delivery: approvals, letter states, e-mail over SMTP and the sent log."""
