"""What every use case needs, built once by ``leakbot.bootstrap``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from leakbot.domain.clock import Clock
from leakbot.domain.config import Config, Supplier
from leakbot.domain.evidence import DEFAULT_MAX_BYTES, EvidenceItem
from leakbot.domain.incident import Incident
from leakbot.domain.playbook import Playbook
from leakbot.domain.rules import Context
from leakbot.services.directory import Directory
from leakbot.services.storage import IncidentPeek, IntentLog, UnitOfWork


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    actor: str
    action: str
    subject: str
    after: object = None  # what the entry recorded as the new state (e.g. a notice's version)


@dataclass(frozen=True)
class Draft:
    kind: str
    locale: str
    title: str
    audience: str
    body: str
    addressee: str = ""  # the recipient of this copy when a kind goes to several (a host)


@dataclass(frozen=True)
class Frame:
    """What never changes in an incident once it is open."""

    playbook: Playbook
    supplier_id: str | None


class Drafter(Protocol):
    """Renders notices; ``leakbot.notices`` provides the real one."""

    def locales(self, kind: str, supplier: Supplier | None) -> tuple[str, ...]: ...

    def addressees(self, kind: str, locale: str, incident: Incident) -> tuple[str, ...]:
        """``("",)`` for a notice drafted once; the hosts for one drafted per platform."""
        ...

    def render(
        self,
        kind: str,
        locale: str,
        incident: Incident,
        timeline: Sequence[TimelineItem],
        evidence: Sequence[EvidenceItem] = (),
        people: Mapping[str, str] | None = None,
        addressee: str = "",
    ) -> Draft | None:
        """The draft, or None when a fact it needs is missing (e.g. no penalty amount yet).
        ``evidence`` is cited (what, where, when seen, hashes), never attached; ``people``: the
        names known for user ids (read from the database, never from Slack)."""
        ...

    def pulled_by(self, kind: str, locale: str) -> tuple[str, ...]:
        """Roles besides legal and the commander that may pull this notice."""
        ...


class FrameCache:
    """Incident number -> its ``Frame``, filled as incidents are read (they never change);
    shared by every ``Deps`` made from the same one."""

    def __init__(self) -> None:
        self._frames: dict[int, Frame] = {}

    def get(self, number: int) -> Frame | None:
        return self._frames.get(number)

    def put(self, number: int, frame: Frame) -> Frame:
        self._frames[number] = frame
        return frame


@dataclass(frozen=True)
class Deps:
    """Built once by ``leakbot.bootstrap`` and never changed; a variant (the request path's
    engine, the Slack side's wiring) is a copy (``dataclasses.replace``)."""

    uow: Callable[[], UnitOfWork]
    config: Config
    playbooks: Mapping[str, Playbook]
    directory: Directory
    clock: Clock
    tz: ZoneInfo
    #: what the storage raises when the database fails (unreachable, locked, out of disk):
    #: the Slack edge tells the person nothing was done, and an intent waits to be retried
    storage_errors: tuple[type[Exception], ...]
    #: the inbox's bookkeeping outside any unit of work (intents recorded and settled in
    #: batches)
    intents: IntentLog
    drafter: Drafter | None = None
    #: called after each commit that recorded Slack work, to get it done now
    after_commit: Callable[[], None] = field(default=lambda: None)
    #: seconds a claimed outbox item stays this process's before another may take it over
    outbox_lease_seconds: int = 120
    #: a unit of work for reads only (on SQLite it does not queue behind writers)
    reader: Callable[[], UnitOfWork] | None = None
    #: the largest evidence file kept, in bytes
    evidence_max_bytes: int = DEFAULT_MAX_BYTES

    #: incidents read outside any unit of work, for the checks on the hot path
    peek: IncidentPeek | None = None

    frames: FrameCache = field(default_factory=FrameCache)

    def read(self) -> UnitOfWork:
        return (self.reader or self.uow)()

    def incident(self, number: int) -> Incident:
        """The incident as it stands, for a check that writes nothing (``NotFound`` if none):
        the one read each click asks before its modal opens or its refusal is told."""
        if self.peek is not None:
            return self.peek.get(number)
        with self.read() as uow:
            return uow.incidents.get(number)

    def context(self, incident: Incident | None = None, supplier_id: str | None = None) -> Context:
        sid = incident.facts.supplier_id if incident is not None else supplier_id
        supplier = self.config.supplier(sid)
        days: dict[str, int] = {}
        if supplier and supplier.contract and supplier.contract.rectification_days is not None:
            days["rectification_days"] = supplier.contract.rectification_days
        return Context(now=self.clock.now(), tz=self.tz, contract_days=days)
