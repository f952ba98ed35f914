"""Checking a dossier offline, with no database: every file against its SHA-256, the audit
chain from its first entry to the head named in the manifest, and every evidence file's hash
named in the chain. Problems come back in words, the first one first."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from leakbot.domain.audit import AuditEntry, verify_chain
from leakbot.dossier.names import AUDIT, FORMAT, MANIFEST, SUMS, UNLISTED, read_audit_line


def _chain(
    z: zipfile.ZipFile, names: set[str], manifest: dict[str, Any]
) -> tuple[list[str], list[AuditEntry]]:
    if AUDIT not in names:
        return [f"{AUDIT} is missing from the dossier"], []
    entries: list[AuditEntry] = []
    for line_no, line in enumerate(z.read(AUDIT).decode("utf-8", "replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entries.append(read_audit_line(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            return [f"{AUDIT}: line {line_no} is not an audit entry"], entries
    audit = manifest.get("audit") or {}
    problems = verify_chain(entries, audit.get("head"), int(audit.get("count") or 0))
    return [f"{AUDIT}: {p}" for p in problems], entries


def _hashes_in_chain(entries: list[AuditEntry]) -> set[str]:
    found: set[str] = set()
    for e in entries:
        if e.action == "evidence.added" and isinstance(e.after, dict):
            for f in e.after.get("files") or []:
                if isinstance(f, dict) and f.get("sha256"):
                    found.add(str(f["sha256"]))
    return found


def verify_dossier(path: Path) -> list[str]:
    """Empty when the dossier is intact."""
    try:
        z = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        return [f"{path} is not a readable zip ({type(e).__name__})"]
    with z:
        names = set(z.namelist())
        if MANIFEST not in names:
            return [f"{MANIFEST} is missing from the dossier"]
        try:
            manifest = json.loads(z.read(MANIFEST))
        except ValueError:
            return [f"{MANIFEST} is not valid JSON"]
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            return [f"{MANIFEST} is not a leakbot dossier manifest ({FORMAT})"]
        problems, entries = _chain(z, names, manifest)
        listed: dict[str, dict[str, Any]] = {
            str(f.get("path")): f for f in manifest.get("files") or [] if isinstance(f, dict)
        }
        for name, f in listed.items():
            if name not in names:
                problems.append(f"{name} is missing from the dossier")
                continue
            content = z.read(name)
            if hashlib.sha256(content).hexdigest() != f.get("sha256"):
                problems.append(f"{name} does not match its SHA-256 in {MANIFEST}")
            elif len(content) != f.get("size"):
                problems.append(f"{name} does not have the size {MANIFEST} gives")
        in_chain = _hashes_in_chain(entries)
        for name, f in listed.items():
            if name.startswith("evidence/") and f.get("sha256") not in in_chain:
                problems.append(f"{name}: its SHA-256 is not named in the audit chain")
        for name in sorted(names - set(listed) - set(UNLISTED)):
            if not name.endswith("/"):
                problems.append(f"{name} is in the dossier but not in {MANIFEST}")
        problems += _sums(z, names, listed)
    return problems


def _sums(z: zipfile.ZipFile, names: set[str], listed: dict[str, dict[str, Any]]) -> list[str]:
    if SUMS not in names:
        return [f"{SUMS} is missing from the dossier"]
    manifest_hash = hashlib.sha256(z.read(MANIFEST)).hexdigest()
    problems = []
    seen = set()
    for line in z.read(SUMS).decode("utf-8", "replace").splitlines():
        digest, _, name = line.partition("  ")
        seen.add(name)
        expected = manifest_hash if name == MANIFEST else (listed.get(name) or {}).get("sha256")
        if expected != digest:
            problems.append(f"{SUMS}: the line for {name} does not match {MANIFEST}")
    for name in sorted((set(listed) | {MANIFEST}) - seen):
        problems.append(f"{SUMS} has no line for {name}")
    return problems
