"""Ids from Japanese titles: kana by table, kanji by the romaji extra or by asking.

Never a Chinese reading (`決済の遅延` is not `jue-ji-nochi-yan`), never a silent fallback
for a title with kanji: a slug the user gives (`--slug`, or the prompt on a terminal).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest

from pmctl.adapters.transliterate import romanize
from pmctl.domain import ids, kana
from pmctl.domain.project import Project
from pmctl.errors import UsageError
from pmctl.services.new import plan_id, slug_needed
from tests.conftest import run_cli
from tests.terminal import pmctl_on_terminal
from tests.test_new import request

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def without_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """As where `pmctl[romaji]` is not installed: `import cutlet` fails."""
    monkeypatch.setitem(sys.modules, "cutlet", None)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("ショッピングカート", "shoppingukaato"),
        ("データベースのフェイルオーバー", "deetabeesu-no-feiruoobaa"),
        ("ちょっとまった", "chottomatta"),
        ("ﾃﾞｰﾀ消失なし", None),  # half-width kana, then kanji
        ("API のエラー", "api-no-eraa"),
        ("ティーカップとヴァイオリン", "tiikappu-to-vaiorin"),
        ("🔥🔥🔥", ""),  # nothing to read: the caller falls back to the incident number
        ("", ""),
        ("決済の遅延", None),
        ("決済 API の遅延", None),
    ],
)
@pytest.mark.usefixtures("without_extra")
def test_kana_are_read_by_table_and_kanji_are_not_read_at_all(title: str, slug: str | None) -> None:
    romanized = romanize(title)
    assert (None if romanized is None else ids.slugify(romanized)) == slug


def test_the_table_doubles_consonants_and_reads_digraphs_and_long_vowels() -> None:
    assert kana.romanize("きっぷ まっちゃ じゃ サーバー") == "kippu matcha ja saabaa"
    assert kana.romanize("ジェイソン ディスク") == "jeison disuku"


def test_with_the_romaji_extra_kanji_get_a_japanese_reading() -> None:
    pytest.importorskip("cutlet")
    assert ids.slugify(romanize("決済の遅延") or "") == "kessai-no-chien"
    assert ids.slugify(romanize("東京リージョンの障害") or "") == "tokyo-region-no-shougai"


@pytest.mark.usefixtures("without_extra")
def test_a_kanji_title_without_a_slug_is_an_error_naming_the_flag() -> None:
    assert slug_needed("決済の遅延")
    assert not slug_needed("データベースのおくれ")
    with pytest.raises(UsageError) as raised:
        plan_id(request(title="決済の遅延", incident="465"), today=TODAY)
    assert "--slug" in raised.value.hint
    assert plan_id(request(title="決済の遅延", slug="payment-delay"), today=TODAY) == (
        "2026-11-23-payment-delay"
    )


@pytest.fixture
def no_extra_on_path(tmp_path: Path) -> dict[str, str]:
    """An environment where `import cutlet` fails in a `pmctl` subprocess."""
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "cutlet.py").write_text("raise ImportError('not installed')\n", encoding="utf-8")
    return {"PYTHONPATH": os.pathsep.join([str(blocker), *sys.path])}


@pytest.mark.usefixtures("without_extra")
def test_without_a_terminal_the_command_fails_and_writes_nothing(repo: Project) -> None:
    result = run_cli(
        repo.root, *("new", "--title", "決済の遅延", "--severity", "SEV2", "--owner", "alice")
    )
    assert result.returncode == 2
    assert "--slug" in result.stderr
    assert not list(repo.postmortem_dir.rglob("*.md"))


def test_on_a_terminal_pmctl_new_asks_for_the_slug(
    repo: Project, no_extra_on_path: dict[str, str]
) -> None:
    with pmctl_on_terminal(
        repo.root,
        *("new", "--title", "決済の遅延", "--severity", "SEV2", "--owner", "alice"),
        *("--language", "ja", "--services", "", "--incident", "465"),
        *("--started", "2026-11-20T10:00Z", "--no-commit"),
        env=no_extra_on_path,
    ) as terminal:
        terminal.expect("IDに使う英数字".encode())
        terminal.type(b"payment-delay\r")
        assert terminal.process.wait(timeout=30) == 0, bytes(terminal.seen).decode(errors="replace")
    assert (repo.postmortem_dir / "2026" / "2026-11-20-payment-delay.md").is_file()
