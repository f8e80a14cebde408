"""`within`: work in a forked child, killed when its time is up."""

from __future__ import annotations

import os
import time

import pytest

from pmctl.adapters.deadline import ChildFailed, DeadlinePassed, within


def test_the_work_runs_in_another_process_and_its_result_comes_back() -> None:
    assert within(5, os.getpid) != os.getpid()
    assert within(5, lambda: {"answer": [1.5, None, "決済"]}) == {"answer": [1.5, None, "決済"]}


def test_work_that_runs_too_long_is_killed_at_the_bound() -> None:
    def forever() -> None:
        while True:
            time.sleep(0.01)

    started = time.monotonic()
    with pytest.raises(DeadlinePassed, match=r"not done within 0\.3 s"):
        within(0.3, forever)

    assert time.monotonic() - started < 3


def test_what_the_work_raises_is_named() -> None:
    def broken() -> None:
        raise ValueError("bad header")

    with pytest.raises(ChildFailed, match=r"^ValueError: bad header$"):
        within(5, broken)


def test_a_child_that_dies_without_an_answer_is_a_failure() -> None:
    with pytest.raises(ChildFailed, match="ended without an answer"):
        within(5, lambda: os._exit(3))
