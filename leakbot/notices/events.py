"""Audit entries in words, for the timeline of a summary: "Completed “Confirm the leak”"
rather than ``step.completed confirm`` — in English and in Chinese, with step titles from the
incident's playbook and names for people."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from leakbot.domain.playbook import Playbook

#: Notice kinds as a sentence names them.
KIND_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "breach_notice": "breach notice",
        "penalty_demand": "penalty demand",
        "rectification_demand": "rectification demand",
        "takedown_request": "takedown request",
        "internal_summary": "internal summary",
        "partner_advisory": "partner advisory",
    },
    "zh": {
        "breach_notice": "违约通知",
        "penalty_demand": "违约金支付通知函",
        "rectification_demand": "限期整改通知书",
        "takedown_request": "删除通知",
        "internal_summary": "事件摘要",
        "partner_advisory": "保密义务提示函",
    },
}
LOCALE_WORDS = {"en": {"en": "English", "zh": "Chinese"}, "zh": {"en": "英文", "zh": "中文"}}
FORMAT_WORDS = {"docx": "Word", "md": "Markdown"}

Phrase = Callable[[str, Mapping[str, Any]], str]

_EN: dict[str, str] = {
    "incident.opened": "Reported the leak; the incident was opened",
    "incident.closed": "Closed the incident",
    "incident.reopened": "Reopened the incident",
    "commander.changed": "Handed command to {commander}",
    "step.ready": "{step} became ready",
    "step.completed": "Completed {step}",
    "step.skipped": "Skipped {step}",
    "step.reopened": "Reopened {step}",
    "step.blocked": "{step} waits again",
    "step.escalated": "{step} was escalated to the commander (overdue)",
    "reminder.sent": "Reminded the owners of {step}",
    "notice.drafted": "Drafted the {notice}, version {version}",
    "notice.approved": "Approved the {notice}, version {version}",
    "notice.pulled": "Downloaded the {notice}, version {version} ({format})",
    "evidence.added": "Added evidence",
    "dossier.requested": "Requested the dossier",
}
_ZH: dict[str, str] = {
    "incident.opened": "报告泄露，立案",
    "incident.closed": "结案",
    "incident.reopened": "重新开启事件",
    "commander.changed": "将事件负责人移交给{commander}",
    "step.ready": "{step}可以开始处理",
    "step.completed": "完成{step}",
    "step.skipped": "跳过{step}",
    "step.reopened": "重新开启{step}",
    "step.blocked": "{step}重新等待前序步骤",
    "step.escalated": "{step}逾期，已上报事件负责人",
    "reminder.sent": "提醒{step}的负责人",
    "notice.drafted": "起草{notice}第{version}版",
    "notice.approved": "批准{notice}第{version}版",
    "notice.pulled": "下载{notice}第{version}版（{format}）",
    "evidence.added": "添加证据",
    "dossier.requested": "申请导出案卷",
}
_IDLE = {
    "en": "Reminded the commander: nothing has happened for a while",
    "zh": "提醒事件负责人：事件长时间无进展",
}


def _step(playbook: Playbook, step_id: str, locale: str) -> str | None:
    try:
        title = playbook.step(step_id).title_in(locale)
    except KeyError:
        return None
    return f"“{title}”"


def _notice(subject: str, locale: str) -> str:
    """``takedown_request.en@forum.example`` → "takedown request (English) to forum.example"."""
    name, _, addressee = subject.partition("@")
    kind, _, loc = name.partition(".")
    words = KIND_WORDS[locale].get(kind, kind.replace("_", " "))
    lang = LOCALE_WORDS[locale].get(loc, loc)
    if locale == "zh":
        return f"{words}（{lang}版{'，致' + addressee if addressee else ''}）"
    return f"{words} ({lang}{', to ' + addressee if addressee else ''})"


def event_words(
    action: str,
    subject: str,
    after: Any,
    playbook: Playbook,
    locale: str,
    names: Mapping[str, str],
) -> str:
    """One audit entry as a sentence in ``locale`` (``en`` or ``zh``)."""
    phrases = _ZH if locale == "zh" else _EN
    lang = "zh" if locale == "zh" else "en"
    detail = after if isinstance(after, Mapping) else {}
    pattern = phrases.get(action)
    if pattern is None:  # an action this table does not know yet: its name, in words
        words = action.replace(".", " ").replace("_", " ").strip()
        return f"其他记录（{words}）" if lang == "zh" else words[:1].upper() + words[1:]
    if action == "reminder.sent" and _step(playbook, subject, lang) is None:
        return _IDLE[lang]
    values = {
        "step": _step(playbook, subject, lang) or subject,
        "notice": _notice(subject, lang),
        "version": detail.get("version", "?"),
        "format": FORMAT_WORDS.get(str(detail.get("format")), str(detail.get("format") or "")),
        "commander": names.get(str(detail.get("commander")), str(detail.get("commander") or "")),
    }
    return pattern.format(**values)
