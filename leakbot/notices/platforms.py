"""Where the material appeared, by platform: one takedown request goes to each host."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit


def host_of(url: str) -> str:
    """``https://Forum.Example:443/t/1`` → ``forum.example``; the URL itself when it has none."""
    host = urlsplit(url.strip()).hostname
    return host.lower() if host else url.strip()


def platforms(urls: Iterable[str]) -> list[dict[str, Any]]:
    """``[{host, urls}]``, one per host, in the order the hosts were first reported."""
    found: dict[str, list[str]] = {}
    for url in urls:
        found.setdefault(host_of(url), []).append(url)
    return [{"host": host, "urls": listed} for host, listed in found.items()]
