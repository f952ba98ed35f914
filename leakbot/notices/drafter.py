"""The real ``Drafter`` the services use: facts from the incident, then the template.

A notice whose template ``requires`` a fact the incident does not have yet (say, a penalty
demand before anyone named an amount) is not drafted; the services try again when a later
step changes the facts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from leakbot.domain.clock import Clock
from leakbot.domain.config import Config, Supplier
from leakbot.domain.evidence import EvidenceItem
from leakbot.domain.incident import Incident
from leakbot.notices.facts import TimelineLike, build_facts
from leakbot.notices.frontmatter import PER_PLATFORM
from leakbot.notices.platforms import platforms
from leakbot.notices.render import NoticeRenderer
from leakbot.operator_errors import ProblemsFound, UserError
from leakbot.services.deps import Draft

#: Front matter ``audience`` of notices addressed to the incident's supplier: these follow the
#: supplier's ``notice_locales``; every other notice is drafted in each locale it has.
SUPPLIER_AUDIENCE = "supplier"


class NoticeDrafter:
    def __init__(
        self, renderer: NoticeRenderer, config: Config, tz: ZoneInfo, clock: Clock
    ) -> None:
        self.renderer = renderer
        self.config = config
        self.tz = tz
        self.clock = clock

    def locales(self, kind: str, supplier: Supplier | None) -> tuple[str, ...]:
        available = self.renderer.kinds().get(kind, ())
        if not available or supplier is None:
            return available
        first = available[0]
        if self.renderer.template(kind, first).front.audience != SUPPLIER_AUDIENCE:
            return available
        wanted = tuple(loc for loc in supplier.notice_locales if loc in available)
        return wanted or available[:1]

    def pulled_by(self, kind: str, locale: str) -> tuple[str, ...]:
        """The roles the template names as allowed to pull it (besides legal and the
        commander); none when the template is gone or broken."""
        try:
            return self.renderer.template(kind, locale).front.pulled_by
        except (UserError, ProblemsFound):
            return ()

    def addressees(self, kind: str, locale: str, incident: Incident) -> tuple[str, ...]:
        """``("",)`` for a notice drafted once; for a template drafted ``one_per: platform``,
        the host of each place the material appeared (none yet: nothing to draft)."""
        if self.renderer.template(kind, locale).front.one_per != PER_PLATFORM:
            return ("",)
        return tuple(p["host"] for p in platforms(incident.facts.where_seen))

    def render(
        self,
        kind: str,
        locale: str,
        incident: Incident,
        timeline: Sequence[TimelineLike],
        evidence: Sequence[EvidenceItem] = (),
        people: Mapping[str, str] | None = None,
        addressee: str = "",
    ) -> Draft | None:
        facts = build_facts(
            incident,
            self.config,
            timeline=timeline,
            tz=self.tz,
            now=self.clock.now(),
            evidence=evidence,
            people=people,
            addressee=addressee,
        )
        if self.renderer.missing(kind, locale, facts):
            return None
        notice = self.renderer.render(kind, locale, facts)
        return Draft(
            kind, locale, notice.title, notice.audience, notice.body_markdown, addressee=addressee
        )
