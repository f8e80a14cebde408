"""Ids are `YYYY-MM-DD-slug` and safe as file names whatever the title."""

import datetime as dt
import re

import pytest

from pmctl.domain import ids
from pmctl.domain.model import ID_PATTERN


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Checkout latency", "checkout-latency"),
        ("Café outage: 50% errors!", "cafe-outage-50-errors"),
        ("../../etc/passwd", "etc-passwd"),
        ("--force", "force"),
        ("-rf /", "rf"),
        ("ショッピングカートの障害", ""),
        ("!!!", ""),
    ],
)
def test_slugify_keeps_only_safe_ascii(title: str, slug: str) -> None:
    assert ids.slugify(title) == slug


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    slug = ids.slugify("database " * 20)
    assert len(slug) <= ids.MAX_SLUG_LENGTH
    assert not slug.endswith("-")
    assert ids.is_valid_slug(slug)


def test_titles_without_ascii_fall_back_to_the_incident_number() -> None:
    assert ids.fallback_slug("465") == "incident-465"
    assert ids.fallback_slug("INC/7") == "incident-inc-7"
    assert ids.fallback_slug(None) == "incident"


def test_make_id_is_a_valid_id() -> None:
    made = ids.make_id(dt.date(2026, 11, 23), "checkout-latency")
    assert made == "2026-11-23-checkout-latency"
    assert re.match(ID_PATTERN, made)
    assert not re.match(ID_PATTERN, "2026-11-23-../x")
