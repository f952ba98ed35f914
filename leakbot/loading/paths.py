"""Where the bundled playbooks, templates and example config are, installed or checked out.

A wheel carries them inside the package (``leakbot/_bundled/…``, see pyproject.toml); a checkout
has them beside the ``leakbot/`` folder. The installed copy wins when both exist.
"""

from __future__ import annotations

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


def bundled_example_config() -> Path:
    return _bundled(EXAMPLE_CONFIG_NAME)


def default_config_path(cwd: Path) -> Path:
    """``./leakbot.yaml`` when the operator has one, else the example so a first run works."""
    local = cwd / CONFIG_FILE_NAME
    return local if local.is_file() else bundled_example_config()
