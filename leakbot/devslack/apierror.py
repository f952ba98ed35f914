"""The error answer of a Web API method, raised deep in a method and answered once by the server."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Slack's ``{"ok": false, "error": code}``, with any extra keys Slack adds (``errors``)."""

    def __init__(self, code: str, **extra: Any) -> None:
        super().__init__(code)
        self.code = code
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.code, **self.extra}
