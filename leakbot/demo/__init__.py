"""``leakbot demo``: the whole leak response with no Slack account (SQLite and the stand-in)."""

from leakbot.demo.story import run_demo

__all__ = ["run_demo"]
