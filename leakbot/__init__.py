"""leakbot: run the response to a leak of confidential material by a supplier, in Slack."""

__version__ = "0.1.0"
