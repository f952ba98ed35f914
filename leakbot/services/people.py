"""People's names for notices: learnt from Slack after the fact, kept in the database.

A use case that records what someone did asks, in its own transaction, for the names it does
not know yet (or knows from long ago); the outbox looks them up with ``users.info`` after the
commit. Notices are drafted from the names in the database: drafting never waits for Slack.
The scheduler refreshes old names now and then and learns the names of the config's people.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from leakbot.services.deps import Deps
from leakbot.services.owed_work import Effect, PersonLookup
from leakbot.services.storage import UnitOfWork

#: A name is looked up again once it is this old.
FRESH_FOR = timedelta(days=7)
#: A lookup that has not answered yet is not owed twice within this time.
RETRY_AFTER = timedelta(hours=1)
#: Ids that are not Slack users (the scheduler's own actions are recorded as ``leakbot``).
NOT_PEOPLE = frozenset({"", "leakbot", "cli"})


def is_person(user_id: str) -> bool:
    return user_id not in NOT_PEOPLE and user_id[:1] in ("U", "W")


def learn_names(uow: UnitOfWork, deps: Deps, user_ids: Iterable[str]) -> int:
    """Owe a ``users.info`` lookup for each of ``user_ids`` whose name is missing or old;
    returns how many were owed. In the caller's transaction."""
    wanted = [u for u in dict.fromkeys(user_ids) if is_person(u)]
    now = deps.clock.now()
    owed = uow.people.claim_lookups(wanted, now, FRESH_FOR, RETRY_AFTER)
    for user_id in owed:
        uow.outbox.add(Effect.LOOKUP_PERSON.value, PersonLookup(user=user_id), at=now)
    return len(owed)


def remember_name(deps: Deps, user_id: str, name: str | None) -> None:
    """What Slack said about ``user_id`` (None: it knows no such person)."""
    with deps.uow() as uow:
        uow.people.remember(user_id, name, deps.clock.now())
        uow.commit()


def names(uow: UnitOfWork, user_ids: Iterable[str]) -> dict[str, str]:
    return uow.people.names(u for u in user_ids if is_person(u))


def refresh_names(deps: Deps, limit: int = 100) -> int:
    """The scheduler's job: learn the names of the config's people and refresh old ones.
    Group members are those the directory already knows (it never waits for Slack here)."""
    members = [u for role in deps.config.roles for u in deps.directory.members(role)]
    with deps.uow() as uow:
        old = uow.people.stale(deps.clock.now(), FRESH_FOR, limit)
        owed = learn_names(uow, deps, [*members, *old])
        uow.commit()
    if owed:
        deps.after_commit()
    return owed
