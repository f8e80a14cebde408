"""PM101-PM105: required sections per status, unfilled template guidance, the action table, a
trigger that repeats the root causes.

Sections are found under their built-in headings or an alias from `[lint.section_aliases]`
(see `parse_body`); a message about an aliased section also names the built-in heading.
"""

from __future__ import annotations

import re

from pmctl.domain.action_table import render_table
from pmctl.domain.comments import without_comments
from pmctl.domain.lint.body import Body, Heading
from pmctl.domain.lint.context import Context, Hit
from pmctl.domain.lint.registry import (
    ACTION_TABLE_DRIFT,
    GUIDE_LEFT_OVER,
    SECTION_MISSING,
    SECTION_UNFILLED,
    TRIGGER_REPEATS_ROOT_CAUSE,
)
from pmctl.domain.model import Language, Status
from pmctl.domain.sections import (
    ACTION_TABLE_END,
    ACTION_TABLE_START,
    GUIDE_OPEN,
    SECTIONS,
    SECTIONS_BY_KEY,
    Section,
    heading_name,
    section_names,
)
from pmctl.domain.wording import plural

_GUIDE = re.compile(re.escape(GUIDE_OPEN) + r".*?-->", re.DOTALL)


def check(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    rank = ctx.rank
    language = ctx.postmortem.language if ctx.postmortem else Language.EN
    body = ctx.body
    guides = GUIDE_OPEN in body.source
    for section in SECTIONS:
        required = section.required_from is not None and section.required_from.rank <= rank
        # Where a section ends is only needed to read it: a written document's optional
        # sections are only looked up (15 extents took ~4 % of a realistic document's lint).
        written_optional = not guides and not required
        found = body.section(section.key) if written_optional else body.extent(section.key)
        if found is None:
            if required:
                hits.append(_missing(ctx, section, language))
            continue
        if written_optional:  # a written document: only an empty required section counts
            continue
        heading, start, end = found
        content = body.text(start, end)
        if not guides:
            if content and not content.isspace():
                continue
            filled = ""
        else:
            filled = _GUIDE.sub("", content).strip() if GUIDE_OPEN in content else content.strip()
        # A draft is being written: its placeholders are expected (and `pmctl new` must
        # produce a file that passes the pre-commit hook). They are errors from in-review on.
        if not filled and required and rank >= Status.IN_REVIEW.rank:
            hits.append(
                Hit(
                    SECTION_UNFILLED,
                    body.file_line(start - heading.rows),
                    f"section {_label(heading, section, language)} is not filled in",
                    _underlined_text_hint(body, end)
                    or "replace the `<!-- pmctl:guide ... -->` comment with the section's text",
                )
            )
        elif filled and rank > 0 and GUIDE_OPEN in content:
            offset = next(i for i in range(start, end) if GUIDE_OPEN in body.lines[i])
            hits.append(
                Hit(
                    GUIDE_LEFT_OVER,
                    body.file_line(offset),
                    f"template guidance left in section {_label(heading, section, language)}",
                    "delete the `<!-- pmctl:guide ... -->` comment now that the section is written",
                )
            )
    if rank >= Status.IN_REVIEW.rank:
        hits.extend(_trigger_repeats_root_cause(body, language))
    if ctx.postmortem is not None:
        hits.extend(_table_drift(ctx, language))
    return hits


def _trigger_repeats_root_cause(body: Body, language: Language) -> list[Hit]:
    """The Trigger section when its text is the Root Causes' (a copy, blanks and case
    aside): the review asks whether the two are told apart, and a copy says they are not."""
    cause, trigger = body.section("root-causes"), body.section("trigger")
    if cause is None or trigger is None:
        return []
    words = _words(body.text(cause[1], cause[2]))
    if not words or words != _words(body.text(trigger[1], trigger[2])):
        return []
    heading, start, _ = trigger
    root = SECTIONS_BY_KEY["root-causes"].heading(language)
    return [
        Hit(
            TRIGGER_REPEATS_ROOT_CAUSE,
            body.file_line(start - heading.rows),
            f"section '{heading.text}' repeats section '{root}' word for word",
            "say what set the incident off (a deploy, a traffic spike) under the trigger, and "
            "why the system could fail that way under the root causes",
        )
    ]


def _words(markdown: str) -> str:
    """The text of `markdown` without comments, blanks and line breaks (Japanese breaks a
    line within a sentence, where there is no blank), and with case folded."""
    return "".join(without_comments(markdown).split()).casefold()


def _missing(ctx: Context, section: Section, language: Language) -> Hit:
    message = (
        f"section '{section.heading(language)}' is missing (required from {section.required_from})"
    )
    return Hit(
        SECTION_MISSING,
        _insertion_line(ctx, section.key),
        message,
        _missing_hint(ctx, section, language),
    )


def _underlined_text_hint(body: Body, row: int) -> str | None:
    """For a section that looks empty because its text is underlined with `---` (a rule
    with no blank line before it), which Markdown makes a heading: how to keep it text."""
    found = next((heading for at, heading in body.headings if at == row), None)
    if found is None or found.rows < 2 or found.key is not None:
        return None
    text = found.text if len(found.text) <= 50 else found.text[:47] + "..."
    return (
        f"'{text}' has a `---` or `===` line right under it, which makes it a "
        "heading: put a blank line before that line to keep the text in the section"
    )


def _missing_hint(ctx: Context, section: Section, language: Language) -> str:
    hint = f"add a `{'#' * section.level} {section.heading(language)}` section"
    aliases = section_names(ctx.settings.lint.section_aliases).aliases.get(section.key)
    if aliases:
        hint += f" (or one of its aliases: {', '.join(aliases)})"
    return hint


def _label(heading: Heading, section: Section, language: Language) -> str:
    """The heading as written, quoted; an alias is followed by the built-in heading, so
    that the message names the section as pmctl (and its review checklist) knows it."""
    if heading_name(heading.text) in (heading_name(section.en), heading_name(section.ja)):
        return f"'{heading.text}'"
    return f"'{heading.text}' ({section.heading(language)})"


def _insertion_line(ctx: Context, key: str) -> int:
    """Line of the next present section after `key` in template order: where it belongs."""
    keys = [section.key for section in SECTIONS]
    for later in keys[keys.index(key) + 1 :]:
        found = ctx.body.section(later)
        if found is not None:
            return ctx.body.file_line(found[1] - found[0].rows)
    return ctx.body.file_line(len(ctx.body.lines) - 1) if ctx.body.lines else ctx.body.first_line


def _table_drift(ctx: Context, language: Language) -> list[Hit]:
    assert ctx.postmortem is not None
    items = ctx.postmortem.action_items
    source = ctx.body.source
    found = source.find(ACTION_TABLE_START)
    expected_text = render_table(items, language)
    if found >= 0 and source.startswith(expected_text, found):
        return []  # the usual case, decided without splitting lines
    start = source.count("\n", 0, found) if found >= 0 else None
    hint = (
        "the table is generated from `action_items:` in the front matter; "
        "change the items there (or with `pmctl action`) and regenerate the table"
    )
    if start is None:
        if not items:
            return []
        return [
            Hit(
                ACTION_TABLE_DRIFT,
                ctx.line_of("action_items"),
                f"{plural(len(items), 'action item')} in the front matter but no generated table in the body",
                f"add the table between `{ACTION_TABLE_START}` and `{ACTION_TABLE_END}`",
            )
        ]
    lines = ctx.body.lines
    end = next((i for i in range(start, len(lines)) if lines[i].strip() == ACTION_TABLE_END), None)
    if end is None:
        return [
            Hit(
                ACTION_TABLE_DRIFT,
                ctx.body.file_line(start),
                "the action-item table has no end marker",
                f"add `{ACTION_TABLE_END}` after the table",
            )
        ]
    actual = [line.strip() for line in lines[start : end + 1]]
    expected = [line.strip() for line in expected_text.split("\n")]
    if actual == expected:
        return []
    differing = next(
        (i for i, (a, b) in enumerate(zip(actual, expected, strict=False)) if a != b),
        min(len(actual), len(expected)) - 1,
    )
    return [
        Hit(
            ACTION_TABLE_DRIFT,
            ctx.body.file_line(start + differing),
            "the action-item table differs from `action_items:` in the front matter",
            hint,
        )
    ]
