"""With `default_language = "ja"`, trends, related, reading-club and the digest speak
Japanese, as the review agenda, INDEX.md and the site do: no English sentence is left."""

from __future__ import annotations

import re

import pytest

from pmctl.domain.project import Project
from tests.conftest import git, run_cli
from tests.library import JA_HEADINGS, write

TODAY = "2026-11-23"
LESSONS = {
    "trigger": "設定の反映で接続プールが半分になった。",
    "root-causes": "キャッシュの担当者がいなかった。",
    "went-well": "- 呼び出しが速かった。",
    "went-wrong": "- キャッシュの担当者がいなかった。\n- 手順書が古かった。",
    "got-lucky": "- 静かな日だった。",
}
IDS = ("2026-09-01-checkout-pool", "2026-10-01-checkout-cache", "2026-10-20-checkout-again")
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")
"""Three English words in a row: a sentence of pmctl's left untranslated."""


@pytest.fixture
def japanese(repo: Project) -> Project:
    config = repo.root / "pmctl.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('default_language = "en"', 'default_language = "ja"'))
    for number, postmortem_id in enumerate(IDS):
        write(
            repo,
            postmortem_id,
            title=f"決済の障害 {number}",
            language="ja",
            status=("reviewed", "in-review", "draft")[number],
            severity="SEV1",
            owner="hanako",
            services=("checkout",),
            tags=("cascading-failure",),
            sections=LESSONS,
        )
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "Japanese postmortems")
    return repo


@pytest.mark.parametrize(
    ("command", "japanese_words"),
    [
        (("trends", "--since", "2026-01-01"), ("繰り返した原因", "期間内", "件目")),
        (
            ("trends", "--since", "2026-01-01", "--format", "markdown"),
            ("繰り返した原因", "全 3 件"),
        ),
        (("trends", "--since", "2026-11-01"), ("繰り返した原因はありません",)),
        (("related", IDS[0]), ("似ているポストモーテム", "共通のサービス", "共通のタグ")),
        (("reading-club",), ("教訓", "アクションアイテム", "未討議", "討議の後に記録")),
        (("reading-club", "--format", "markdown"), ("# 輪読会", "レビュー済みまたはクローズ")),
        (("digest", "--month", "2026-10"), ("レビュー中", "下書き")),
        (("review", "--agenda"), ("レビュー中", "アジェンダ")),
        (("review", "--agenda", "--format", "markdown"), ("レビュー中", "アジェンダ")),
    ],
    ids=" ".join,
)
def test_the_output_is_japanese(
    japanese: Project, command: tuple[str, ...], japanese_words: tuple[str, ...]
) -> None:
    result = run_cli(japanese.root, "--today", TODAY, *command)
    assert result.returncode == 0, result.stderr

    for word in japanese_words:
        assert word in result.stdout, result.stdout
    # (the agenda quotes lint's findings, which are English for every language)
    ours = [line for line in result.stdout.split("\n") if not re.search(r"\bPM\d{3} ", line)]
    left = ENGLISH.findall("\n".join(ours).replace(JA_HEADINGS["summary"], ""))
    assert left == [], result.stdout


def test_the_digest_names_statuses_in_japanese(japanese: Project) -> None:
    result = run_cli(japanese.root, "--today", TODAY, "digest", "--month", "2026-10")
    assert "(SEV1, レビュー中)" in result.stdout
    assert "in-review" not in result.stdout
    assert "draft" not in result.stdout
