"""Getting messages to Slack: the outbox (queue, claim, send exactly once) and the pacer that
keeps it under Slack's rate limits. Above the services and rendering: a failed message is told to
the program's admins, rendered here."""
