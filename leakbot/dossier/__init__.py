"""The dossier: one zip with an incident's evidence, notices, audit chain and timeline, and
the SHA-256 of every file, checkable offline (``leakbot dossier verify``)."""
