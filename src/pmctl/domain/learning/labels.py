"""Services and tags as `trends` and `related` compare them: one label however it is written.

Teams write the same tag in several ways over the years (`cascading-failure`,
`Cascading Failure`, `cascading_failures`); counted as written, the third cascading failure
of search was three causes of one postmortem each, and never recurred.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from pmctl.domain.learning.text import normalise, stem

_SEPARATORS = re.compile(r"[\s_-]+")


def label_key(label: str) -> str:
    """The one key of a service or tag however it is written: in any case, with spaces,
    `_` or `-` between its words, each word in any form (`stem`: `failures`, `failure`)."""
    written = normalise(label)
    return "-".join(stem(word) for word in _SEPARATORS.split(written) if word) or written


def spellings(labels: Iterable[str]) -> dict[str, str]:
    """Each key of `labels` -> the spelling to show for it: the one written most often (in
    lower case), the first written of those written as often."""
    written: dict[str, Counter[str]] = {}
    for label in labels:
        written.setdefault(label_key(label), Counter())[normalise(label).strip()] += 1
    return {
        key: max(counts, key=counts.__getitem__)  # (the first of equals)
        for key, counts in written.items()
    }
