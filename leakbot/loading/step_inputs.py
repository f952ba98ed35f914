"""A step's ``inputs``: ids, labels (English and Chinese), types, choice options and defaults.

A choice's options are ``{value, label, label_zh}`` pairs, or plain strings (value = label)."""

from __future__ import annotations

from typing import Any

from leakbot.domain.playbook import FACT_PATHS, INPUT_TYPES, Choice, InputSpec
from leakbot.loading.values import (
    MAX_CHOICE_VALUE,
    MAX_CHOICES,
    MAX_ID,
    MAX_INPUTS,
    NAME,
    literal,
    optional_text,
)
from leakbot.loading.yamlpos import PathKey, Reader

INPUT_OPTIONAL = ("label_zh", "type", "required", "default", "default_from", "hint", "options")


def read_inputs(r: Reader, path: PathKey, value: Any) -> list[InputSpec]:
    if value is None:
        return []
    found: list[InputSpec] = []
    for item_path, item in r.items(path, value):
        spec = _input(r, item_path, item)
        if spec is None:
            continue
        if any(s.id == spec.id for s in found):
            r.problem((*item_path, "id"), f"duplicate input id '{spec.id}'")
            continue
        found.append(spec)
    if len(found) > MAX_INPUTS:
        r.problem(
            path, f"a step asks at most {MAX_INPUTS} inputs (one Slack form), not {len(found)}"
        )
    return found


def _input(r: Reader, path: PathKey, value: Any) -> InputSpec | None:
    m = r.mapping(path, value, required=("id", "label"), optional=INPUT_OPTIONAL)
    if m is None:
        return None
    before = len(r.problems)
    iid = optional_text(r, (*path, "id"), m.get("id"))
    if iid is not None and not NAME.match(iid):
        r.problem(
            (*path, "id"),
            f"an input id is lower-case letters, digits and `_`, at most {MAX_ID} characters",
        )
    label = optional_text(r, (*path, "label"), m.get("label"))
    label_zh = optional_text(r, (*path, "label_zh"), m.get("label_zh"))
    kind = "text"
    if m.get("type") is not None:
        kind = optional_text(r, (*path, "type"), m["type"]) or kind
        if kind not in INPUT_TYPES:
            r.problem(
                (*path, "type"),
                f"unknown input type '{kind}'; one of: {', '.join(INPUT_TYPES)}",
            )
    required = True
    if m.get("required") is not None:
        required = bool(r.flag((*path, "required"), m["required"]))
    hint = optional_text(r, (*path, "hint"), m.get("hint"))
    options = _options(r, path, m, kind)
    default = None
    if m.get("default") is not None:
        default = literal(r, (*path, "default"), m["default"])
    default_from = optional_text(r, (*path, "default_from"), m.get("default_from"))
    if default_from is not None and default_from not in FACT_PATHS:
        r.problem(
            (*path, "default_from"),
            f"'{default_from}' is not a known fact; one of: {', '.join(FACT_PATHS)}",
        )
    if default is not None and default_from is not None:
        r.problem((*path, "default"), "give either `default` or `default_from`, not both")
    if default is not None and options and default not in [o.value for o in options]:
        r.problem((*path, "default"), f"'{default}' is not one of the options")
    if len(r.problems) > before or iid is None or label is None:
        return None
    return InputSpec(
        id=iid,
        label=label,
        label_zh=label_zh,
        type=kind,  # type: ignore[arg-type]  # checked against INPUT_TYPES above
        required=required,
        options=tuple(options),
        default=default,
        default_from=default_from,
        hint=hint,
    )


def _options(r: Reader, path: PathKey, m: dict[str, Any], kind: str) -> list[Choice]:
    value = m.get("options")
    if kind != "choice":
        if value is not None:
            r.problem((*path, "options"), f"only a `choice` input has options, not `{kind}`")
        return []
    if value is None or (isinstance(value, list) and not value):
        r.problem((*path, "options"), "a choice needs options", line_of=(*path, "type"))
        return []
    options: list[Choice] = []
    for item_path, item in r.items((*path, "options"), value):
        if isinstance(item, dict):
            o = r.mapping(item_path, item, required=("value",), optional=("label", "label_zh"))
            val = literal(r, (*item_path, "value"), o.get("value")) if o else None
            label = optional_text(r, (*item_path, "label"), o.get("label")) if o else None
            label_zh = optional_text(r, (*item_path, "label_zh"), o.get("label_zh")) if o else None
        else:
            val = label = literal(r, item_path, item)
            label_zh = None
        if val is None:
            continue
        if any(c.value == val for c in options):
            at = (*item_path, "value") if isinstance(item, dict) else item_path
            r.problem(at, f"option '{val}' is listed twice")
            continue
        if len(val) > MAX_CHOICE_VALUE:
            at = (*item_path, "value") if isinstance(item, dict) else item_path
            r.problem(at, f"an option's value is at most {MAX_CHOICE_VALUE} characters")
            continue
        options.append(Choice(value=val, label=label or val, label_zh=label_zh))
    if len(options) > MAX_CHOICES:
        r.problem(
            (*path, "options"), f"a choice has at most {MAX_CHOICES} options, not {len(options)}"
        )
    return options
