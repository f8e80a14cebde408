"""The site's search tokens and index files (the browser side is in test_site_browser.py)."""

from __future__ import annotations

import datetime as dt
import json
import re

from pmctl.domain.project import Project
from pmctl.domain.site import search_tokens
from pmctl.services import site
from tests.site_corpus import JA_ID, add_examples


def test_latin_words_cjk_bigrams_and_lone_cjk_characters() -> None:
    found = search_tokens.tokens("Cascading failure: ＡＢＣ 障害が発生。月 x")
    assert {"cascading", "failure", "abc"} <= found
    assert {"障害", "害が", "が発", "発生"} <= found
    assert "月" in found
    assert "x" not in found  # one Latin letter is no word
    assert "障" not in found  # a character inside a run is found through its bigrams


def test_a_japanese_word_inside_a_sentence_is_found_through_its_bigrams() -> None:
    sentence = search_tokens.tokens("シェークスピア検索が66分間にわたってダウンした。")
    for word in ("検索", "ダウン", "シェークスピア"):
        pairs = {word[i : i + 2] for i in range(len(word) - 1)}
        assert pairs <= sentence, word


def test_fnv1a_matches_the_reference_values() -> None:
    # Values of the 32-bit FNV-1a reference implementation (search.js must agree).
    assert search_tokens.fnv1a("") == 0x811C9DC5
    assert search_tokens.fnv1a("a") == 0xE40C292C
    assert search_tokens.fnv1a("foobar") == 0xBF9CF968


def test_the_index_files_hold_every_document_once(repo: Project) -> None:
    add_examples(repo)
    out = repo.root / "_site"
    site.build(repo, out=out, today=dt.date(2026, 11, 23))
    manifest = (out / "search" / "manifest.js").read_text(encoding="utf-8")
    data = json.loads(re.fullmatch(r"pmctlSearch\.manifest\((.*)\);\n", manifest, re.S)[1])  # type: ignore[index]
    assert data["segments"] == search_tokens.SEGMENTS
    ids = []
    for segment in data["present"]:
        text = (out / "search" / f"{segment}-docs.js").read_text(encoding="utf-8")
        ids += [entry[0] for entry in json.loads(text[text.index(",") + 1 : -3])]
    assert sorted(ids) == ["2015-10-21-shakespeare-sonnet", JA_ID]
    segment = search_tokens.segment_of(JA_ID)
    shard = search_tokens.shard_of("障害")
    postings = (out / "search" / f"{segment}-{shard}.js").read_text(encoding="utf-8")
    assert '"障害":[' in postings
