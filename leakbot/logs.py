"""How leakbot's processes log: one format, a level, and nothing confidential.

leakbot's own log lines name incident refs, step ids and error types, never what people typed.
The libraries under it are less careful: Bolt logs a rejected request (a stale or forged
signature) at INFO with its whole body, its answer at DEBUG with the body it sends back, and
slack_sdk logs every Web API request and response (message text, files) at DEBUG. So every
handler of the root logger gets ``WithholdPayloads``: a record from a library is cut where its
payload starts (``body``, ``payload``, ``message:``, a ``{``…), whatever its level.

SQL parameters never reach a log either: every engine is made with ``hide_parameters=True``
(``leakbot.store.db``), so a database error names the statement but not the values.
"""

from __future__ import annotations

import logging
import re

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: No single line longer than this reaches the log, whoever wrote it.
MAX_MESSAGE = 2000
WITHHELD = "[payload withheld]"

#: Where a library's log line starts to carry a request, a response or a payload.
_PAYLOAD_STARTS = re.compile(
    r"body|payload|message:|params|\bevent\b|\bdata\b|\bheaders?\b|\bresponse\b|\breq\b|"
    r"submission|hooks\.slack|/respond/|[{\[]|b'|b\"",
    re.IGNORECASE,
)
#: slack_sdk's loggers that decide whether to build a DEBUG line (a whole request or response,
#: formatted) from their own level rather than the effective one: left unset (0), they build
#: one for every Web API call and response_url post, and the logger then drops it. Given the
#: level asked for, they build only what will be written.
_FORMATS_BY_OWN_LEVEL = ("slack_sdk.web.base_client", "slack_sdk.webhook.client")
#: leakbot's own loggers, whose lines are written to carry nothing confidential; Bolt's app
#: logger is leakbot's by name only, so it is treated as a library.
_OWN = re.compile(r"^leakbot(\.|$)")
_LIBRARY_UNDER_OWN_NAME = re.compile(r"^leakbot\.bolt")


def _is_library(name: str) -> bool:
    return not _OWN.match(name) or bool(_LIBRARY_UNDER_OWN_NAME.match(name))


def withhold(message: str) -> str:
    """A library's log line up to where its payload begins."""
    found = _PAYLOAD_STARTS.search(message)
    if found is None:
        return message[:MAX_MESSAGE]
    return f"{message[: found.start()].rstrip(' :(=,')} {WITHHELD}"[:MAX_MESSAGE]


class WithholdPayloads(logging.Filter):
    """Cuts the payload off the records of Slack's and other libraries (never drops a
    record), and caps every line at ``MAX_MESSAGE`` characters."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a library's bad format string: keep the template only
            message = str(record.msg)
        if _is_library(record.name):
            message = withhold(message)
        elif len(message) > MAX_MESSAGE:
            message = message[:MAX_MESSAGE]
        record.msg, record.args = message, None
        return True


def configure(level: str) -> None:
    """Log to stderr at ``level`` (a name of ``leakbot.settings.LOG_LEVELS``), payloads withheld."""
    logging.basicConfig(level=getattr(logging, level), format=FORMAT)
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, WithholdPayloads) for f in handler.filters):
            handler.addFilter(WithholdPayloads())
    for name in _FORMATS_BY_OWN_LEVEL:
        logging.getLogger(name).setLevel(getattr(logging, level))
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
    # Its DEBUG lines trace the parser's every state (thousands per notice), nothing useful.
    logging.getLogger("markdown_it").setLevel(max(logging.INFO, root.level))
    # waitress warns "Task queue depth is N" each time a request arrives while no thread is
    # free. leakbot's few threads hold a request for a millisecond or two (it is recorded and
    # acknowledged, nothing more), so in any burst that is nearly every request: a line of
    # noise per request, formatted and written on the acknowledging path (6 % of its
    # processor time under the benchmark's load). Shown at DEBUG only.
    logging.getLogger("waitress.queue").setLevel(
        logging.DEBUG if getattr(logging, level) <= logging.DEBUG else logging.ERROR
    )
