"""Fuzzing the YAML engines in child processes, where a crash is caught and reported.

yaml-rs aborts the process on a panic (and a stack overflow is a segmentation fault), so
every generated text is parsed in a forked child: a crash fails the test with the text
that caused it, instead of ending the test run. `PMCTL_FUZZ_EXAMPLES=5000` fuzzes longer.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from pmctl.adapters import yaml_engine, yaml_fallback
from pmctl.adapters.parallel import ordered

EXAMPLES = int(os.environ.get("PMCTL_FUZZ_EXAMPLES", "60"))

TOKENS = [
    *("a", "b", "key", "title", "決済", "🔥", "x y"),
    *(":", ": ", "-", "- ", "?", "? ", ",", "[", "]", "{", "}", "&x", "*x", "&y", "*y"),
    *("!", "!!str ", "!x ", "|", "|-", ">", "'", '"', "#", "%", "@", "`", "\\", "\\n"),
    *("\n", " ", "  ", "    ", "\t", "---", "...", "--- ", "\r"),
    *("0", "0x1F", "0o7", "0777", "1_0", "1e3", ".5", ".inf", ".nan", "~", "null", "yes"),
    *("\x07", "\x85", "\u2028", "\ufeff", "\ufffe", "\U000f0001"),
]
texts = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)


def outcomes(chunk: Sequence[str]) -> list[str]:
    """What each engine makes of each text: "ok" or "problem"; anything else raises."""
    found: list[str] = []
    for text in chunk:
        for use_fallback in (False, True):
            try:
                if use_fallback:
                    with yaml_engine.fallback():
                        yaml_engine.parse(text)
                else:
                    yaml_engine.parse(text)
                found.append("ok")
            except yaml_engine.YamlProblem:
                found.append("problem")
    return found


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None)
@given(st.lists(texts, min_size=1, max_size=30))
def test_no_text_crashes_an_engine_or_raises_anything_but_a_yaml_problem(
    batch: list[str],
) -> None:
    # No rescue: a crash raises ChildCrashed naming the text; another exception is raised
    # here, when the chunk is done again in this process.
    results = list(ordered(outcomes, [batch], isolate=True))
    assert len(results) == 2 * len(batch)


numberish = st.text(alphabet="0123456789+-._eEoxbXOBinfaINFA", max_size=12)


@settings(max_examples=EXAMPLES * 20, derandomize=True, deadline=None)
@given(numberish)
def test_plain_scalars_resolve_as_yaml_rs_resolves_them(text: str) -> None:
    try:
        expected = yaml_engine.parse(f"v: {text}\n")["v"]
    except yaml_engine.YamlProblem:
        return  # not a plain scalar (`- `, `-`): the corpus covers such syntax
    got = yaml_fallback.resolve(text.strip())
    assert type(got) is type(expected)
    assert got == expected or (isinstance(got, float) and math.isnan(got) and math.isnan(expected))
