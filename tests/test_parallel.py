"""Forked workers: results in order, a failing child's chunk done here, no child left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from pmctl.adapters.parallel import ordered, pipelined, split

PARENT = os.getpid()


def squares(chunk: Sequence[int]) -> list[tuple[int, int]]:
    return [(value, os.getpid()) for value in chunk]


def test_chunks_are_split_in_order_by_share() -> None:
    assert [list(chunk) for chunk in split(range(10), [0.3, 0.35, 0.35])] == [
        [0, 1, 2],
        [3, 4, 5],
        [6, 7, 8, 9],
    ]
    assert [list(chunk) for chunk in split(range(2), [0.5, 0.5])] == [[0], [1]]


def test_each_extra_chunk_runs_in_a_child_and_results_join_in_order() -> None:
    results = list(ordered(squares, split(list(range(30)), [0.2, 0.4, 0.4])))
    assert [value for value, _ in results] == list(range(30))
    pids = {pid for _, pid in results}
    assert PARENT in pids
    assert len(pids) == 3  # this process and two children


def test_results_are_made_here_only_as_they_are_taken() -> None:
    made: list[int] = []

    def lazily(chunk: Sequence[int]) -> Iterator[int]:
        for value in chunk:
            if os.getpid() == PARENT:
                made.append(value)
            yield value

    results = ordered(lazily, split([1, 2, 3, 4], [0.5, 0.5]))
    assert next(results) == 1
    assert made == [1]
    assert list(results) == [2, 3, 4]
    assert made == [1, 2]  # the second chunk was made in a child


def test_a_child_that_fails_has_its_chunk_done_here() -> None:
    def fails_in_a_child(chunk: Sequence[int]) -> list[int]:
        if os.getpid() != PARENT:
            raise RuntimeError("a worker's bug")
        return [value * 10 for value in chunk]

    assert list(ordered(fails_in_a_child, split([1, 2, 3, 4], [0.5, 0.5]))) == [
        10,
        20,
        30,
        40,
    ]


def test_a_result_marshal_cannot_carry_is_made_here() -> None:
    class Opaque:
        def __init__(self, value: int) -> None:
            self.value = value

    results = list(
        ordered(lambda chunk: [Opaque(value) for value in chunk], split([1, 2], [0.5, 0.5]))
    )
    assert [result.value for result in results] == [1, 2]


def test_when_this_process_fails_the_children_are_still_waited_for() -> None:
    def fails_here(chunk: Sequence[int]) -> list[int]:
        if os.getpid() == PARENT:
            raise ValueError("this process's bug")
        return list(chunk)

    before = children()
    with pytest.raises(ValueError, match="this process's bug"):
        list(ordered(fails_here, split(list(range(9)), [1 / 3] * 3)))
    assert children() <= before  # none left, not even a zombie


def children() -> set[int]:
    """This process's child processes, zombies included (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # it ended meanwhile
            if int(fields[1]) == PARENT:
                found.add(int(entry.name))
    return found


def test_a_caller_that_stops_early_leaves_no_child_behind() -> None:
    before = children()
    results = ordered(squares, split(list(range(9)), [1 / 3] * 3))
    assert next(results)[0] == 0
    results.close()
    assert children() <= before


def test_pipelined_batches_come_in_order_from_one_child_per_worker() -> None:
    batches = [list(range(start, start + 3)) for start in range(0, 21, 3)]
    results = list(pipelined(squares, batches, workers=2))
    assert [[value for value, _ in batch] for batch in results] == batches
    pids = [{pid for _, pid in batch} for batch in results]
    assert PARENT not in set().union(*pids)
    assert len(set().union(*pids)) == 2  # forked once per worker, not once per batch
    assert pids[0] == pids[2] == pids[4] != pids[1]


def test_pipelined_batches_of_a_child_that_fails_are_done_in_another_way() -> None:
    def fails_on_4(chunk: Sequence[int]) -> list[int]:
        if 4 in chunk and os.getpid() != PARENT:
            raise RuntimeError("a worker's bug")
        return [value * 10 for value in chunk]

    batches = [[1, 2], [3, 4], [5, 6], [7, 8], [9]]
    assert list(pipelined(fails_on_4, batches, workers=2)) == [
        [10, 20],
        [30, 40],
        [50, 60],
        [70, 80],
        [90],
    ]


def test_a_pipeline_stopped_early_leaves_no_child_behind() -> None:
    before = children()
    results = pipelined(squares, [[1], [2], [3], [4], [5]], workers=2)
    assert next(results)[0][0] == 1
    results.close()
    assert children() <= before


ORPHANED = """
import os, signal, sys, time
from pathlib import Path
from pmctl.adapters.parallel import ordered

marks = Path(sys.argv[1])
parent = os.getpid()


def work(chunk):
    for item in chunk:
        if item == "kill":
            (marks / "child").write_text(str(os.getpid()))
            os.kill(parent, signal.SIGKILL)
            while os.getppid() == parent:  # until this process is an orphan
                time.sleep(0.01)
        else:
            (marks / item).write_text("done")
        yield item


list(ordered(work, [["kill", "after"]], isolate=True))
"""


def _running(pid: int) -> bool:
    """Whether `pid` runs (an ended process not yet reaped by its new parent has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_child_whose_parent_is_killed_stops_before_its_next_item(tmp_path: Path) -> None:
    """A site build killed with `kill -9` left its workers writing pages; those appeared
    after the next build had removed what the killed one staged, and stayed for ever."""
    killed = subprocess.run([sys.executable, "-c", ORPHANED, str(tmp_path)], check=False)
    assert killed.returncode == -signal.SIGKILL
    child = int((tmp_path / "child").read_text(encoding="utf-8"))
    for _ in range(3000):  # (it ends at once; waiting is bounded all the same, to 30 s)
        if not _running(child):
            break
        time.sleep(0.01)
    assert not _running(child)
    assert not (tmp_path / "after").exists()
