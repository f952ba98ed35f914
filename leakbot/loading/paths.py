"""Where the bundled playbooks, templates and example config are, installed or checked out.

A wheel carries them inside the package (``leakbot/_bundled/…``, see pyproject.toml); a checkout
has them beside the ``leakbot/`` folder. The installed copy wins when both exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CONFIG_FILE_NAME = "leakbot.yaml"
EXAMPLE_CONFIG_NAME = "leakbot.example.yaml"


def _package_dir() -> Path:
    return Path(__file__).resolve().parent.parent


def _bundled(name: str) -> Path:
    package = _package_dir()
    inside = package / "_bundled" / name
    return inside if inside.exists() else package.parent / name


def bundled_playbooks_dir() -> Path:
    return _bundled("playbooks")


def bundled_templates_dir() -> Path:
    return _bundled("templates")


def bundled_manifest() -> Path:
    """The Slack app manifest (``manifest.yml``) the app is created from."""
    return _bundled("manifest.yml")


def bundled_example_config() -> Path:
    return _bundled(EXAMPLE_CONFIG_NAME)


def default_config_path(cwd: Path) -> Path:
    """``./leakbot.yaml`` when the operator has one, else the example so a first run works."""
    local = cwd / CONFIG_FILE_NAME
    return local if local.is_file() else bundled_example_config()


@dataclass(frozen=True)
class InUse:
    """One of the operator's files or folders, and why it is the one in use."""

    what: str  # "config", "playbooks", "templates"
    path: Path
    origin: str  # the variable or option that named it, "working folder" or "bundled"

    @property
    def bundled(self) -> bool:
        return self.origin == BUNDLED

    def describe(self) -> str:
        """One line saying which file is used and whether it is the operator's own."""
        if self.bundled:
            own = {
                "config": f"copy it to ./{CONFIG_FILE_NAME} or set LEAKBOT_CONFIG",
                "playbooks": "add ./playbooks/ or set LEAKBOT_PLAYBOOKS for your own",
                "templates": "add ./templates/ or set LEAKBOT_TEMPLATES for your own",
            }[self.what]
            return f"{self.what}: {self.path} (the bundled example; {own})"
        if self.origin == WORKING_FOLDER:
            return f"{self.what}: {self.path} (from the working folder)"
        return f"{self.what}: {self.path} (from {self.origin})"


BUNDLED = "bundled"
WORKING_FOLDER = "working folder"


@dataclass(frozen=True)
class Files:
    """The config, playbooks and templates a process uses (CONTRACT §3)."""

    config: InUse
    playbooks: InUse
    templates: InUse

    def describe(self) -> list[str]:
        return [self.config.describe(), self.playbooks.describe(), self.templates.describe()]


def resolve_files(
    cwd: Path,
    config: tuple[Path | None, str] = (None, "LEAKBOT_CONFIG"),
    playbooks: tuple[Path | None, str] = (None, "LEAKBOT_PLAYBOOKS"),
    templates: tuple[Path | None, str] = (None, "LEAKBOT_TEMPLATES"),
) -> Files:
    """One resolution for every command: a path named explicitly (each pair is the path and
    what named it), else ``./leakbot.yaml``, ``./playbooks/``, ``./templates/`` in the working
    folder when they exist, else the bundled examples."""

    def pick(what: str, given: tuple[Path | None, str], local: Path, bundled: Path) -> InUse:
        path, named_by = given
        if path is not None:
            return InUse(what, path, named_by)
        exists = local.is_file() if what == "config" else local.is_dir()
        return InUse(what, local, WORKING_FOLDER) if exists else InUse(what, bundled, BUNDLED)

    return Files(
        config=pick("config", config, cwd / CONFIG_FILE_NAME, bundled_example_config()),
        playbooks=pick("playbooks", playbooks, cwd / "playbooks", bundled_playbooks_dir()),
        templates=pick("templates", templates, cwd / "templates", bundled_templates_dir()),
    )
