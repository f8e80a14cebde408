"""The reading club: which postmortems to discuss next, and what to ask about them.

A good pick had a real impact and teaches a lot (lessons written down, action items), and a
session's picks differ: other services, other years — old postmortems too, not only last
month's. Reviewed and closed postmortems only (the others are still being written), and
none discussed less than `repeat_after_days` ago. The sessions held are kept in one
repository file (`.pmctl/reading-club.toml`), appended to by `pmctl reading-club --record`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from pmctl.domain.digest import excerpt
from pmctl.domain.learning.snippet import flatten
from pmctl.domain.lint.body import Body
from pmctl.domain.model import Language, Postmortem, PostmortemId, Status
from pmctl.domain.wording import plural
from pmctl.domain.years import whole_years, year_before

SHORTLIST = 40
"""Postmortems whose bodies are read for the lessons, of the best by front matter alone."""


class Session(BaseModel):
    """One reading-club session: when, and which postmortems were discussed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    discussed: list[PostmortemId] = Field(min_length=1)


class Log(BaseModel):
    """The sessions file: `[[session]]` tables, oldest first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    session: list[Session] = Field(default_factory=list)

    def discussed_on(self, day: dt.date) -> set[str]:
        """The postmortems that a session of `day` discussed."""
        return {
            postmortem_id
            for session in self.session
            if session.date == day
            for postmortem_id in session.discussed
        }

    def last_discussed(self) -> dict[str, dt.date]:
        """Postmortem id -> the last session that discussed it."""
        found: dict[str, dt.date] = {}
        for session in self.session:
            for postmortem_id in session.discussed:
                if postmortem_id not in found or found[postmortem_id] < session.date:
                    found[postmortem_id] = session.date
        return found


QUOTE_CHARS = 280
"""Characters of a lesson that a discussion question quotes at most (as the digest does)."""

LOG_HEADER = """\
# Reading-club sessions, recorded by `pmctl reading-club --record`. A postmortem discussed
# here is not proposed again until `[reading_club] repeat_after_days` have passed.
"""


def session_toml(date: dt.date, ids: Sequence[str]) -> str:
    """The `[[session]]` table to append for a session (ids are plain, no quoting needed)."""
    listed = ", ".join(f'"{postmortem_id}"' for postmortem_id in ids)
    return f"\n[[session]]\ndate = {date.isoformat()}\ndiscussed = [{listed}]\n"


@dataclass(frozen=True, slots=True)
class Lessons:
    """What the body teaches: how many lessons (bullets, or paragraphs where a kind has no
    bullets), and the first of each kind, for questions."""

    bullets: int
    went_wrong: str | None
    got_lucky: str | None
    trigger: str | None


@dataclass(frozen=True, slots=True)
class Pick:
    postmortem: Postmortem
    score: float
    reasons: tuple[str, ...]
    questions: tuple[str, ...]
    last_discussed: dt.date | None


@dataclass(frozen=True, slots=True)
class Proposal:
    today: dt.date
    picks: tuple[Pick, ...]
    candidates: int
    """Reviewed or closed postmortems that could be proposed."""
    resting: int
    """Of the reviewed and closed ones, those discussed too recently."""
    language: Language = Language.EN
    """The language of its words (`default_language`); each pick's questions are in the
    language of its postmortem."""


def lessons_of(body: Body) -> Lessons:
    """The lessons of a parsed body."""
    bullets = 0
    first: dict[str, str | None] = {}
    for key in ("went-well", "went-wrong", "got-lucky"):
        found = body.section(key)
        items = _lessons(body, found[1], found[2]) if found is not None else []
        bullets += len(items)
        first[key] = items[0] if items else None
    trigger = body.section("trigger")
    trigger_text = flatten(body.text(trigger[1], trigger[2])) if trigger is not None else ""
    return Lessons(bullets, first["went-wrong"], first["got-lucky"], trigger_text or None)


def _lessons(body: Body, start: int, end: int) -> list[str]:
    """The lessons of lines [start, end): its bullet items, or, written as prose, its
    paragraphs (without comments: a draft's guidance is no lesson). Prose lessons counted
    none: "0 lessons" beside three filled-in sections of them."""
    items = _bullets(body, start, end)
    if items:
        return items
    prose = body.text(start, end, prose=True)
    return [flatten(part) for part in prose.split("\n\n") if part.strip()]


def _bullets(body: Body, start: int, end: int) -> list[str]:
    """The bullet items of lines [start, end), each joined onto one line."""
    items: list[str] = []
    for line in body.lines[start:end]:
        stripped = line.strip()
        if stripped.startswith(("- ", "* ", "+ ")):
            items.append(stripped[2:].strip())
        elif stripped and items and line.startswith((" ", "\t")):
            items[-1] += ("" if _is_wide(items[-1][-1:]) else " ") + stripped
    return items


def _is_wide(character: str) -> bool:
    return bool(character) and ord(character) >= 0x3000


def eligible(
    postmortems: Sequence[Postmortem],
    last: Mapping[str, dt.date],
    *,
    today: dt.date,
    repeat_after_days: int,
) -> tuple[list[Postmortem], int]:
    """Reviewed and closed postmortems not discussed in the last `repeat_after_days`, and
    how many were left out for that."""
    kept: list[Postmortem] = []
    resting = 0
    for postmortem in postmortems:
        if postmortem.status.rank < Status.REVIEWED.rank:
            continue
        discussed = last.get(postmortem.id)
        if discussed is not None and (today - discussed).days < repeat_after_days:
            resting += 1
            continue
        kept.append(postmortem)
    return kept, resting


def impact(postmortem: Postmortem, severities: Sequence[str]) -> float:
    """0..1: how severe (the configured scale, most severe first) and how long users saw it."""
    rank = severities.index(postmortem.severity) if postmortem.severity in severities else None
    severity = 1 - rank / len(severities) if rank is not None else 0.25
    minutes = postmortem.impact.user_visible_minutes or 0
    return 0.6 * severity + 0.4 * min(1.0, math.log1p(minutes) / math.log1p(600))


def front_score(postmortem: Postmortem, severities: Sequence[str]) -> float:
    """The score from the front matter alone, to choose whose bodies to read."""
    return 0.5 * impact(postmortem, severities) + 0.2 * min(1.0, len(postmortem.action_items) / 8)


def score(postmortem: Postmortem, lessons: Lessons, severities: Sequence[str]) -> float:
    """0..1: impact (half) and how much it teaches (lessons and action items)."""
    teaches = 0.6 * min(1.0, lessons.bullets / 6) + 0.4 * min(1.0, len(postmortem.action_items) / 8)
    return 0.5 * impact(postmortem, severities) + 0.5 * teaches


def choose(
    scored: Sequence[tuple[Postmortem, float, Lessons]], *, picks: int, today: dt.date
) -> list[tuple[Postmortem, float, Lessons]]:
    """`picks` of them, best first, each next one discounted for every service it shares
    with those already chosen and for a year already chosen, and none linked (`related`)
    to one already chosen (a translation, the same incident); and at least one from before
    the last year when there is one."""
    left = sorted(scored, key=lambda item: (-item[1], item[0].id))
    chosen: list[tuple[Postmortem, float, Lessons]] = []
    while left and len(chosen) < picks:
        services = {s.lower() for item in chosen for s in item[0].services}
        years = {item[0].id[:4] for item in chosen}
        best = max(
            enumerate(left), key=lambda pair: (_discounted(pair[1], services, years), -pair[0])
        )[1]
        chosen.append(best)
        linked = {best[0].id, *best[0].related}
        left = [
            item for item in left if item[0].id not in linked and best[0].id not in item[0].related
        ]
    year_ago = year_before(today)
    older = [item for item in left if dt.date.fromisoformat(item[0].id[:10]) < year_ago]
    if (
        chosen
        and older
        and all(dt.date.fromisoformat(item[0].id[:10]) >= year_ago for item in chosen)
    ):
        chosen[-1] = older[0]
    return chosen


def _discounted(
    item: tuple[Postmortem, float, Lessons], services: set[str], years: set[str]
) -> float:
    shared = len(services & {service.lower() for service in item[0].services})
    return item[1] * 0.5**shared * (0.7 if item[0].id[:4] in years else 1.0)


_REASONS = {
    Language.EN: {
        "minutes": ", {minutes} user-visible minutes",
        "from": "from {year}",
        "ago": " ({years} years ago)",
        "never": "never discussed",
        "last": "last discussed {date}",
    },
    Language.JA: {
        "minutes": "、ユーザー影響 {minutes} 分",
        "counts": "教訓 {lessons} 件、アクションアイテム {actions} 件",
        "from": "{year} 年",
        "ago": "({years} 年前)",
        "never": "未討議",
        "last": "前回の討議 {date}",
    },
}


def reasons(
    postmortem: Postmortem,
    lessons: Lessons,
    last: dt.date | None,
    *,
    today: dt.date,
    language: Language = Language.EN,
) -> tuple[str, ...]:
    """Why it is proposed, in `language` (the club's, `default_language`), shortest first."""
    words = _REASONS[language]
    minutes = postmortem.impact.user_visible_minutes
    said = [postmortem.severity + (words["minutes"].format(minutes=minutes) if minutes else "")]
    lessons_count, actions = lessons.bullets, len(postmortem.action_items)
    said.append(
        f"{plural(lessons_count, 'lesson')}, {plural(actions, 'action item')}"
        if language is Language.EN  # ("1 action items")
        else words["counts"].format(lessons=lessons_count, actions=actions)
    )
    years = whole_years(dt.date.fromisoformat(postmortem.id[:10]), today)
    ago = words["ago"].format(years=years) if years > 1 else ""
    said.append(words["from"].format(year=postmortem.id[:4]) + ago)
    said.append(words["never"] if last is None else words["last"].format(date=last.isoformat()))
    return tuple(said)


def questions(postmortem: Postmortem, lessons: Lessons) -> tuple[str, ...]:
    """Up to three questions for the discussion, drawn from the postmortem itself, in its
    language."""
    ja = postmortem.language is Language.JA
    asked: list[str] = []
    if lessons.went_wrong:
        went_wrong = _quoted(lessons.went_wrong)
        asked.append(
            f"「{went_wrong.rstrip('。')}」— 今の私たちにも起こりうるか。そのとき何をするか。"
            if ja
            else f"“{went_wrong}” — could this happen to us today? What would we do?"
        )
    if lessons.got_lucky:
        got_lucky = _quoted(lessons.got_lucky)
        asked.append(
            f"幸運だったこと:「{got_lucky.rstrip('。')}」。そうでなかったら、どうなっていたか。"
            if ja
            else f"We got lucky: “{got_lucky}” What if we had not been?"
        )
    if lessons.trigger:
        trigger = _quoted(_sentence(lessons.trigger))
        asked.append(
            f"発生要因は「{trigger.rstrip('。')}」。"
            "なぜそれが障害になったのか。同じ弱点は他のどこに潜んでいるか。"
            if ja
            else f"The trigger was “{trigger}” Why did it become an outage, "
            "and where else is the same weakness waiting?"
        )
    open_items = [item for item in postmortem.action_items if item.status.is_open]
    if len(asked) < 3 and open_items:
        item = open_items[0]
        title = _quoted(item.title)
        asked.append(
            f"{item.id}「{title}」はまだ {item.status.value}。今もやる価値があるか。誰が進めるか。"
            if ja
            else f"{item.id} “{title}” is still {item.status.value}: is it still worth "
            "doing, and who drives it?"
        )
    if not asked:
        asked.append(
            "自分たちならどう対応したか。何が違っていたか。"
            if ja
            else "How would we have handled it, and what would have been different?"
        )
    return tuple(asked[:3])


def _quoted(text: str) -> str:
    """What a question quotes of a lesson: all of it, or its first `QUOTE_CHARS`
    characters, cut at a word, with `…` (a lesson of 900 KB was quoted whole)."""
    return excerpt(text, QUOTE_CHARS)


def _sentence(text: str) -> str:
    """The first sentence of `text` (up to its full stop), or all of it."""
    for stop in ("。", ". "):
        if stop in text:
            return text[: text.index(stop) + len(stop)].strip()
    return text.strip()
