"""Storage: tables (``models``), the engine and migrations (``db``), the unit of work (``uow``)
and one repository per aggregate (``incidents``, ``audit``, ``notices``, ``outbox``)."""
