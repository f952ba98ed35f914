"""Rendering notices from the templates folder in a Jinja2 sandbox.

Templates are written by the operator's legal team and see only plain facts; user text in those
facts (titles, assets, URLs, inputs) is data and is never evaluated — it reaches the output
escaped for Markdown. A template problem is reported as ``file:line: message``.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    Undefined,
)
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import pass_context

from leakbot.notices.chinese import in_chinese, quote_zh
from leakbot.notices.escape import MarkdownText, escape_markdown, finalize
from leakbot.notices.frontmatter import (
    FILE_NAME,
    PER_PLATFORM,
    SUFFIX,
    FrontMatter,
    TemplateFile,
    is_partial,
    read_template,
)
from leakbot.notices.money import amount_in_words, format_date, format_money
from leakbot.notices.sample import sample_facts
from leakbot.notices.template_check import read_back_problems
from leakbot.operator_errors import Problem, ProblemsFound, UserError


@dataclass(frozen=True)
class RenderedNotice:
    kind: str
    locale: str
    title: str
    audience: str
    body_markdown: str

    @property
    def body(self) -> str:
        return self.body_markdown


class _FolderLoader(BaseLoader):
    """Loads ``name`` from the folder, front matter blanked so line numbers stay true."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder / template
        if "/" in template or "\\" in template or not path.is_file():
            raise TemplateNotFound(template)
        mtime = path.stat().st_mtime
        source = path.read_text(encoding="utf-8") if is_partial(path) else read_template(path).body
        return source, str(path), lambda: path.is_file() and path.stat().st_mtime == mtime


def _locale_of(ctx: Context, locale: str | None) -> str:
    return locale or str(ctx.get("locale") or "en")


def _defined(value: Any) -> Any:
    """Filters receive an Undefined without complaint; make a misspelled name fail here, with
    the template's line, instead of deep inside Babel."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    return value


@pass_context
def _money(ctx: Context, amount: Decimal, currency: str, locale: str | None = None) -> str:
    amount, currency = _defined(amount), _defined(currency)
    return MarkdownText(format_money(Decimal(str(amount)), currency, _locale_of(ctx, locale)))


@pass_context
def _words(ctx: Context, amount: Decimal, currency: str, locale: str | None = None) -> str:
    amount, currency = _defined(amount), _defined(currency)
    return MarkdownText(amount_in_words(Decimal(str(amount)), currency, _locale_of(ctx, locale)))


@pass_context
def _date(
    ctx: Context, value: date | datetime, with_time: bool = False, locale: str | None = None
) -> str:
    if not isinstance(_defined(value), date):
        raise TypeError(f"the date filter needs a date, not {type(value).__name__}")
    return MarkdownText(format_date(value, _locale_of(ctx, locale), with_time=with_time))


@pass_context
def _person(ctx: Context, user_id: Any) -> str:
    """A Slack user id as the person's name, when leakbot has learnt it (else the id)."""
    user_id = _defined(user_id)
    if user_id in (None, ""):
        return ""
    people = ctx.get("people")
    known = people.get(str(user_id)) if isinstance(people, Mapping) else None
    return str(known or user_id)


def _quote_zh(text: Any) -> str:
    return quote_zh(str(_defined(text) or ""))


def _in_chinese(text: Any) -> str:
    return in_chinese(str(_defined(text) or ""))


def make_environment(templates_dir: Path) -> ImmutableSandboxedEnvironment:
    """The sandbox: no attribute tricks, nothing mutable, an error for any unknown name."""
    env = ImmutableSandboxedEnvironment(
        loader=_FolderLoader(templates_dir),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
    )
    env.filters.update(
        money=_money,
        words=_words,
        date=_date,
        md=escape_markdown,
        person=_person,
        quote_zh=_quote_zh,
        in_chinese=_in_chinese,
    )
    return env


def _template_line(exc: BaseException, filename: str) -> int | None:
    """The line of ``filename`` where ``exc`` arose: Jinja rewrites tracebacks so that template
    frames carry the template's own file name and line."""
    if isinstance(exc, TemplateSyntaxError) and exc.lineno:
        return exc.lineno
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    return line


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TemplateSyntaxError):
        return f"syntax error: {exc.message}"
    if exc.__class__.__name__ == "UndefinedError":
        return f"undefined: {exc}"
    if exc.__class__.__name__ == "SecurityError":
        return f"not allowed in a template: {exc}"
    return f"cannot be rendered: {exc.__class__.__name__}: {exc}"


def _lookup(facts: Mapping[str, Any], path: str) -> Any:
    value: Any = facts
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


class NoticeRenderer:
    """The notices in one templates folder. The folder is read on each call, so edited
    templates take effect without a restart (and ``leakbot playbook check`` sees them)."""

    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = Path(templates_dir)
        self.env = make_environment(self.templates_dir)
        self._titles: dict[str, Template] = {}  # front matter title -> compiled

    def kinds(self) -> dict[str, tuple[str, ...]]:
        """kind -> locales with a template, both sorted."""
        found: dict[str, list[str]] = {}
        for path in sorted(self.templates_dir.glob(f"*{SUFFIX}")):
            m = FILE_NAME.match(path.name)
            if m and not is_partial(path):
                found.setdefault(m.group("kind"), []).append(m.group("locale"))
        return {kind: tuple(sorted(locales)) for kind, locales in sorted(found.items())}

    def template(self, kind: str, locale: str) -> TemplateFile:
        path = self.templates_dir / f"{kind}.{locale}{SUFFIX}"
        if not FILE_NAME.match(path.name) or not path.is_file():
            raise UserError(f"There is no `{kind}` notice template in `{locale}`.")
        return read_template(path)

    def missing(self, kind: str, locale: str, facts: Mapping[str, Any]) -> list[str]:
        """The ``requires`` paths of the template that the facts leave empty."""
        front = self.template(kind, locale).front
        return [p for p in front.requires if _lookup(facts, p) in (None, "", [], {})]

    def render(self, kind: str, locale: str, facts: Mapping[str, Any]) -> RenderedNotice:
        tpl = self.template(kind, locale)
        front = tpl.front
        context = {**facts, "locale": locale, "kind": kind}
        file = str(tpl.path)
        try:
            body = self.env.get_template(tpl.path.name).render(context)
        except (TemplateError, ArithmeticError, TypeError, ValueError) as e:
            raise ProblemsFound([Problem(file, _template_line(e, file), None, _describe(e))]) from e
        try:
            title = self._title(front.title).render(context)
        except (TemplateError, ArithmeticError, TypeError, ValueError) as e:
            line = front.lines.get("title")
            raise ProblemsFound([Problem(file, line, "title", _describe(e))]) from e
        return RenderedNotice(
            kind=kind,
            locale=locale,
            title=_plain_title(title),
            audience=front.audience,
            body_markdown=_BLANK_RUNS.sub("\n\n", body).strip("\n") + "\n",
        )

    def _title(self, source: str) -> Template:
        """The title's template, compiled once per distinct title text."""
        compiled = self._titles.get(source)
        if compiled is None:
            if len(self._titles) >= _TITLES_KEPT:
                self._titles.clear()
            compiled = self._titles[source] = self.env.from_string(source)
        return compiled


_TITLES_KEPT = 256
_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")  # what skipped blocks leave behind
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def _plain_title(title: str) -> str:
    """Titles are shown in Slack and file names as plain text: undo the Markdown escapes."""
    return " ".join(_ESCAPED.sub(r"\1", title).split())


def check_templates(templates_dir: Path) -> list[Problem]:
    """Every problem in the folder's templates: file names, front matter, syntax, names a
    template uses that the facts do not have, and what a reader of the Word file would stumble
    on (leftover markup, empty values, English in a Chinese letter) — found by rendering each
    template with the seed case (complete, sparse, and under a per-breach penalty), turning it
    into Word and reading it back."""
    folder = Path(templates_dir)
    if not folder.is_dir():
        return [Problem(str(folder), None, None, "the templates folder does not exist")]
    renderer = NoticeRenderer(folder)
    samples = sample_facts()
    problems: list[Problem] = []
    read_back: set[tuple[Path, str]] = set()
    for path in sorted(folder.glob("*.j2")):
        file = str(path)
        if is_partial(path):
            problems += _syntax_problems(renderer, path)
            continue
        m = FILE_NAME.match(path.name)
        if m is None:
            problems.append(Problem(file, None, None, f"name it <kind>.<locale>{SUFFIX}"))
            continue
        try:
            front: FrontMatter = read_template(path).front
        except ProblemsFound as e:
            problems += e.problems
            continue
        syntax = _syntax_problems(renderer, path)
        if syntax:
            problems += syntax
            continue
        for facts in samples:
            if front.one_per == PER_PLATFORM and facts["platforms"]:
                facts = {**facts, "platform": facts["platforms"][0]}
            if renderer.missing(front.kind, front.locale, facts):
                continue
            try:
                notice = renderer.render(front.kind, front.locale, facts)
            except ProblemsFound as e:
                problems += [p for p in e.problems if p not in problems]
                continue
            if (path, notice.body_markdown) in read_back:
                continue
            read_back.add((path, notice.body_markdown))
            found = read_back_problems(path, front.locale, notice.body_markdown, facts)
            problems += [p for p in found if p not in problems]
    return problems


def _syntax_problems(renderer: NoticeRenderer, path: Path) -> list[Problem]:
    try:
        renderer.env.get_template(path.name)
    except TemplateSyntaxError as e:
        return [Problem(str(path), e.lineno, None, _describe(e))]
    return []
