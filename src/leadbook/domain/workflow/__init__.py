"""The sales workflow (docs/workflow.md): notes and activities on a lead, its timeline,
first-response and rotting targets, and the notifications they send."""
