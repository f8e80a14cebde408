"""Which postmortems are most like a given one, and why.

Three things make two postmortems alike, weighed so that the score is between 0 and 1:
- the services they share (0.2) and the tags they share (0.3), each as a weighted overlap
  in which a rare service or tag counts for more than one that half the library has;
- how alike their summary, root causes and trigger read (0.5): the share of the target's
  most telling terms (by TF-IDF) that the other one uses too, each weighed by its rarity.
  The search index finds the candidates (BM25 against those terms); the share is then
  counted on the candidates' own text, so that it means the same in a library of ten
  postmortems and of ten thousand.

Every related postmortem carries the reasons for its rank: the services and tags in common
and the words of the cause and summary that both use.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from pmctl.domain.learning.labels import label_key
from pmctl.domain.learning.text import fold, is_cjk
from pmctl.domain.model import Language

SERVICES_WEIGHT = 0.2
TAGS_WEIGHT = 0.3
TEXT_WEIGHT = 0.5
QUERY_TERMS = 12
"""How many of the target's terms describe it in the text query."""


@dataclass(frozen=True, slots=True)
class Profile:
    """What ranking needs of a postmortem."""

    id: str
    title: str
    date: str
    status: str
    services: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reason:
    """Why one postmortem is related: `kind` is `services`, `tags` or `text`; `shared` what
    both have; `points` what it adds to the score."""

    kind: str
    shared: tuple[str, ...]
    points: float


@dataclass(frozen=True, slots=True)
class Related:
    profile: Profile
    score: float
    reasons: tuple[Reason, ...]
    linked: bool
    """Already linked, in either direction, through `related:`."""


@dataclass(frozen=True, slots=True)
class RelatedResult:
    target: Profile
    related: tuple[Related, ...]
    language: Language = Language.EN
    """The language of its words (`default_language`)."""


def label_weights(profiles: Iterable[Profile]) -> dict[str, float]:
    """Inverse document frequency of each service and tag (as `service:x`, `tag:y`)."""
    counts: Counter[str] = Counter()
    total = 0
    for profile in profiles:
        total += 1
        counts.update({f"service:{label_key(value)}" for value in profile.services})
        counts.update({f"tag:{label_key(value)}" for value in profile.tags})
    return {label: math.log(1 + total / count) for label, count in counts.items()}


def overlap(
    mine: Sequence[str], theirs: Sequence[str], kind: str, weights: Mapping[str, float]
) -> tuple[float, tuple[str, ...]]:
    """Weighted Jaccard overlap of two sets of labels (0..1), and the labels in common."""
    a = {label_key(value): value for value in mine}
    b = {label_key(value) for value in theirs}
    union = set(a) | b
    if not union:
        return 0.0, ()
    shared = sorted(set(a) & b)

    def weight(value: str) -> float:
        return weights.get(f"{kind}:{value}", 1.0)

    score = sum(weight(value) for value in shared) / sum(weight(value) for value in union)
    return score, tuple(a[value] for value in shared)


def score(
    target: Profile, other: Profile, text_similarity: float, weights: Mapping[str, float]
) -> tuple[float, tuple[Reason, ...]]:
    """The score of `other` as related to `target`, and its reasons (without the words of
    the text: see `with_words`)."""
    services, shared_services = overlap(target.services, other.services, "service", weights)
    tags, shared_tags = overlap(target.tags, other.tags, "tag", weights)
    parts = (
        Reason("services", shared_services, SERVICES_WEIGHT * services),
        Reason("tags", shared_tags, TAGS_WEIGHT * tags),
        Reason("text", (), TEXT_WEIGHT * min(1.0, max(0.0, text_similarity))),
    )
    reasons = tuple(reason for reason in parts if reason.points > 0)
    return sum(reason.points for reason in reasons), reasons


def with_words(reasons: Sequence[Reason], words: Sequence[str]) -> tuple[Reason, ...]:
    """`reasons` with the words both texts use attached to the text reason."""
    return tuple(
        Reason(reason.kind, tuple(words), reason.points) if reason.kind == "text" else reason
        for reason in reasons
    )


@dataclass(frozen=True, slots=True)
class Telling:
    """A term that tells a text apart, the word it was found in, and its weight (rarity)."""

    term: str
    word: str
    weight: float


def telling_terms(
    terms: Sequence[tuple[str, str]],
    document_frequency: Mapping[str, int],
    documents: int,
    *,
    limit: int = QUERY_TERMS,
) -> list[Telling]:
    """The `limit` terms of a text that best tell it apart from the rest of the library:
    most frequent here, rarest elsewhere (TF-IDF). Terms found in no document, or in more
    than half of a library of more than ten, are left out."""
    counts: Counter[str] = Counter(term for term, _ in terms)
    surface: dict[str, str] = {}
    for term, word in terms:
        surface.setdefault(term, word)
    ranked: list[tuple[float, str, float]] = []
    for term, count in counts.items():
        frequency = document_frequency.get(term, 0)
        if frequency == 0 or (frequency > documents * 0.5 and documents > 10):
            continue
        rarity = math.log(1 + documents / frequency)
        ranked.append((-(1 + math.log(count)) * rarity, term, rarity))
    ranked.sort()
    return [Telling(term, surface[term], rarity) for _, term, rarity in ranked[:limit]]


def text_similarity(telling: Sequence[Telling], theirs: Collection[str]) -> float:
    """The share (0..1) of the weight of the `telling` terms that `theirs` has too."""
    total = sum(item.weight for item in telling)
    if total <= 0:
        return 0.0
    return sum(item.weight for item in telling if item.term in theirs) / total


def term_expression(term: str) -> str:
    """A term (from `text.terms`) in FTS5's query language: a Japanese bigram as the phrase
    of its characters, an English stem as a prefix."""
    if is_cjk(term):
        return '"' + " ".join(term) + '"'
    return f'"{fold(term)}"*'


def text_query(terms: Sequence[str], columns: Sequence[str]) -> str:
    """Any of `terms`, in any of `columns`."""
    inner = " OR ".join(term_expression(term) for term in terms)
    return f"{{{' '.join(columns)}}} : ({inner})"


_REASON_LABELS = {
    Language.EN: {
        "services": "services in common",
        "tags": "tags in common",
        "text": "summary and cause read alike",
    },
    Language.JA: {
        "services": "共通のサービス",
        "tags": "共通のタグ",
        "text": "概要と原因の記述が似ている",
    },
}


def reason_text(reason: Reason, language: Language = Language.EN) -> str:
    """`tags in common: cascading-failure, resource-leak` (`共通のタグ: ...` in Japanese)."""
    label = _REASON_LABELS[language].get(reason.kind, reason.kind)
    return f"{label}: {', '.join(reason.shared)}" if reason.shared else label
