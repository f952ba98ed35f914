"""scripts/refresh_slack_methods.py: the table is rebuilt from reference files, and only them."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "refresh_slack_methods.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("refresh_slack_methods", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_reference(folder: Path, methods: tuple[str, ...]) -> None:
    for name in methods:
        reference = {
            "http_method": "POST",
            "rate_limits": "t3",
            "json_input_supported": name != "users.info",
            "args": {
                "required": ["token", "channel"],
                "properties": {"token": {}, "channel": {}, "text": {}},
            },
            "errors": {"channel_not_found": {"desc": "…"}},
            "scope": {"bot": ["chat:write"]},
        }
        (folder / f"{name}.json").write_text(json.dumps(reference), encoding="utf-8")


def test_the_table_is_written_from_each_methods_reference(tmp_path: Path) -> None:
    script = load_script()
    write_reference(tmp_path, script.METHODS)
    out = tmp_path / "methods.json"

    assert script.main([str(tmp_path), "--out", str(out)]) == 0

    table = json.loads(out.read_text(encoding="utf-8"))
    assert set(table["methods"]) == set(script.METHODS)
    entry = table["methods"]["chat.postMessage"]
    assert entry["rate_tier"] == "tier3"
    assert entry["required"] == ["token", "channel"]
    assert entry["args"] == ["channel", "text", "token"]
    assert entry["scopes"] == {"bot": ["chat:write"], "user": []}
    assert table["methods"]["users.info"]["json_body"] is False
    assert "ratelimited" in table["common_errors"]


def test_a_missing_reference_file_stops_the_refresh_and_names_the_method(tmp_path: Path) -> None:
    script = load_script()
    write_reference(tmp_path, tuple(m for m in script.METHODS if m != "pins.add"))

    with pytest.raises(SystemExit, match="pins.add"):
        script.main([str(tmp_path), "--out", str(tmp_path / "methods.json")])
