"""Writing the dossier: one zip that a lawyer or a court can check by hand.

``manifest.json`` lists every other file with its SHA-256 and size, the incident's facts, the
audit chain's head and count, leakbot's version and when the dossier was made; ``SHA256SUMS``
says the same for ``sha256sum -c``. The evidence files are the bytes as kept, never altered.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from leakbot import __version__
from leakbot.domain.evidence import EvidenceItem
from leakbot.domain.incident import Incident
from leakbot.dossier.names import AUDIT, FORMAT, MANIFEST, SUMS, audit_line, safe_name
from leakbot.dossier.timeline import Names, person, timeline_docx, timeline_markdown
from leakbot.notices.files import notice_file
from leakbot.operator_errors import UserError
from leakbot.services.deps import Deps

README = """\
{ref} — dossier made by leakbot {version} on {made}.

What is in it
  manifest.json   every other file with its SHA-256 and size; the incident's facts; the
                  audit chain's head hash and entry count
  SHA256SUMS      the same hashes, in the form `sha256sum -c` reads
  evidence/       the evidence files as they were kept, one folder per item (E-1, E-2, …)
  notices/        every version of every notice, Markdown and Word; approved ones are
                  marked `approved` in their names
  audit.jsonl     the incident's audit chain as stored, one entry per line
  timeline.md     the same chain in words (timeline.docx: as a Word document)

Checking it by hand
  1. Unzip it, and in the unzipped folder run:   sha256sum -c SHA256SUMS
     Every line must say OK. (macOS: shasum -a 256 -c SHA256SUMS)
  2. Each line of audit.jsonl names the hash of the line before it (prev_hash; the first
     names 64 zeros) and its own hash: the SHA-256 of prev_hash, a newline, and the entry
     without its two hashes written as JSON with sorted keys and no spaces.
  3. The last entry's hash is the head named in manifest.json; each evidence file's SHA-256
     is named in an `evidence.added` entry of the chain.
  `leakbot dossier verify <this zip>` does all of this, with no database.
"""


@dataclass(frozen=True)
class ListedFile:
    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Dossier:
    ref: str
    name: str
    content: bytes
    files: list[ListedFile]


def _facts(deps: Deps, incident: Incident, names: Names | None) -> dict[str, Any]:
    f = incident.facts
    supplier = deps.config.supplier(f.supplier_id)
    return {
        "ref": incident.ref,
        "title": f.title,
        "asset": f.asset,
        "where_seen": list(f.where_seen),
        "discovered_at": f.discovered_at.isoformat() if f.discovered_at else None,
        "severity": f.severity,
        "description": f.description,
        "supplier": {"id": supplier.id, "name": supplier.name} if supplier else None,
        "status": incident.status.value,
        "reporter": person(incident.reporter, names),
        "commander": person(incident.commander, names),
        "opened_at": incident.opened_at.isoformat(),
        "closed_at": incident.closed_at.isoformat() if incident.closed_at else None,
        "playbook": incident.playbook.id,
    }


def _evidence_entry(item: EvidenceItem, paths: list[str]) -> dict[str, Any]:
    return {
        "ref": item.ref,
        "source": item.source.value,
        "added_by": item.added_by,
        "added_at": item.added_at.isoformat(),
        "seen_at": item.seen_at.isoformat() if item.seen_at else None,
        "links": list(item.links),
        "permalink": item.permalink,
        "note": item.note,
        "files": [
            {
                "path": path,
                "name": f.name,
                "sha256": f.sha256,
                "size": f.size,
                "media_type": f.media_type,
            }
            for f, path in zip(item.kept_files, paths, strict=True)
        ],
        "not_kept": [{"name": f.name, "why": f.refused} for f in item.files if f.refused],
    }


def build_dossier(
    deps: Deps,
    number: int,
    *,
    names: Callable[[str], str | None] | None = None,
    now: datetime | None = None,
) -> Dossier:
    made = (now or deps.clock.now()).astimezone(UTC)
    files: dict[str, bytes] = {}
    with deps.read() as uow:
        incident = uow.incidents.get(number)
        assert incident.id is not None
        entries = uow.audit.entries(incident.id)
        head, count = uow.audit.head(incident.id)
        items = uow.evidence.of_incident(incident.id)
        evidence: list[dict[str, Any]] = []
        for item in items:
            paths = []
            for position, f in enumerate(item.kept_files, start=1):
                assert f.sha256 is not None
                content = uow.blobs.get(f.sha256)
                if content is None or hashlib.sha256(content).hexdigest() != f.sha256:
                    raise UserError(
                        f"{incident.ref}: evidence {item.ref} file “{f.name}” is missing or "
                        f"altered in {uow.blobs.where()}; run `leakbot audit verify "
                        f"{incident.ref}`"
                    )
                path = f"evidence/{item.ref}/{position:02d}-{safe_name(f.name)}"
                files[path] = content
                paths.append(path)
            evidence.append(_evidence_entry(item, paths))
        notices: list[dict[str, Any]] = []
        kinds = sorted({(d.kind, d.locale) for d in uow.notices.latest(incident.id)})
        for kind, locale in kinds:
            for draft in uow.notices.all_versions(incident.id, kind, locale):
                state = "approved" if draft.approved else "draft"
                for fmt in ("md", "docx"):
                    _, content = notice_file(incident, draft, fmt, author=deps.config.company.name)
                    path = f"notices/{kind}.{locale}.v{draft.version}.{state}.{fmt}"
                    files[path] = content
                notices.append(
                    {
                        "kind": kind,
                        "locale": locale,
                        "version": draft.version,
                        "status": state,
                        "approved_by": draft.approved_by,
                        "approved_at": draft.approved_at.isoformat() if draft.approved_at else None,
                        "files": [
                            f"notices/{kind}.{locale}.v{draft.version}.{state}.{x}"
                            for x in ("md", "docx")
                        ],
                    }
                )
    files[AUDIT] = "".join(
        json.dumps(audit_line(e), ensure_ascii=False, sort_keys=True) + "\n" for e in entries
    ).encode()
    markdown = timeline_markdown(incident, entries, deps.tz, names)
    files["timeline.md"] = markdown.encode()
    files["timeline.docx"] = timeline_docx(incident, markdown, deps.config.company.name, made)
    files["README.txt"] = README.format(
        ref=incident.ref, version=__version__, made=made.isoformat(timespec="seconds")
    ).encode()
    listed = [
        ListedFile(path, hashlib.sha256(content).hexdigest(), len(content))
        for path, content in sorted(files.items())
    ]
    manifest = {
        "format": FORMAT,
        "incident": _facts(deps, incident, names),
        "made_at": made.isoformat(),
        "leakbot_version": __version__,
        "audit": {"head": head, "count": count},
        "evidence": evidence,
        "notices": notices,
        "files": [{"path": f.path, "sha256": f.sha256, "size": f.size} for f in listed],
    }
    files[MANIFEST] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    sums = [(hashlib.sha256(files[MANIFEST]).hexdigest(), MANIFEST)]
    sums += [(f.sha256, f.path) for f in listed]
    files[SUMS] = "".join(
        f"{digest}  {path}\n" for digest, path in sorted(sums, key=lambda s: s[1])
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for path in [MANIFEST, SUMS, *sorted(p for p in files if p not in (MANIFEST, SUMS))]:
            z.writestr(path, files[path])
    stamp = made.strftime("%Y%m%dT%H%M%SZ")
    return Dossier(incident.ref, f"{incident.ref}-dossier-{stamp}.zip", out.getvalue(), listed)


def write_dossier(
    deps: Deps, number: int, out: Path, names: Callable[[str], str | None] | None = None
) -> Path:
    made = build_dossier(deps, number, names=names)
    out.mkdir(parents=True, exist_ok=True)
    path = out / made.name
    path.write_bytes(made.content)
    path.chmod(0o600)
    return path
