"""Checks of Block Kit's interactive elements: buttons, menus, pickers, inputs, images."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from leakbot.devslack.blockkit.limits import (
    MAX_ACCESSIBILITY_LABEL,
    MAX_ALT_TEXT,
    MAX_BUTTON_TEXT,
    MAX_BUTTON_VALUE,
    MAX_CHOICE_OPTIONS,
    MAX_CONFIRM_BUTTON,
    MAX_CONFIRM_TEXT,
    MAX_CONFIRM_TITLE,
    MAX_GROUP_LABEL,
    MAX_INPUT_LENGTH,
    MAX_OPTION_DESCRIPTION,
    MAX_OPTION_GROUPS,
    MAX_OPTION_TEXT,
    MAX_OPTION_VALUE,
    MAX_OPTIONS,
    MAX_OVERFLOW_OPTIONS,
    MAX_PLACEHOLDER,
    MAX_URL,
)
from leakbot.devslack.blockkit.shapes import (
    _TIME,
    BUTTON_STYLES,
    CONFIRM_FIELDS,
    ELEMENT_FIELDS,
    OPTION_FIELDS,
)
from leakbot.devslack.blockkit.walker import Walker


class ElementWalker(Walker):
    """The checks of interactive elements and their composition objects (options, option
    groups, confirm dialogs)."""

    # -- elements ----------------------------------------------------------------------------

    def elements(self, at: str, items: Sequence[tuple[str, Any]], allowed: frozenset[str]) -> None:
        """Elements of one block: each of an allowed type, each ``action_id`` unique."""
        seen: dict[str, str] = {}
        for where, element in items:
            here = f"{at}/{where}"
            e = self.obj(here, element)
            if e is None:
                continue
            kind = e.get("type")
            if kind not in allowed:
                self.add(f"{here}/type", f"unsupported type: {kind}")
                continue
            self.element(here, e)
            action_id = e.get("action_id")
            if isinstance(action_id, str):
                if action_id in seen:
                    self.add(
                        f"{here}/action_id",
                        f"action_id `{action_id}` is already used at {seen[action_id]}; "
                        "it must be unique in its block",
                    )
                else:
                    seen[action_id] = here

    def element(self, at: str, e: Mapping[str, Any]) -> None:
        kind = str(e.get("type"))
        allowed, required = ELEMENT_FIELDS[kind]
        self.fields(at, e, allowed, required)
        if e.get("action_id") is not None:
            self.identifier(f"{at}/action_id", e["action_id"])
        if e.get("placeholder") is not None:
            self.text(f"{at}/placeholder", e["placeholder"], MAX_PLACEHOLDER, plain_only=True)
        if e.get("confirm") is not None:
            self.confirm(f"{at}/confirm", e["confirm"])
        self.flag(f"{at}/focus_on_load", e.get("focus_on_load"))
        if e.get("max_selected_items") is not None and not (
            isinstance(e["max_selected_items"], int) and e["max_selected_items"] >= 1
        ):
            self.add(f"{at}/max_selected_items", "must be greater than or equal to 1")
        check = getattr(self, f"_el_{kind}", None)
        if check is not None:
            check(at, e)

    def _el_button(self, at: str, e: Mapping[str, Any]) -> None:
        if e.get("text") is not None:
            self.text(f"{at}/text", e["text"], MAX_BUTTON_TEXT, plain_only=True)
        self.string(f"{at}/value", e.get("value"), MAX_BUTTON_VALUE)
        self.string(f"{at}/url", e.get("url"), MAX_URL)
        self.string(
            f"{at}/accessibility_label", e.get("accessibility_label"), MAX_ACCESSIBILITY_LABEL
        )
        if e.get("style") is not None and e["style"] not in BUTTON_STYLES:
            self.add(f"{at}/style", f"must be a valid enum value: {e['style']}")

    _el_workflow_button = _el_button

    def _el_overflow(self, at: str, e: Mapping[str, Any]) -> None:
        options = self.array(f"{at}/options", e.get("options"), MAX_OVERFLOW_OPTIONS)
        self.options(f"{at}/options", options, plain_only=True, urls=True)

    def _el_static_select(self, at: str, e: Mapping[str, Any]) -> None:
        offered = self._offered(at, e)
        self._initial(at, e, offered, multi=False)

    def _el_multi_static_select(self, at: str, e: Mapping[str, Any]) -> None:
        offered = self._offered(at, e)
        self._initial(at, e, offered, multi=True)

    def _el_external_select(self, at: str, e: Mapping[str, Any]) -> None:
        if e.get("initial_option") is not None:
            self.options(
                f"{at}/initial_option", [e["initial_option"]], plain_only=True, single=True
            )

    def _el_multi_external_select(self, at: str, e: Mapping[str, Any]) -> None:
        if e.get("initial_options") is not None:
            initial = self.array(f"{at}/initial_options", e["initial_options"], MAX_OPTIONS)
            self.options(f"{at}/initial_options", initial, plain_only=True)

    def _el_checkboxes(self, at: str, e: Mapping[str, Any]) -> None:
        options = self.array(f"{at}/options", e.get("options"), MAX_CHOICE_OPTIONS)
        self.options(f"{at}/options", options, plain_only=False)
        self._initial(at, e, options, multi=True)

    def _el_radio_buttons(self, at: str, e: Mapping[str, Any]) -> None:
        options = self.array(f"{at}/options", e.get("options"), MAX_CHOICE_OPTIONS)
        self.options(f"{at}/options", options, plain_only=False)
        self._initial(at, e, options, multi=False)

    def _el_datepicker(self, at: str, e: Mapping[str, Any]) -> None:
        initial = e.get("initial_date")
        if initial is not None and not _is_date(initial):
            self.add(f"{at}/initial_date", "must be a valid date in the format YYYY-MM-DD")

    def _el_timepicker(self, at: str, e: Mapping[str, Any]) -> None:
        initial = e.get("initial_time")
        if initial is not None and not (isinstance(initial, str) and _TIME.match(initial)):
            self.add(f"{at}/initial_time", "must be a valid time in the format HH:mm")

    def _el_datetimepicker(self, at: str, e: Mapping[str, Any]) -> None:
        initial = e.get("initial_date_time")
        if initial is not None and not (isinstance(initial, int) and initial >= 0):
            self.add(f"{at}/initial_date_time", "must be a UNIX timestamp in seconds")

    def _el_plain_text_input(self, at: str, e: Mapping[str, Any]) -> None:
        self.flag(f"{at}/multiline", e.get("multiline"))
        low, high = e.get("min_length"), e.get("max_length")
        for key, value, floor in (("min_length", low, 0), ("max_length", high, 1)):
            if value is None:
                continue
            if not isinstance(value, int) or isinstance(value, bool):
                self.add(f"{at}/{key}", "must be an integer")
            elif not floor <= value <= MAX_INPUT_LENGTH:
                self.add(f"{at}/{key}", f"must be between {floor} and {MAX_INPUT_LENGTH}")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            self.add(f"{at}/min_length", "must be less than or equal to max_length")
        initial = e.get("initial_value")
        if initial is not None and not isinstance(initial, str):
            self.add(f"{at}/initial_value", "must be a string")

    def _el_number_input(self, at: str, e: Mapping[str, Any]) -> None:
        self.flag(f"{at}/is_decimal_allowed", e.get("is_decimal_allowed"))
        decimal = e.get("is_decimal_allowed") is True
        values: dict[str, float] = {}
        for key in ("initial_value", "min_value", "max_value"):
            raw = e.get(key)
            if raw is None:
                continue
            number = _number(raw, decimal)
            if number is None:
                self.add(f"{at}/{key}", "must be a number" if decimal else "must be an integer")
            else:
                values[key] = number
        if (
            "min_value" in values
            and "max_value" in values
            and values["min_value"] > values["max_value"]
        ):
            self.add(f"{at}/min_value", "cannot be greater than max_value")

    def _el_image(self, at: str, e: Mapping[str, Any]) -> None:
        self._image_source(at, e)
        self.string(f"{at}/alt_text", e.get("alt_text"), MAX_ALT_TEXT)

    def _offered(self, at: str, e: Mapping[str, Any]) -> list[Any]:
        """A static menu's options, from ``options`` or ``option_groups`` (exactly one)."""
        options, groups = e.get("options"), e.get("option_groups")
        if (options is None) == (groups is None):
            self.add(at, "must provide exactly one of `options` or `option_groups`")
            return []
        if options is not None:
            found = self.array(f"{at}/options", options, MAX_OPTIONS)
            self.options(f"{at}/options", found, plain_only=True)
            return found
        offered: list[Any] = []
        for g, group in enumerate(self.array(f"{at}/option_groups", groups, MAX_OPTION_GROUPS)):
            here = f"{at}/option_groups/{g}"
            grp = self.obj(here, group)
            if grp is None:
                continue
            self.fields(here, grp, ("label", "options"), ("label", "options"))
            if grp.get("label") is not None:
                self.text(f"{here}/label", grp["label"], MAX_GROUP_LABEL, plain_only=True)
            found = self.array(f"{here}/options", grp.get("options"), MAX_OPTIONS)
            self.options(f"{here}/options", found, plain_only=True)
            offered += found
        return offered

    def _initial(self, at: str, e: Mapping[str, Any], offered: Sequence[Any], multi: bool) -> None:
        key = "initial_options" if multi else "initial_option"
        chosen = e.get(key)
        if chosen is None:
            return
        if multi:
            picks = [
                (f"{at}/{key}/{i}", c)
                for i, c in enumerate(self.array(f"{at}/{key}", chosen, MAX_OPTIONS))
            ]
        else:
            picks = [(f"{at}/{key}", chosen)]
        for here, pick in picks:
            if not isinstance(pick, Mapping):
                self.add(here, "must provide an object")
            elif not any(_same_option(pick, o) for o in offered):
                self.add(here, "must match one of the provided options")

    def options(
        self,
        at: str,
        options: Sequence[Any],
        *,
        plain_only: bool,
        urls: bool = False,
        single: bool = False,
    ) -> None:
        values: set[str] = set()
        for i, option in enumerate(options):
            here = at if single else f"{at}/{i}"
            o = self.obj(here, option)
            if o is None:
                continue
            self.fields(
                here, o, OPTION_FIELDS if urls else OPTION_FIELDS - {"url"}, ("text", "value")
            )
            if o.get("text") is not None:
                self.text(f"{here}/text", o["text"], MAX_OPTION_TEXT, plain_only=plain_only)
            self.string(f"{here}/value", o.get("value"), MAX_OPTION_VALUE)
            if o.get("description") is not None:
                self.text(
                    f"{here}/description",
                    o["description"],
                    MAX_OPTION_DESCRIPTION,
                    plain_only=plain_only,
                )
            self.string(f"{here}/url", o.get("url"), MAX_URL)
            value = o.get("value")
            if isinstance(value, str):
                if value in values:
                    self.add(f"{here}/value", f"option value `{value}` is not unique")
                values.add(value)

    def confirm(self, at: str, value: Any) -> None:
        c = self.obj(at, value)
        if c is None:
            return
        self.fields(at, c, CONFIRM_FIELDS, ("title", "text", "confirm", "deny"))
        if c.get("title") is not None:
            self.text(f"{at}/title", c["title"], MAX_CONFIRM_TITLE, plain_only=True)
        if c.get("text") is not None:
            self.text(f"{at}/text", c["text"], MAX_CONFIRM_TEXT)
        for key in ("confirm", "deny"):
            if c.get(key) is not None:
                self.text(f"{at}/{key}", c[key], MAX_CONFIRM_BUTTON, plain_only=True)
        if c.get("style") is not None and c["style"] not in BUTTON_STYLES:
            self.add(f"{at}/style", f"must be a valid enum value: {c['style']}")

    def _image_source(self, at: str, image: Mapping[str, Any]) -> None:
        if image.get("image_url") is None and image.get("slack_file") is None:
            self.add(at, "missing required field: image_url")
        self.string(f"{at}/image_url", image.get("image_url"), MAX_URL)


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _number(raw: Any, decimal: bool) -> float | None:
    if not isinstance(raw, str):
        return None
    pattern = r"-?\d+(\.\d+)?" if decimal else r"-?\d+"
    return float(raw) if re.fullmatch(pattern, raw.strip()) else None


def _same_option(a: Mapping[str, Any], b: Any) -> bool:
    """Slack matches an initial option to an offered one by its value and its text."""
    if not isinstance(b, Mapping):
        return False
    if a.get("value") != b.get("value"):
        return False
    ta, tb = a.get("text"), b.get("text")
    if isinstance(ta, Mapping) and isinstance(tb, Mapping):
        return bool(ta.get("text") == tb.get("text") and ta.get("type") == tb.get("type"))
    return ta == tb
