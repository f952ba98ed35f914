"""Playbook YAML → Playbook: the bundled playbook loads clean, each broken file names its lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leakbot.domain.config import Config
from leakbot.domain.playbook import COMMANDER, Condition, Due, Playbook
from leakbot.loading.config_file import check_roles, load_config
from leakbot.loading.paths import (
    bundled_example_config,
    bundled_playbooks_dir,
    bundled_templates_dir,
    default_config_path,
)
from leakbot.loading.playbooks import (
    check_playbooks,
    load_playbook,
    load_playbooks,
    parse_duration,
)
from leakbot.operator_errors import Problem, ProblemsFound

FIXTURES = Path(__file__).parent.parent / "fixtures" / "playbooks"
BUNDLED = bundled_playbooks_dir() / "supplier-leak.yaml"
_MARKER = re.compile(r"#\s*expect:\s*(\S+):\s*(.+?)\s*$")


def expected_problems(path: Path) -> list[tuple[int, str | None, str]]:
    """(line, key, part of the message) for each `# expect:` marker in a fixture."""
    found = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = _MARKER.search(text)
        if m:
            key = None if m.group(1) == "-" else m.group(1)
            found.append((number, key, m.group(2)))
    return found


def assert_problems_match(problems: list[Problem], path: Path) -> None:
    expected = expected_problems(path)
    assert expected, f"{path.name} has no markers"
    got = sorted((p.line or 0, p.key, p.message) for p in problems)
    assert [(line, key) for line, key, _ in got] == [(line, key) for line, key, _ in expected]
    for (_, _, message), (_, _, fragment) in zip(got, expected, strict=True):
        assert fragment in message
    assert all(p.file == str(path) for p in problems)


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ProblemsFound) as caught:
        load_playbook(path)
    return caught.value.problems


# --- the bundled playbook -------------------------------------------------------------------
def test_the_bundled_playbook_loads_with_no_problem() -> None:
    (playbook,) = load_playbooks(bundled_playbooks_dir())
    assert playbook.id == "supplier-leak"
    assert playbook.source == str(BUNDLED)
    assert [s.id for s in playbook.steps] == [
        "confirm",
        "contain",
        "notify_supplier",
        "assess_penalty",
        "demand_rectification",
        "track_rectification",
        "partner_advisory",
        "close",
    ]


def test_the_bundled_playbook_passes_the_full_check_with_the_example_config_and_templates() -> None:
    config = load_config(bundled_example_config())
    assert check_playbooks(bundled_playbooks_dir(), config, bundled_templates_dir()) == []


def test_a_false_alarm_at_confirmation_closes_the_incident_and_every_later_step_needs_it() -> None:
    playbook = load_playbook(BUNDLED)
    confirm = playbook.step("confirm")
    assert confirm.closes_incident is not None
    assert confirm.closes_incident.when == Condition("confirm.verdict", equals="false_alarm")
    assert confirm.closes_incident.outcome == "false_alarm"
    for step in playbook.steps[1:]:
        assert step.when == Condition("confirm.verdict", equals="confirmed")


def test_the_bundled_playbook_drafts_each_notice_at_the_step_that_sends_it() -> None:
    playbook = load_playbook(BUNDLED)
    drafted = {s.id: s.notices for s in playbook.steps if s.notices}
    assert drafted == {
        "contain": ("takedown_request",),
        "notify_supplier": ("breach_notice",),
        "assess_penalty": ("penalty_demand",),
        "demand_rectification": ("rectification_demand",),
        "partner_advisory": ("partner_advisory",),
        "close": ("internal_summary",),
    }
    assert playbook.step("close").owner == COMMANDER
    assert set(playbook.roles) == {"security", "legal", "procurement", "comms"}


def test_the_penalty_starts_from_the_contract_and_its_override_reason_is_optional() -> None:
    step = load_playbook(BUNDLED).step("assess_penalty")
    amount, reason = step.input("amount"), step.input("override_reason")
    assert amount is not None and reason is not None
    assert (amount.type, amount.default_from) == ("money", "supplier.contract.penalty")
    assert (reason.type, reason.required) == ("long_text", False)


def test_tracking_the_plan_is_due_after_the_contracts_rectification_days_or_two_weeks() -> None:
    step = load_playbook(BUNDLED).step("track_rectification")
    assert step.due == Due(contract_days="rectification_days", fallback_seconds=14 * 86400)
    assert step.reminders.escalate_after_seconds == 2 * 86400


def test_each_step_knows_the_line_it_stands_on() -> None:
    playbook = load_playbook(BUNDLED)
    lines = BUNDLED.read_text(encoding="utf-8").splitlines()
    for step in playbook.steps:
        assert step.line is not None
        assert lines[step.line - 1].strip() == f"- id: {step.id}"


def test_freezing_the_bundled_playbook_round_trips_exactly() -> None:
    playbook = load_playbook(BUNDLED)
    assert Playbook.from_dict(playbook.to_dict()) == playbook


def test_freezing_round_trips_defaults_conditions_in_lists_and_reminders(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "id: small\nname: Small\nversion: 2\n"
        "defaults: {remind_every: 6h, escalate_after: 12h, idle_after: 1d}\n"
        "steps:\n"
        "  - id: a\n    title: A\n    owner: legal\n    due: 1d12h\n"
        "    inputs:\n      - {id: kind, label: Kind, type: choice, options: [x, y, z]}\n"
        "  - id: b\n    title: B\n    owner: commander\n    after: a\n"
        "    when: {input: a.kind, in: [x, y]}\n",
        encoding="utf-8",
    )
    playbook = load_playbook(path)
    b = playbook.step("b")
    assert b.after == ("a",) and b.when == Condition("a.kind", in_=("x", "y"))
    assert playbook.step("a").due == Due(seconds=36 * 3600)
    assert (b.reminders.every_seconds, b.reminders.escalate_after_seconds) == (6 * 3600, 12 * 3600)
    assert (playbook.version, playbook.idle_after_seconds) == ("2", 86400)
    assert Playbook.from_dict(playbook.to_dict()) == playbook


def test_options_are_value_label_pairs_in_both_languages_and_plain_lists_still_load(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "id: small\nname: Small\n"
        "steps:\n"
        "  - id: a\n    title: Contain\n    title_zh: 遏制\n    owner: legal\n"
        "    inputs:\n"
        "      - id: removed\n        label: Is it down?\n        label_zh: 是否已删除？\n"
        "        type: choice\n        options:\n"
        "          - {value: all_removed, label: All copies removed, label_zh: 已全部删除}\n"
        "          - {value: still_up, label: Still online}\n"
        "      - {id: kind, label: Kind, type: choice, options: [x, y]}\n",
        encoding="utf-8",
    )
    step = load_playbook(path).step("a")
    assert (step.title_in("en"), step.title_in("zh")) == ("Contain", "遏制")
    removed, kind = step.inputs
    assert removed.label_in("zh") == "是否已删除？"
    assert [(o.value, o.label_in("en"), o.label_in("zh")) for o in removed.options] == [
        ("all_removed", "All copies removed", "已全部删除"),
        ("still_up", "Still online", "Still online"),
    ]
    assert [(o.value, o.label, o.label_zh) for o in kind.options] == [
        ("x", "x", None),
        ("y", "y", None),
    ]
    assert kind.label_in("zh") == "Kind"


def test_a_playbook_frozen_before_chinese_labels_existed_still_thaws() -> None:
    frozen = load_playbook(BUNDLED).to_dict()
    for step in frozen["steps"]:
        step.pop("title_zh")
        for i in step["inputs"]:
            i.pop("label_zh")
            for o in i["options"]:
                o.pop("label_zh")
    thawed = Playbook.from_dict(frozen)
    assert thawed.step("contain").title_in("zh") == "Request takedown where it appeared"


def test_the_bundled_playbook_labels_every_option_and_titles_every_step_in_both_languages() -> None:
    for step in load_playbook(BUNDLED).steps:
        assert step.title_zh, step.id
        for i in step.inputs:
            assert i.label_zh, (step.id, i.id)
            for o in i.options:
                assert o.label != o.value and o.label_zh, (step.id, i.id, o.value)


def test_a_chinese_label_of_the_wrong_type_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "id: small\nname: Small\nsteps:\n"
        "  - id: a\n    title: A\n    title_zh: [not, text]\n    owner: legal\n",
        encoding="utf-8",
    )
    problems = problems_of(path)
    assert [(p.line, p.key) for p in problems] == [(6, "title_zh")]


# --- broken playbooks -----------------------------------------------------------------------
BROKEN = sorted(p.name for p in FIXTURES.glob("*.yaml") if p.name != "needs_more.yaml")


@pytest.mark.parametrize("name", BROKEN)
def test_each_broken_playbook_reports_every_problem_at_its_marked_line_and_key(name: str) -> None:
    path = FIXTURES / name
    assert_problems_match(problems_of(path), path)


def test_a_cycle_in_dependencies_is_reported_once_naming_its_steps() -> None:
    (problem,) = problems_of(FIXTURES / "cycle.yaml")
    assert str(problem).endswith(
        "cycle.yaml:10: after[1]: dependency cycle: notify → track → assess → notify "
        "(each step waits for the next)"
    )


def test_problems_print_as_file_line_key_message() -> None:
    (problem,) = problems_of(FIXTURES / "unknown_dependency.yaml")
    assert str(problem) == (
        f"{FIXTURES / 'unknown_dependency.yaml'}:12: after[1]: "
        "unknown step 'contian' (no step has this id)"
    )


def test_the_same_playbook_id_in_two_files_is_reported_at_the_second() -> None:
    with pytest.raises(ProblemsFound) as caught:
        load_playbooks(FIXTURES / "same_id")
    assert_problems_match(caught.value.problems, FIXTURES / "same_id" / "second.yaml")


def test_a_file_named_twice_is_read_once() -> None:
    first = FIXTURES / "same_id" / "first.yaml"
    assert len(load_playbooks([first, first])) == 1


def test_a_missing_folder_and_an_empty_folder_are_problems(tmp_path: Path) -> None:
    with pytest.raises(ProblemsFound) as caught:
        load_playbooks([tmp_path / "nowhere", tmp_path])
    assert [p.message for p in caught.value.problems] == [
        "no such file or folder",
        "has no playbooks (*.yaml)",
    ]


def test_an_empty_playbook_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert [str(p) for p in problems_of(path)] == [f"{path}: is empty"]


def test_the_check_reports_a_role_the_config_lacks_and_a_notice_with_no_template(
    tmp_path: Path,
) -> None:
    (tmp_path / "breach_notice.en.md.j2").write_text("Notice\n", encoding="utf-8")
    config = Config(roles={"security": ("U0SEC00001",)}, source="leakbot.yaml")
    path = FIXTURES / "needs_more.yaml"
    problems = check_playbooks([path], config, tmp_path)
    assert_problems_match(problems, path)
    assert "(leakbot.yaml)" in problems[0].message


def test_the_role_check_skips_the_commander_and_names_the_config_file() -> None:
    playbook = load_playbook(BUNDLED)
    config = Config(roles={"security": ("U1",), "legal": ("U2",)}, source="ops.yaml")
    problems = check_roles(config, [playbook])
    assert {p.message for p in problems} == {
        "role 'procurement' is not in the config (ops.yaml)",
        "role 'comms' is not in the config (ops.yaml)",
    }
    assert all(p.key == "owner" and p.file == str(BUNDLED) for p in problems)
    assert [p.line for p in problems] == [
        playbook.step("demand_rectification").line,
        playbook.step("track_rectification").line,
        playbook.step("partner_advisory").line,
    ]


def test_a_missing_templates_folder_is_one_problem(tmp_path: Path) -> None:
    problems = check_playbooks([BUNDLED], None, tmp_path / "none")
    assert [p.message for p in problems] == ["templates folder not found"]


# --- durations and paths --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30m", 1800), ("4h", 14400), ("2d", 172800), ("1w", 604800), ("1d 12h", 129600)],
)
def test_durations_are_read_in_minutes_hours_days_and_weeks(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["4x", "0h", "-1d", "h", "400d", "4 hours"])
def test_a_bad_duration_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"'{text}'")):
        parse_duration(text)


def test_bundled_folders_are_found_in_the_package_or_beside_it_in_a_checkout() -> None:
    import leakbot

    package = Path(leakbot.__file__).resolve().parent
    installed = (package / "_bundled").is_dir()
    root = package / "_bundled" if installed else package.parent
    assert bundled_playbooks_dir() == root / "playbooks"
    assert bundled_templates_dir() == root / "templates"
    assert bundled_example_config() == root / "leakbot.example.yaml"
    assert (bundled_playbooks_dir() / "supplier-leak.yaml").is_file()
    assert any(bundled_templates_dir().glob("*.md.j2"))
    assert bundled_example_config().is_file()


def test_the_default_config_is_the_local_file_when_there_is_one(tmp_path: Path) -> None:
    assert default_config_path(tmp_path) == bundled_example_config()
    (tmp_path / "leakbot.yaml").write_text("roles: {}\n", encoding="utf-8")
    assert default_config_path(tmp_path) == tmp_path / "leakbot.yaml"
