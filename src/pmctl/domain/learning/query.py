"""A search query as people type it: words, "phrases", exclusions, OR, and field filters.

    cascading failure service:search tag:capacity,dns severity:SEV1 since:2025-01-01
    "file descriptor" NOT test status:closed owner:alice date:2025-01..2025-06
    障害 date:2025

Words must all match (AND), `OR` between two words or phrases lets either match, and `NOT`
before one (or a leading `-`, in a quoted query) excludes it. An English word matches every word that starts with its stem
(`failures` finds `failure`); a "quoted phrase" matches exactly those words, next to each
other. Japanese matches where its characters stand together, at any length. Filters:
`service:`, `tag:`, `severity:`, `status:`, `owner:` (comma-separated values: any of them;
case does not matter), and the incident date: `since:DATE`, `until:DATE`, `date:2025`,
`date:2025-03`, `date:2025-01-01..2025-06-30` (either end may be left open).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from pmctl.domain.enums import Status
from pmctl.domain.learning.text import fold, index_text, is_cjk, stem

FIELDS = ("service", "tag", "severity", "status", "owner", "since", "until", "date")
_TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')
_PIECE = re.compile(r"[^\W_]+")
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


MAX_TERMS = 1_000
"""Different words and phrases a query may hold: each is a branch FTS5 follows and a term a
snippet looks for in each hit (12,000 OR-ed took 17 s; 1,000, 0.4 s)."""


MAX_PHRASE = 1_000
"""Words (or kana and kanji) a phrase may hold: FTS5 follows a phrase word by word from
each place its first word stands, in each postmortem that holds every word (8,000 kanji
took 5 s over a postmortem of 100,000; 40,000 kanji, 28 s; 1,000, 0.3 s)."""


class QueryError(ValueError):
    """A filter the query cannot use; the message names it and says what would work."""


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase to match: its tokens as the index holds them (a phrase when more
    than one) and whether the last one matches as a prefix (an English word's stem)."""

    text: str
    tokens: tuple[str, ...]
    prefix: bool = False

    def expression(self) -> str:
        """The term in FTS5's query language (its tokens folded as the index's text is)."""
        return '"' + fold(" ".join(self.tokens)) + '"' + ("*" if self.prefix else "")


@dataclass(frozen=True, slots=True)
class Clause:
    """Terms of which any may match (written `a OR b`); `negated`: none may."""

    terms: tuple[Term, ...]
    negated: bool = False

    def expression(self) -> str:
        inner = " OR ".join(term.expression() for term in self.terms)
        return f"({inner})" if len(self.terms) > 1 else inner


@dataclass(frozen=True, slots=True)
class Filters:
    """What a postmortem's metadata must be to match. Empty sets do not filter; values are
    lower case; dates bound the incident date, both ends included."""

    services: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    severities: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    owners: frozenset[str] = frozenset()
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    clauses: tuple[Clause, ...] = ()
    filters: Filters = field(default_factory=Filters)

    @property
    def terms(self) -> tuple[Term, ...]:
        """The terms that must or may match (not the excluded ones), for snippets."""
        return tuple(term for clause in self.clauses if not clause.negated for term in clause.terms)

    def match_expression(self) -> str | None:
        """The FTS5 MATCH expression; None when nothing positive is asked for (a query of
        filters alone, or of exclusions alone: see `exclusion_expression`)."""
        positive = [clause.expression() for clause in self.clauses if not clause.negated]
        if not positive:
            return None
        expression = " AND ".join(positive)
        negative = [clause.expression() for clause in self.clauses if clause.negated]
        if negative:
            expression = f"({expression}) NOT ({' OR '.join(negative)})"
        return expression

    @property
    def excludes_only(self) -> bool:
        """Only exclusions (`NOT test`): FTS5 cannot say what does *not* match on its own."""
        return bool(self.clauses) and all(clause.negated for clause in self.clauses)

    def exclusion_expression(self) -> str | None:
        """With only exclusions, the FTS5 expression of what they leave out, for the index
        to take from every postmortem the filters pass; None otherwise."""
        if not self.excludes_only:
            return None
        return " OR ".join(clause.expression() for clause in self.clauses)


def parse(text: str) -> Query:
    """The query `text` means; `QueryError` for a filter value that cannot be used."""
    clauses: list[Clause] = []
    values: dict[str, list[str]] = {}
    distinct: set[tuple[tuple[str, ...], bool]] = set()
    joining = excluding = False
    for match in _TOKEN.finditer(text):
        negated, quoted, plain = match[1] == "-" or excluding, match[2], match[3]
        excluding = False
        if quoted is None and plain == "OR" and clauses and not negated:
            joining = True
            continue
        if quoted is None and plain == "NOT" and not negated:
            excluding = True
            continue
        if quoted is None and ":" in plain and plain.split(":", 1)[0].lower() in FIELDS:
            name, value = plain.split(":", 1)
            values.setdefault(name.lower(), []).append(_given(name.lower(), value))
            joining = False
            continue
        term = make_term(quoted if quoted is not None else plain, exact=quoted is not None)
        if term is None:
            continue
        if len(term.tokens) > MAX_PHRASE:
            raise QueryError(
                f"a phrase of the query has more than {MAX_PHRASE:,} words or characters; "
                "search for the few that tell the incident apart"
            )
        distinct.add((term.tokens, term.prefix))
        if len(distinct) > MAX_TERMS:
            raise QueryError(
                f"the query has more than {MAX_TERMS:,} different words and phrases; "
                "search for the few that tell the incident apart"
            )
        if joining and not negated and not clauses[-1].negated:
            if term not in clauses[-1].terms:  # (`a OR a OR ...` would grow it for nothing)
                clauses[-1] = Clause((*clauses[-1].terms, term))
        else:
            clauses.append(Clause((term,), negated=negated))
        joining = False
    return Query(text, _once(clauses), _filters(values))


def _once(clauses: list[Clause]) -> tuple[Clause, ...]:
    """Each clause once, each term once in its clause: `a a`, `a OR a` mean `a`. A word
    typed 5,000 times was matched by FTS5 5,000 times over (6 s; 20,000 times, minutes)."""
    seen: set[tuple[bool, tuple[tuple[tuple[str, ...], bool], ...]]] = set()
    kept: list[Clause] = []
    for clause in clauses:
        terms: dict[tuple[tuple[str, ...], bool], Term] = {}
        for term in clause.terms:
            terms.setdefault((term.tokens, term.prefix), term)
        key = (clause.negated, tuple(sorted(terms)))
        if key not in seen:
            seen.add(key)
            kept.append(Clause(tuple(terms.values()), clause.negated))
    return tuple(kept)


def make_term(written: str, *, exact: bool = False) -> Term | None:
    """The term for one word (or, `exact`, one phrase) as written; None if it has no
    letters or digits. A lone English word of three letters or more matches by its stem."""
    tokens = tuple(_PIECE.findall(index_text(written).lower()))
    if not tokens:
        return None
    if exact or len(tokens) > 1:
        return Term(written, tokens)
    word = tokens[0]
    if is_cjk(word) or len(word) < 3 or not word.isalpha():
        return Term(written, tokens)
    return Term(written, (stem(word),), prefix=True)


def _given(name: str, value: str) -> str:
    """`value`, which must name something: `owner: alice` searched every owner's for the
    word `alice`, and `severity:` alone said there was nothing to search for."""
    if not value.replace(",", "").replace("..", "").strip():
        raise QueryError(
            f"{name}: has no value; write it right after the colon, without a space "
            f"({_EXAMPLES[name]})"
        )
    return value


_EXAMPLES = {
    "service": "service:search",
    "tag": "tag:dns,capacity",
    "severity": "severity:SEV1",
    "status": "status:closed",
    "owner": "owner:alice",
    "since": "since:2025-01-01",
    "until": "until:2025-06-30",
    "date": "date:2025-01..2025-06",
}


def _filters(values: dict[str, list[str]]) -> Filters:
    def listed(name: str) -> frozenset[str]:
        return frozenset(
            item.strip().lower()
            for value in values.get(name, ())
            for item in value.split(",")
            if item.strip()
        )

    statuses = listed("status")
    known = {status.value for status in Status}
    unknown = sorted(statuses - known)
    if unknown:
        raise QueryError(
            f"status:{','.join(unknown)} is not a status; use {', '.join(sorted(known))}"
        )
    since: dt.date | None = None
    until: dt.date | None = None
    for value in values.get("since", ()):
        since = _later(since, _day(value, "since", end=False))
    for value in values.get("until", ()):
        until = _earlier(until, _day(value, "until", end=True))
    for value in values.get("date", ()):
        low, _, high = value.partition("..")
        if not _:
            low = high = value
        if low:
            since = _later(since, _day(low, "date", end=False))
        if high:
            until = _earlier(until, _day(high, "date", end=True))
    if since is not None and until is not None and since > until:
        raise QueryError(
            f"the dates leave no day to search: from {since.isoformat()} until "
            f"{until.isoformat()}; put the earlier date first"
        )
    return Filters(
        services=listed("service"),
        tags=listed("tag"),
        severities=listed("severity"),
        statuses=statuses,
        owners=listed("owner"),
        since=since,
        until=until,
    )


def _day(value: str, name: str, *, end: bool) -> dt.date:
    """The first (or with `end`, the last) day of `2025`, `2025-03` or `2025-03-14`."""
    match = _PERIOD.match(value.strip())
    try:
        if match is None:
            raise ValueError(value)
        year, month, day = int(match[1]), match[2], match[3]
        if month is None:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if day is None:
            last = calendar.monthrange(year, int(month))[1]
            return dt.date(year, int(month), last if end else 1)
        return dt.date(year, int(month), int(day))
    except ValueError:
        raise QueryError(
            f"{name}:{value} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD "
            f"(a range: date:2025-01..2025-06)"
        ) from None


def _later(current: dt.date | None, new: dt.date) -> dt.date:
    return new if current is None or new > current else current


def _earlier(current: dt.date | None, new: dt.date) -> dt.date:
    return new if current is None or new < current else current
