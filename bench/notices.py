"""Figure 5: notices rendered per second on one thread, and the time to build one Word file.

Each notice is drafted as the services draft it (``NoticeDrafter``: facts built from the
incident, the template's requirements checked, the template rendered), for the seed case.
"""

from __future__ import annotations

import time
from datetime import datetime

from bench.figures import Figure, median, ms
from leakbot.loading.paths import bundled_templates_dir
from leakbot.notices.docx import LetterInfo, markdown_to_docx
from leakbot.notices.drafter import NoticeDrafter
from leakbot.notices.render import NoticeRenderer
from leakbot.notices.sample import (
    SAMPLE_NOW,
    SAMPLE_TZ,
    SEED_CONFIG,
    SEED_SUPPLIER,
    seed_incident,
    seed_timeline,
)

RATE_GOAL = 500  # notices a second


class _Frozen:
    def now(self) -> datetime:
        return SAMPLE_NOW


def run(seconds: float, docx_builds: int) -> list[Figure]:
    drafter = NoticeDrafter(
        NoticeRenderer(bundled_templates_dir()), SEED_CONFIG, SAMPLE_TZ, _Frozen()
    )
    incident = seed_incident()
    timeline = seed_timeline(incident)
    wanted = [
        (kind, locale, to)
        for kind in drafter.renderer.kinds()
        for locale in drafter.locales(kind, SEED_SUPPLIER)
        for to in drafter.addressees(kind, locale, incident)
    ]
    drafts = [
        drafter.render(kind, locale, incident, timeline, addressee=to)
        for kind, locale, to in wanted
    ]
    rendered = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        for kind, locale, to in wanted:
            if drafter.render(kind, locale, incident, timeline, addressee=to) is not None:
                rendered += 1
    rate = rendered / (time.perf_counter() - started)

    longest = max((d for d in drafts if d is not None), key=lambda d: len(d.body))
    letter = LetterInfo(
        locale=longest.locale,
        title=longest.title,
        subject=longest.title,
        author=SEED_CONFIG.company.name,
        drafted_at=SAMPLE_NOW,
        draft=True,
    )
    builds: list[float] = []
    for _ in range(docx_builds):
        t0 = time.perf_counter()
        markdown_to_docx(longest.body, letter)
        builds.append(time.perf_counter() - t0)
    return [
        Figure(
            "notices.per_second",
            "Markdown notices drafted per second (one thread)",
            round(rate),
            "/s",
            f"≥ {RATE_GOAL}/s",
            rate >= RATE_GOAL,
            f"{len(wanted)} notices of the seed case, {rendered} drafted in {seconds:g} s",
        ),
        Figure(
            "notices.docx",
            "one Word file built (median)",
            ms(median(builds)),
            "ms",
            "shown only",
            None,
            f"the longest seed notice ({longest.kind}, {longest.locale}), {len(builds)} builds",
        ),
    ]
