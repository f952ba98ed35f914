"""The dossier and the evidence store as an operator checks them: real ``leakbot`` processes
against a database a running leakbot filled over signed HTTP (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

from running import leakbot
from sqlalchemy import create_engine, text

from leakbot.demo.story import SECURITY
from leakbot.demo.world import LocalWorld
from leakbot.loading.paths import bundled_example_config
from leakbot.slack.ids import Action, View
from leakbot.store.db import parse_url

SCREENSHOT = b"\x89PNG\r\n\x1a\n" + b"screenshot of the forum post" * 20
PAGE = b"%PDF-1.4\n% saved page\n%%EOF\n"


def incident_with_evidence(db_url: str, env: dict[str, str] | None = None) -> int:
    """Report a leak and add two files through the modal, as people do in Slack."""
    with LocalWorld(db_url, env=env or {}) as world:
        world.slash(SECURITY, "")
        view = world.modal_for(SECURITY, View.REPORT.value)
        world.submit(
            SECURITY,
            view,
            {"title": "Bumper drafts on a forum", "supplier": "bjmold", "severity": "high"},
        )
        world.settle()
        with world.deps.uow() as uow:
            number = uow.incidents.list_open()[-1].number
        channel, ts = world.checklist(number)
        files = [
            world.standin.user_upload(SECURITY, "forum.png", SCREENSHOT),
            world.standin.user_upload(SECURITY, "page.pdf", PAGE),
        ]
        world.click(
            SECURITY, Action.ADD_EVIDENCE.value, str(number), channel=channel, message_ts=ts
        )
        modal = world.modal_for(SECURITY, View.EVIDENCE.value)
        world.submit(SECURITY, modal, {"files": files, "links": "https://forum.example/t/1"})
        world.settle()
        world.standin.assert_clean()
    return number


def rewrite(source: Path, target: Path, change: Callable[[str, bytes], bytes | None]) -> None:
    """Copy a zip, passing each member through ``change`` (None drops it)."""
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w") as out:
        for name in z.namelist():
            content = change(name, z.read(name))
            if content is not None:
                out.writestr(name, content)


def test_a_dossier_verifies_and_each_kind_of_tampering_is_named(
    db_url: str, tmp_path: Path
) -> None:
    number = incident_with_evidence(db_url)
    env = {"DATABASE_URL": db_url, "LEAKBOT_CONFIG": str(bundled_example_config())}
    made = leakbot(
        "dossier", "export", f"LEAK-{number}", "--out", str(tmp_path / "out"), cwd=tmp_path, env=env
    )
    assert made.returncode == 0, made.stderr
    dossier = Path(made.stdout.strip())
    assert dossier.is_file() and dossier.suffix == ".zip"
    assert stat.S_IMODE(dossier.stat().st_mode) == 0o600

    ok = leakbot("dossier", "verify", str(dossier), cwd=tmp_path, env={})
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "intact" in ok.stdout

    with zipfile.ZipFile(dossier) as z:
        manifest = json.loads(z.read("manifest.json"))
        evidence = sorted(n for n in z.namelist() if n.startswith("evidence/"))
        sums = z.read("SHA256SUMS").decode()
        audit_lines = z.read("audit.jsonl").decode().splitlines()
    assert evidence == ["evidence/E-1/01-forum.png", "evidence/E-1/02-page.pdf"]
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert listed["evidence/E-1/01-forum.png"] == hashlib.sha256(SCREENSHOT).hexdigest()
    assert f"{listed['evidence/E-1/02-page.pdf']}  evidence/E-1/02-page.pdf" in sums
    assert manifest["audit"]["count"] == len(audit_lines)
    assert manifest["audit"]["head"] == json.loads(audit_lines[-1])["hash"]

    # One byte changed in an evidence file.
    flipped = tmp_path / "flipped.zip"
    rewrite(
        dossier,
        flipped,
        lambda n, c: (
            (c[:10] + bytes([c[10] ^ 1]) + c[11:]) if n == "evidence/E-1/01-forum.png" else c
        ),
    )

    # An audit entry edited (its actor), the rest left as it was.
    def edit_entry(name: str, content: bytes) -> bytes:
        if name != "audit.jsonl":
            return content
        lines = content.decode().splitlines()
        entry = json.loads(lines[2])
        entry["actor"] = "U0SOMEONE1"
        lines[2] = json.dumps(entry, sort_keys=True)
        return ("\n".join(lines) + "\n").encode()

    edited = tmp_path / "edited.zip"
    rewrite(dossier, edited, edit_entry)
    # A file removed from the zip.
    removed = tmp_path / "removed.zip"
    rewrite(dossier, removed, lambda n, c: None if n == "evidence/E-1/02-page.pdf" else c)

    expected = {
        flipped: "evidence/E-1/01-forum.png does not match its SHA-256",
        edited: "audit.jsonl: entry 3 was altered",
        removed: "evidence/E-1/02-page.pdf is missing from the dossier",
    }
    for path, first in expected.items():
        result = leakbot("dossier", "verify", str(path), cwd=tmp_path, env={})
        assert result.returncode == 1, result.stdout
        assert (
            result.stdout.splitlines()[0] == f"{path}: {first}"
            or first in (result.stdout.splitlines()[0])
        ), result.stdout
        assert "Traceback" not in result.stderr


def test_verify_names_a_file_that_is_not_a_dossier(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    result = leakbot("dossier", "verify", str(junk), cwd=tmp_path, env={})
    assert result.returncode == 1 and "not a readable zip" in result.stdout
    missing = leakbot("dossier", "verify", str(tmp_path / "none.zip"), cwd=tmp_path, env={})
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_audit_verify_names_a_stored_file_that_was_altered(db_url: str, tmp_path: Path) -> None:
    number = incident_with_evidence(db_url)
    env = {"DATABASE_URL": db_url, "LEAKBOT_CONFIG": str(bundled_example_config())}
    ok = leakbot("audit", "verify", str(number), cwd=tmp_path, env=env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    engine = create_engine(parse_url(db_url))
    digest = hashlib.sha256(PAGE).hexdigest()
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE evidence_blobs SET content = :c WHERE sha256 = :h"),
            {"c": PAGE.replace(b"saved", b"SAVED"), "h": digest},
        )
    engine.dispose()
    bad = leakbot("audit", "verify", f"LEAK-{number}", cwd=tmp_path, env=env)
    assert bad.returncode == 1
    assert f"evidence E-1 file “page.pdf” (sha256 {digest[:12]}…) was altered" in bad.stdout
    assert "forum.png" not in bad.stdout


def test_the_evidence_folder_is_owner_only_and_checked(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    number = incident_with_evidence(db_url, {"LEAKBOT_EVIDENCE_DIR": str(folder)})
    kept = sorted(p for p in folder.rglob("*") if p.is_file())
    assert [p.name for p in kept] == sorted(
        hashlib.sha256(c).hexdigest() for c in (SCREENSHOT, PAGE)
    )
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in kept)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o700 for p in [folder, *{p.parent for p in kept}])
    engine = create_engine(parse_url(db_url))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM evidence_blobs")).scalar() == 0
    engine.dispose()
    env = {
        "DATABASE_URL": db_url,
        "LEAKBOT_CONFIG": str(bundled_example_config()),
        "LEAKBOT_EVIDENCE_DIR": str(folder),
    }
    page = folder / hashlib.sha256(PAGE).hexdigest()[:2] / hashlib.sha256(PAGE).hexdigest()
    page.unlink()
    bad = leakbot("audit", "verify", str(number), cwd=tmp_path, env=env)
    assert bad.returncode == 1
    assert "file “page.pdf”" in bad.stdout and "is missing from the evidence folder" in bad.stdout
    export = leakbot(
        "dossier", "export", str(number), "--out", str(tmp_path), cwd=tmp_path, env=env
    )
    assert export.returncode == 1 and "page.pdf" in export.stderr
    assert "Traceback" not in export.stderr
