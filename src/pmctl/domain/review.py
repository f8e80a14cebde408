"""The review checklist and the rules of approval.

The questions are the SRE book's five (ch. 15: key data, impact, root cause, action plan,
sharing) plus the seed's process questions (one owner, root cause told apart from the
trigger, lessons of all three kinds, action items typed/owned/prioritised, blameless tone).
Each is pre-answered from lint findings and the front matter where a machine can tell:
`False` with the reasons when something is missing, `True` only where the check is complete
(e.g. "is an owner named"), `None` where a person must judge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pmctl.domain.commits import Commit
from pmctl.domain.lint.findings import Finding, Severity
from pmctl.domain.lint.registry import (
    ACTION_DUPLICATE_ID,
    ACTION_OWNER_MISSING,
    ACTION_PRIORITY_MISSING,
    ACTION_TYPE_MISSING,
    ACTION_UNTRACKED,
    ACTION_VAGUE,
    BLAME_LANGUAGE,
    COUNTERFACTUAL,
    CRITERIA_EMPTY,
    CRITERIA_INCONSISTENT,
    CRITERION_BELOW_THRESHOLD,
    HUMAN_ERROR_ROOT_CAUSE,
    NOT_SHARED,
    RULES_BY_ID,
    SECTION_MISSING,
    SECTION_UNFILLED,
    TIMELINE_ORDER,
    TIMESTAMPS_ORDER,
    TRIGGER_REPEATS_ROOT_CAUSE,
    Rule,
)
from pmctl.domain.model import Language, Postmortem, Status, Verdict
from pmctl.domain.sections import SECTIONS_BY_KEY

Check = Callable[[Postmortem], str | None]
"""Returns why the question fails on the front matter alone (in the postmortem's language)."""


@dataclass(frozen=True, slots=True)
class Question:
    """One checklist question; `id` is the key of the answer in a review's `checklist`."""

    id: str
    source: str
    en: str
    ja: str
    rules: frozenset[Rule] = frozenset()
    sections: tuple[str, ...] = ()
    check: Check | None = None
    decidable: bool = False
    """True when passing the machine checks answers the question (no judgement needed)."""

    def text(self, language: Language) -> str:
        return self.ja if language is Language.JA else self.en


@dataclass(frozen=True, slots=True)
class Answer:
    """A question with its pre-answer, the findings behind it and other reasons."""

    question: Question
    answer: bool | None
    findings: tuple[Finding, ...] = ()
    reasons: tuple[str, ...] = ()


def _say(postmortem: Postmortem, en: str, ja: str) -> str:
    return ja if postmortem.language is Language.JA else en


def _timestamps(postmortem: Postmortem) -> str | None:
    times = postmortem.timestamps
    missing = ", ".join(
        name
        for name in ("started", "detected", "mitigated", "resolved")
        if not getattr(times, name)
    )
    if not missing:
        return None
    return _say(postmortem, f"timestamps missing: {missing}", f"timestamps が未記入: {missing}")


def _impact(postmortem: Postmortem) -> str | None:
    impact = postmortem.impact
    numbers = (impact.user_visible_minutes, impact.affected_users, impact.affected_queries)
    if all(value is None for value in numbers) and not impact.description:
        return _say(
            postmortem, "impact: no numbers and no description", "impact に数値も説明もない"
        )
    return None


def _has_actions(postmortem: Postmortem) -> str | None:
    if postmortem.action_items:
        return None
    return _say(postmortem, "no action items", "アクションアイテムがない")


def _shared(postmortem: Postmortem) -> str | None:
    if postmortem.shared_with:
        return None
    return _say(postmortem, "shared_with is empty", "shared_with が空")


def _owner(postmortem: Postmortem) -> str | None:
    return None if postmortem.owner.strip() else _say(postmortem, "owner is empty", "owner が空")


QUESTIONS: tuple[Question, ...] = (
    Question(
        "key-data",
        "sre",
        "Was the key data of the incident collected for posterity (timestamps, timeline)?",
        "後々のためにインシデントの主要なデータは収集されたか(時刻、タイムライン)?",
        rules=frozenset({TIMESTAMPS_ORDER, TIMELINE_ORDER}),
        sections=("timeline", "detection"),
        check=_timestamps,
    ),
    Question(
        "impact",
        "sre",
        "Is the impact assessment complete?",
        "インパクトの分析は完全か?",
        rules=frozenset({CRITERIA_INCONSISTENT, CRITERIA_EMPTY, CRITERION_BELOW_THRESHOLD}),
        sections=("impact",),
        check=_impact,
    ),
    Question(
        "root-cause",
        "sre",
        "Was the root cause analysed deeply enough?",
        "根本原因は十分に深く分析されているか?",
        rules=frozenset({HUMAN_ERROR_ROOT_CAUSE}),
        sections=("root-causes",),
    ),
    Question(
        "action-plan",
        "sre",
        "Is the action plan appropriate, and are the resulting bug fixes at the right priority?",
        "アクションプランは適切で、その結果として行われたバグの修正には適切な優先順位が与えられているか?",
        rules=frozenset({ACTION_VAGUE, ACTION_UNTRACKED}),
        check=_has_actions,
    ),
    Question(
        "shared",
        "sre",
        "Was the outcome shared with the relevant stakeholders?",
        "結果は関係するステークホルダーたちと共有されたか?",
        rules=frozenset({NOT_SHARED}),
        check=_shared,
        decidable=True,
    ),
    Question(
        "owner",
        "process",
        "Is one accountable owner named?",
        "担当者は明確か?",
        check=_owner,
        decidable=True,
    ),
    Question(
        "root-cause-vs-trigger",
        "process",
        "Are the root cause and the trigger told apart?",
        "根本原因と発生要因は区別されているか?",
        rules=frozenset({TRIGGER_REPEATS_ROOT_CAUSE}),
        sections=("root-causes", "trigger"),
    ),
    Question(
        "lessons",
        "process",
        "Are lessons recorded of all three kinds: what went well, what went wrong, where we got lucky?",
        "教訓は3種類(うまくいったこと、うまくいかなかったこと、幸運だったこと)とも記録されているか?",
        sections=("went-well", "went-wrong", "got-lucky"),
        decidable=True,
    ),
    Question(
        "action-items",
        "process",
        "Does every action item have a type, an owner and a priority?",
        "すべてのアクションアイテムに種類・担当者・優先度があるか?",
        rules=frozenset(
            {
                ACTION_OWNER_MISSING,
                ACTION_TYPE_MISSING,
                ACTION_PRIORITY_MISSING,
                ACTION_DUPLICATE_ID,
            }
        ),
        decidable=True,
    ),
    Question(
        "blameless",
        "process",
        "Is the tone blameless: systems and processes, not people?",
        "非難のない書き方か(人ではなく、システムとプロセスについて書かれているか)?",
        rules=frozenset({COUNTERFACTUAL, BLAME_LANGUAGE, HUMAN_ERROR_ROOT_CAUSE}),
    ),
)

SECTION_RULES = frozenset({SECTION_MISSING, SECTION_UNFILLED})
"""Section rules apply to a question when their message names one of its sections."""


def answer(postmortem: Postmortem, findings: Sequence[Finding]) -> list[Answer]:
    """Pre-answer every question from the lint findings (at in-review level) and the data."""
    answers = []
    for question in QUESTIONS:
        related = tuple(f for f in findings if _concerns(question, f))
        reason = question.check(postmortem) if question.check else None
        reasons = (reason,) if reason else ()
        if related or reasons:
            result: bool | None = False
        else:
            result = True if question.decidable else None
        answers.append(Answer(question, result, related, reasons))
    return answers


def _concerns(question: Question, finding: Finding) -> bool:
    rule = RULES_BY_ID.get(finding.rule)
    if rule in question.rules:
        return True
    if rule not in SECTION_RULES or finding.severity is not Severity.ERROR:
        return False
    headings = [
        heading
        for key in question.sections
        for heading in (SECTIONS_BY_KEY[key].en, SECTIONS_BY_KEY[key].ja)
    ]
    return any(heading in finding.message for heading in headings)


def is_author(name: str, postmortem: Postmortem) -> bool:
    """Whether `name` wrote the postmortem (its owner or one of its authors), ignoring case."""
    return author_among((name,), postmortem) is not None


def author_among(names: Iterable[str], postmortem: Postmortem) -> str | None:
    """The owner or author of the postmortem that one of `names` is (ignoring case), if any:
    a reviewer is known by several (git's name, e-mail address and the address's local part,
    which a team's handles such as `owner: ana` often are), and so is an author written as
    a chat handle (`@ana`) or with an address (`Ana Ops <ana@example.com>`)."""
    wanted = {name.strip().casefold() for name in names if name.strip()}
    return next(
        (
            person
            for person in (postmortem.owner, *postmortem.authors)
            if not wanted.isdisjoint(_known_as(person))
        ),
        None,
    )


def _known_as(person: str) -> set[str]:
    """The forms of an owner or author that name them, folded: as written, without a chat
    handle's `@`, and the e-mail address in `<...>` with its local part."""
    written = person.strip().casefold()
    forms = {written, written.removeprefix("@")}
    if "<" in written and written.endswith(">"):
        address = written[written.rindex("<") + 1 : -1].strip()
        forms |= {address, address.partition("@")[0]}
    return forms - {""}


def entry(
    reviewer: str,
    day: dt.date,
    verdict: Verdict,
    *,
    notes: str | None = None,
    checklist: dict[str, bool] | None = None,
) -> dict[str, object]:
    """A `reviews:` entry as it is written into the front matter."""
    written: dict[str, object] = {"reviewer": reviewer, "date": day, "verdict": verdict}
    if checklist is not None:
        written["checklist"] = checklist
    if notes and notes.strip():
        written["notes"] = notes.strip()
    return written


def voided_by_move(postmortem: Postmortem, target: Status) -> bool:
    """Whether moving `postmortem` to `target` voids approvals that stand: a move back to
    draft, after which the document changes and must be approved again (as after a
    request for changes, which is what such a move records)."""
    return target is Status.DRAFT and bool(approvers(postmortem))


def approvers(postmortem: Postmortem) -> list[str]:
    """Non-author reviewers whose approval still stands.

    A request for changes voids the approvals recorded before it: the document changes
    after it, so it must be approved again.
    """
    standing: dict[str, str] = {}
    for review in postmortem.reviews:
        if review.verdict is Verdict.CHANGES_REQUESTED:
            standing.clear()
        elif not is_author(review.reviewer, postmortem):
            standing.setdefault(review.reviewer.strip().casefold(), review.reviewer)
    return list(standing.values())


def unanswered(postmortem: Postmortem) -> list[str]:
    """Ids of questions that no standing non-author approval has answered."""
    counted = {name.casefold() for name in approvers(postmortem)}
    answered: set[str] = set()
    for review in postmortem.reviews:
        if review.verdict is Verdict.APPROVED and review.reviewer.strip().casefold() in counted:
            answered.update(review.checklist)
    return [question.id for question in QUESTIONS if question.id not in answered]


def answers_on_record(postmortem: Postmortem) -> list[Answer]:
    """The checklist as the standing approvals recorded it (for a postmortem already
    reviewed): yes where every approval that answered a question said yes."""
    counted = {name.casefold() for name in approvers(postmortem)}
    records = [
        review
        for review in postmortem.reviews
        if review.verdict is Verdict.APPROVED and review.reviewer.strip().casefold() in counted
    ]
    answers = []
    for question in QUESTIONS:
        said = [
            (review, review.checklist[question.id])
            for review in records
            if question.id in review.checklist
        ]
        result = all(value for _, value in said) if said else None
        reasons = tuple(
            _say(
                postmortem,
                f"recorded by {review.reviewer} on {review.date.isoformat()}",
                f"{review.date.isoformat()} {review.reviewer} が記録",
            )
            for review, _ in said
        )
        answers.append(Answer(question, result, (), reasons))
    return answers


def recorded_answers(answers: Sequence[Answer]) -> dict[str, bool]:
    """The checklist an approval records: the pre-answers, and `True` where a person judged.

    Approving is the reviewer's statement that the questions lint cannot decide are met.
    """
    return {item.question.id: item.answer is not False for item in answers}


@dataclass(frozen=True, slots=True, kw_only=True)
class Checklist:
    """The review checklist of one postmortem, pre-answered, and its approvals so far."""

    path: Path
    postmortem: Postmortem
    answers: tuple[Answer, ...]
    approvers: tuple[str, ...]
    required_approvals: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Recorded:
    """A review entry written (and committed unless `commit` is None)."""

    path: Path
    postmortem_id: str
    reviewer: str
    verdict: Verdict
    source: Status
    target: Status
    commit: Commit | None
    warnings: tuple[str, ...] = ()
