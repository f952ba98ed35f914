"""Owed Slack work, performed: one module for each thing leakbot does in Slack after a change
is committed (``leakbot.slack.effects.SlackEffects`` picks the performer of an outbox item's
kind). Each performer reads and records through services, never the store, and is safe to
repeat: progress is recorded as it is made, and posts are looked for before being posted again
(``leakbot.slack.posting``)."""
