"""Who holds which role: the config's users, plus the members of its Slack user groups.

Group members come from a function given at wiring time (Slack's ``usergroups.users.list``)
and are cached, so a click does not wait for Slack more than once every few minutes.
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


def is_group(member: str) -> bool:
    return member.startswith("S")


class Directory:
    def __init__(
        self, config: Config, expand_group: GroupExpander | None = None, ttl: float = 300.0
    ) -> None:
        self._config = config
        self._expand = expand_group
        self._ttl = ttl
        self._cache: dict[str, tuple[float, tuple[str, ...]]] = {}
        self._lock = threading.Lock()

    def _group(self, group_id: str) -> tuple[str, ...]:
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(group_id)
            if hit and now - hit[0] < self._ttl:
                return hit[1]
        if self._expand is None:
            return ()
        try:
            users = tuple(self._expand(group_id))
        except LookupError as e:  # a group we cannot read grants nothing
            log.warning("could not read user group %s: %s", group_id, e)
            return hit[1] if hit else ()
        with self._lock:
            self._cache[group_id] = (now, users)
        return users

    def members(self, role: str) -> tuple[str, ...]:
        """Every user of ``role``, groups expanded, in config order, without repeats."""
        seen: dict[str, None] = {}
        for member in self._config.members(role):
            for user in self._group(member) if is_group(member) else (member,):
                seen.setdefault(user)
        return tuple(seen)

    def roles_of(self, user_id: str) -> frozenset[str]:
        return frozenset(role for role in self._config.roles if user_id in self.members(role))
