"""What only shows when the config, the playbooks and the templates are read together.

Each file can be valid on its own and still not work with the others: a supplier whose notices
are to be drafted in a language that has no templates, a role no step needs. (A role a step
needs and the config lacks is ``loading.config.check_roles``.) Each problem is reported in the
file the operator has to change, at its line, with the likely fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from leakbot.domain.config import Config
from leakbot.domain.playbook import Playbook
from leakbot.operator_errors import Problem

#: Problems that do not stop leakbot start with this word.
WARNING = "warning:"


def unused_role_warnings(config: Config, playbooks: Iterable[Playbook]) -> list[Problem]:
    """Roles in the config that no step of any playbook is owned by (a warning only)."""
    books = list(playbooks)
    owned = {s.owner for p in books for s in p.steps}
    missing = [s.owner for p in books for s in p.steps if s.owner not in config.roles]
    return [
        Problem(
            config.source or "config",
            config.lines.get(f"roles.{role}"),
            f"roles.{role}",
            f"{WARNING} no playbook step is owned by this role, so its people are never invited",
        )
        for role in config.roles
        if role not in owned and not difflib.get_close_matches(role, missing, n=1)
    ]


def locale_problems(
    config: Config, playbooks: Iterable[Playbook], templates_dir: Path
) -> list[Problem]:
    """Every language a supplier's notices are to be drafted in has a template for each
    supplier notice the playbooks draft; a language with no templates at all is named so."""
    from babel import Locale, UnknownLocaleError

    from leakbot.notices.drafter import SUPPLIER_AUDIENCE
    from leakbot.notices.frontmatter import SUFFIX
    from leakbot.notices.render import NoticeRenderer

    if not Path(templates_dir).is_dir():
        return []  # said already, by the playbook check
    renderer = NoticeRenderer(templates_dir)
    kinds = renderer.kinds()
    drafted: dict[str, str] = {}  # kind -> where a step drafts it
    for playbook in playbooks:
        for step in playbook.steps:
            for kind in step.notices:
                drafted.setdefault(kind, f"{playbook.source or playbook.id}:{step.line}")
    for_suppliers = {}
    for kind, where in drafted.items():
        locales = kinds.get(kind, ())
        if locales and renderer.template(kind, locales[0]).front.audience == SUPPLIER_AUDIENCE:
            for_suppliers[kind] = where
    all_locales = sorted({loc for locs in kinds.values() for loc in locs})
    file = config.source or "config"
    problems: list[Problem] = []
    for index, supplier in enumerate(config.suppliers):
        explicit = f"suppliers[{index}].notice_locales" in config.lines
        for n, locale in enumerate(supplier.notice_locales):
            if explicit:
                key = f"suppliers[{index}].notice_locales[{n}]"
            else:  # the default: en, and zh when the supplier has a Chinese name
                key = f"suppliers[{index}].name_zh" if locale == "zh" else f"suppliers[{index}]"
            line = config.lines.get(key) or config.lines.get(f"suppliers[{index}]")
            try:
                Locale.parse(locale.replace("-", "_"))
            except (UnknownLocaleError, ValueError):
                problems.append(Problem(file, line, key, f"'{locale}' is not a known locale"))
                continue
            if locale not in all_locales:
                there = ", ".join(all_locales) or "none"
                problems.append(
                    Problem(
                        file,
                        line,
                        key,
                        f"no notice templates in '{locale}' in {templates_dir} (there are: "
                        f"{there}); add <kind>.{locale}{SUFFIX} files or remove '{locale}'",
                    )
                )
                continue
            for kind, where in sorted(for_suppliers.items()):
                if locale not in kinds.get(kind, ()):
                    problems.append(
                        Problem(
                            file,
                            line,
                            key,
                            f"{supplier.id}'s notices are drafted in '{locale}' but "
                            f"{kind}.{locale}{SUFFIX} is not in {templates_dir} (a step at "
                            f"{where} drafts {kind})",
                        )
                    )
    return problems
