"""Who may do what (CONTRACT §5): every "may this person …" question is answered here.

Pure functions over the actor's roles; the services ask them (and tell the adapters the
answer), so no other module repeats a rule or names a role the rules depend on."""

from __future__ import annotations

from collections.abc import Iterable

from leakbot.domain.errors import NotPermitted
from leakbot.domain.incident import Incident
from leakbot.domain.playbook import COMMANDER, StepSpec

#: The roles the rules themselves name; every other role is the config's and the playbooks'.
LEGAL = "legal"
SECURITY = "security"


def may_act_on_step(step: StepSpec, actor: str, roles: frozenset[str], incident: Incident) -> bool:
    """A person in the step's owner role, or the incident's commander."""
    return actor == incident.commander or (step.owner != COMMANDER and step.owner in roles)


def require_step_actor(
    step: StepSpec, actor: str, roles: frozenset[str], incident: Incident
) -> None:
    if not may_act_on_step(step, actor, roles, incident):
        owner = (
            "the incident's commander" if step.owner == COMMANDER else f"the `{step.owner}` role"
        )
        raise NotPermitted(
            f"Only {owner} or the commander (<@{incident.commander}>) can change "
            f"“{step.title}” in {incident.ref}."
        )


def may_pull_notice(
    actor: str, roles: frozenset[str], incident: Incident, pulled_by: Iterable[str] = ()
) -> bool:
    """Legal and the commander may pull every notice; ``pulled_by`` are the further roles the
    notice's template names (its front matter), e.g. comms for the partner advisory."""
    return actor == incident.commander or LEGAL in roles or bool(roles & set(pulled_by))


def require_notice_puller(
    actor: str,
    roles: frozenset[str],
    incident: Incident,
    pulled_by: Iterable[str] = (),
    what: str = "This notice",
) -> None:
    if not may_pull_notice(actor, roles, incident, pulled_by):
        others = "".join(f", `{r}`" for r in sorted(set(pulled_by) - {LEGAL}))
        raise NotPermitted(
            f"{what} of {incident.ref} is for the `legal` role{others} and the commander only."
        )


def require_notice_reader(
    actor: str, roles: frozenset[str], incident: Incident, pullers: Iterable[str] = ()
) -> None:
    """Listing an incident's notices: for anyone who may pull at least one of them
    (``pullers``: every role some template names)."""
    if not may_pull_notice(actor, roles, incident, pullers):
        raise NotPermitted(
            f"Notices of {incident.ref} are for the `legal` role, the commander and the "
            "roles a notice names only."
        )


def may_approve_notice(roles: frozenset[str]) -> bool:
    """Legal alone approves (freezes) a notice's version."""
    return LEGAL in roles


def require_legal(actor: str, roles: frozenset[str], incident: Incident) -> None:
    if not may_approve_notice(roles):
        raise NotPermitted(f"Only the `legal` role can approve notices of {incident.ref}.")


def require_commander(actor: str, incident: Incident, what: str) -> None:
    if actor != incident.commander:
        raise NotPermitted(
            f"Only the commander of {incident.ref} (<@{incident.commander}>) can {what}."
        )


def is_involved(actor: str, roles: frozenset[str], incident: Incident) -> bool:
    """Reporter, commander, or someone of a role the incident's playbook names."""
    return actor in (incident.reporter, incident.commander) or bool(
        roles & set(incident.playbook.roles)
    )


def may_add_evidence(actor: str, roles: frozenset[str], incident: Incident) -> bool:
    """The incident's commander, or a person of any role its playbook names."""
    return actor == incident.commander or bool(roles & set(incident.playbook.roles))


def require_evidence_adder(actor: str, roles: frozenset[str], incident: Incident) -> None:
    if not may_add_evidence(actor, roles, incident):
        raise NotPermitted(
            f"Evidence of {incident.ref} is added by the people of its roles and the "
            f"commander (<@{incident.commander}>) only."
        )


def may_see_evidence(actor: str, roles: frozenset[str], incident: Incident) -> bool:
    """Legal, security and the commander (CONTRACT §5)."""
    return actor == incident.commander or bool(roles & {LEGAL, SECURITY})


def require_evidence_reader(actor: str, roles: frozenset[str], incident: Incident) -> None:
    if not may_see_evidence(actor, roles, incident):
        raise NotPermitted(
            f"The evidence and the dossier of {incident.ref} are for the `legal` and "
            "`security` roles and the commander only."
        )
