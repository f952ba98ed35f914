"""Who holds which role: the config's users, plus the members of its Slack user groups.

Group members come from a function given at wiring time (Slack's ``usergroups.users.list``).
They are loaded when the process starts and kept fresh in the background: a request uses the
membership it has (even if a few minutes old) and never waits for Slack, except for a group
it has never been able to load. A directory without that function (the acknowledging process
of ``leakbot serve``) is told the members by whoever reads them (``learn``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

from leakbot.domain.config import Config

log = logging.getLogger(__name__)

#: Returns the user IDs of a group; raises LookupError when Slack cannot tell.
GroupExpander = Callable[[str], Sequence[str]]
#: Told each group's members as they are read.
OnLearn = Callable[[str, tuple[str, ...]], None]


def is_group(member: str) -> bool:
    return member.startswith("S")


class Directory:
    def __init__(
        self,
        config: Config,
        expand_group: GroupExpander | None = None,
        ttl: float = 300.0,
        on_learn: OnLearn | None = None,
    ) -> None:
        self._config = config
        self._expand = expand_group
        self._ttl = ttl
        self._cache: dict[str, tuple[float, tuple[str, ...]]] = {}
        self._refreshing: set[str] = set()
        self._lock = threading.Lock()
        #: told each group's members whenever they are read
        self.on_learn = on_learn

    # --- group membership ----------------------------------------------------------------
    def groups(self) -> tuple[str, ...]:
        return tuple(
            dict.fromkeys(m for ms in self._config.roles.values() for m in ms if is_group(m))
        )

    def _fetch(self, group_id: str) -> tuple[str, ...]:
        assert self._expand is not None
        users = tuple(self._expand(group_id))
        self.learn(group_id, users)
        return users

    def learn(self, group_id: str, users: Sequence[str]) -> None:
        """Keep ``users`` as the members of ``group_id``, read just now."""
        members = tuple(users)
        with self._lock:
            self._cache[group_id] = (time.monotonic(), members)
        if self.on_learn is not None:
            self.on_learn(group_id, members)

    def _group(self, group_id: str, strict: bool = False) -> tuple[str, ...]:
        with self._lock:
            hit = self._cache.get(group_id)
        if self._expand is None:
            return hit[1] if hit is not None else ()
        if hit is None:
            try:
                return self._fetch(group_id)
            except LookupError as e:
                if strict:
                    raise
                log.warning("could not read user group %s: %s", group_id, e)
                return ()
        if time.monotonic() - hit[0] >= self._ttl:
            self._refresh_later(group_id)
        return hit[1]

    def _refresh_later(self, group_id: str) -> None:
        with self._lock:
            if group_id in self._refreshing:
                return
            self._refreshing.add(group_id)

        def refresh() -> None:
            try:
                self._fetch(group_id)
            except LookupError as e:
                log.warning("could not refresh user group %s: %s", group_id, e)
            finally:
                with self._lock:
                    self._refreshing.discard(group_id)

        threading.Thread(target=refresh, name=f"group-{group_id}", daemon=True).start()

    def warm(self) -> None:
        """Load every group the config names (at start, off the request path)."""
        for group_id in self.groups():
            try:
                self._fetch(group_id)
            except LookupError as e:
                log.warning("could not read user group %s: %s", group_id, e)

    def expire(self) -> None:
        """Treat every membership as old: the next use refreshes it in the background."""
        with self._lock:
            self._cache = {g: (float("-inf"), users) for g, (_, users) in self._cache.items()}

    # --- roles ---------------------------------------------------------------------------
    def members(self, role: str, strict: bool = False) -> tuple[str, ...]:
        """Every user of ``role``, groups expanded, in config order, without repeats.
        With ``strict``, a group that cannot be read raises LookupError instead of counting
        as empty (inviting people must not silently skip a group)."""
        seen: dict[str, None] = {}
        for member in self._config.members(role):
            for user in self._group(member, strict) if is_group(member) else (member,):
                seen.setdefault(user)
        return tuple(seen)

    def roles_of(self, user_id: str) -> frozenset[str]:
        return frozenset(role for role in self._config.roles if user_id in self.members(role))
