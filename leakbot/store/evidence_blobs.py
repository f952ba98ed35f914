"""Where evidence bytes are kept, content-addressed by SHA-256, behind one small interface.

``DatabaseBlobs`` (the default) writes them in the caller's transaction, so the bytes exist
exactly when the audit entry naming their hash does, and every process sharing the database
sees them. ``FolderBlobs`` (``LEAKBOT_EVIDENCE_DIR``) keeps them as files on one machine,
owner-only; a file written for a transaction that then rolls back is harmless (nothing names
its hash) and is simply reused if the same bytes come again.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from leakbot.domain.evidence import sha256
from leakbot.services.storage import BlobStore
from leakbot.store.models import EvidenceBlobRecord

_HEX = re.compile(r"^[0-9a-f]{64}$")


class DatabaseBlobs:
    def __init__(self, session: Session) -> None:
        self.session = session

    def put(self, content: bytes) -> str:
        digest = sha256(content)
        if self.session.get(EvidenceBlobRecord, digest) is None:
            self.session.add(
                EvidenceBlobRecord(
                    sha256=digest, size=len(content), content=content, created_at=datetime.now(UTC)
                )
            )
            self.session.flush()
        return digest

    def get(self, digest: str) -> bytes | None:
        row = self.session.scalars(
            select(EvidenceBlobRecord.content).where(EvidenceBlobRecord.sha256 == digest)
        ).first()
        return bytes(row) if row is not None else None

    def where(self) -> str:
        return "the database"


class FolderBlobs:
    """``<folder>/<first two hex digits>/<sha256>``; folders 0700, files 0600."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, digest: str) -> Path:
        if not _HEX.match(digest):
            raise ValueError("not a SHA-256")
        return self.folder / digest[:2] / digest

    def put(self, content: bytes) -> str:
        digest = sha256(content)
        path = self._path(digest)
        if path.exists() and sha256(path.read_bytes()) == digest:
            return digest
        for folder in (self.folder, path.parent):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(folder, 0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, digest: str) -> bytes | None:
        try:
            return self._path(digest).read_bytes()
        except (FileNotFoundError, ValueError):
            return None

    def where(self) -> str:
        return "the evidence folder"


def blob_store(session: Session, folder: Path | None) -> BlobStore:
    return FolderBlobs(folder) if folder is not None else DatabaseBlobs(session)
