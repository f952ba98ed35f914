"""The worker process of ``leakbot serve`` and ``leakbot socket``.

The process that acknowledges Slack's requests does nothing else that could delay an
acknowledgement: it records each request, acknowledges it and passes it on (``ToWorker``)
over a local line (``link``) to a child process (``child``) that carries it out, drains the
outbox, runs the scheduler and keeps the user groups fresh. ``supervisor`` starts that child,
restarts it if it dies, and stops it with its parent.
"""
