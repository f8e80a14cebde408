"""Generate N postmortems (mixed English/Japanese) for benchmarks, in one of three shapes.

- `realistic` (the default): the size and shape of the bundled reference example
  (`examples/shakespeare/`, ~12.7 KB): nine action items, a 35-entry timeline that may cross
  midnight, a review with its checklist, shared_with, and prose in every section.
- `example`: copies of the reference example itself (English and Japanese), each with its
  own id, date, service, status and owner.
- `small`: 3-5 KB documents, as the first benchmarks used. They flatter every figure by
  about 3x; keep them only to compare with old numbers.

Every file is valid against the model, carries the generated action-item table, and is
deterministic for a given seed. Other benchmarks import it:

    from gen_corpus import generate
    paths = generate(Path("/tmp/corpus/postmortems"), 10_000, seed=0, shape="realistic")

or, to make a whole project (pmctl.toml + postmortems/) from the command line:

    .venv/bin/python bench/gen_corpus.py /tmp/corpus --count 10000 [--seed 0] [--shape example]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from pmctl.domain.action_table import render_table
from pmctl.domain.model import ActionItem, Language

SERVICES = ("checkout", "search", "payments", "auth", "catalog", "billing", "api-gateway", "cdn")
PEOPLE = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy")
SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
STATUS_WEIGHTS = (("draft", 10), ("in-review", 15), ("reviewed", 40), ("closed", 35))
FIRST_DAY, LAST_DAY = dt.date(2023, 1, 1), dt.date(2026, 11, 1)
RECENT = dt.date(2026, 9, 1)
"""Like a real repository, older postmortems are reviewed or closed and their open items are
tracked without a near due date; drafts and due dates are recent."""

EN = {
    "headings": (
        "Summary",
        "Impact",
        "Root Causes",
        "Trigger",
        "Resolution",
        "Detection",
        "Response analysis",
        "Lessons Learned",
        "What went well",
        "What went wrong",
        "Where we got lucky",
        "Timeline",
        "Action Items",
        "Supporting information",
    ),
    "titles": (
        "{svc} latency after a configuration push",
        "{svc} outage from connection pool exhaustion",
        "{svc} errors during a certificate rotation",
        "Elevated {svc} 5xx after a deploy",
        "{svc} degraded by a retry storm",
        "{svc} queue backlog after a disk filled up",
    ),
    "sentences": (
        "The {svc} service returned errors for a share of requests while the new configuration was live.",
        "A latent limit in the connection pool was reached once traffic grew beyond the usual peak.",
        "The deploy pipeline promoted the change to every region within a few minutes.",
        "Dashboards showed the error rate rising in step with the rollout of the change.",
        "The on-call engineer rolled back the change and the error rate returned to normal.",
        "Retries from the clients amplified the load on the remaining healthy instances.",
        "The alert fired on the error-rate SLO burn, which paged the primary on-call.",
        "Capacity was added in the affected region and traffic was shifted away from it.",
        "The runbook for this failure mode was out of date and missed the new dependency.",
        "Customers saw slow pages and some failed checkouts during the window.",
        "The incident channel kept one source of truth for decisions and status updates.",
        "Staged rollouts with automatic health checks would catch this class of change.",
    ),
    "events": (
        "Deploy of the change starts in the first region.",
        "Error rate alert fires and pages the on-call.",
        "On-call acknowledges the page and opens the incident channel.",
        "Incident declared; an incident commander is named.",
        "Rollback of the change starts.",
        "Error rate back within the SLO.",
        "Traffic shifted back to all regions.",
        "Incident closed after 30 minutes of normal operation.",
    ),
    "actions": (
        "Add an alert on connection pool saturation for {svc}",
        "Roll out configuration changes region by region with health checks",
        "Update the {svc} runbook with the rollback steps",
        "Limit client retries with exponential backoff and a budget",
        "Add a load test for twice the usual peak to the release checklist",
        "Document the dependency between {svc} and the cache tier",
    ),
}
JA = {
    "headings": (
        "概要",
        "影響",
        "根本原因",
        "発生要因",
        "対応",
        "検出",
        "対応の分析",
        "教訓",
        "うまくいったこと",
        "うまくいかなかったこと",
        "幸運だったこと",
        "タイムライン",
        "アクションアイテム",
        "参考情報",
    ),
    "titles": (
        "設定変更後の{svc}のレイテンシ悪化",
        "接続プール枯渇による{svc}の停止",
        "証明書更新時の{svc}のエラー増加",
        "デプロイ後の{svc}の5xx増加",
        "リトライの集中による{svc}の性能低下",
        "ディスク逼迫による{svc}のキュー滞留",
    ),
    "sentences": (
        "新しい設定が有効な間、{svc}サービスは一部のリクエストにエラーを返した。",
        "トラフィックが通常のピークを超えたことで、接続プールの潜在的な上限に達した。",
        "デプロイパイプラインは数分のうちに全リージョンへ変更を反映した。",
        "ダッシュボードでは変更の展開に合わせてエラー率が上昇していた。",
        "オンコール担当者が変更をロールバックし、エラー率は正常に戻った。",
        "クライアントのリトライにより、残った正常なインスタンスへの負荷が増幅された。",
        "エラー率のSLOバーンでアラートが発報し、一次オンコールが呼び出された。",
        "影響を受けたリージョンに容量を追加し、トラフィックを他へ逃がした。",
        "この障害パターンのランブックは古く、新しい依存関係が記載されていなかった。",
        "利用者にはページ表示の遅延と一部の決済失敗が見えていた。",
        "インシデントチャンネルが判断と状況共有の唯一の情報源として機能した。",
        "ヘルスチェック付きの段階的ロールアウトがあれば、この種の変更を早期に検知できる。",
    ),
    "events": (
        "最初のリージョンで変更のデプロイを開始。",
        "エラー率のアラートが発報し、オンコールを呼び出し。",
        "オンコールが応答し、インシデントチャンネルを開設。",
        "インシデントを宣言し、インシデントコマンダーを指名。",
        "変更のロールバックを開始。",
        "エラー率がSLO内に回復。",
        "全リージョンへトラフィックを戻す。",
        "30分間の正常稼働を確認してインシデントを終了。",
    ),
    "actions": (
        "{svc}の接続プール飽和にアラートを追加する",
        "設定変更をヘルスチェック付きでリージョンごとに展開する",
        "{svc}のランブックにロールバック手順を追記する",
        "クライアントのリトライに指数バックオフと上限を設ける",
        "リリースチェックリストに通常ピークの2倍の負荷試験を加える",
        "{svc}とキャッシュ層の依存関係を文書化する",
    ),
}


SHAPES = ("realistic", "example", "small")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "shakespeare" / "postmortems"


@dataclass(frozen=True)
class Shape:
    """How big a generated document is."""

    actions: tuple[int, int]
    events: int
    size: tuple[int, int]
    checklist: bool


SIZES = {
    "realistic": Shape(actions=(9, 10), events=35, size=(11_500, 14_000), checklist=True),
    "small": Shape(actions=(2, 6), events=8, size=(3000, 4700), checklist=False),
}


def generate(directory: Path, count: int, *, seed: int = 0, shape: str = "realistic") -> list[Path]:
    """Write `count` postmortems under `directory/<year>/<id>.md`; return their paths.

    The same seed and shape give the same files, byte for byte.
    """
    rng = random.Random(seed)
    paths = []
    for number in range(count):
        if shape == "example":
            document_id, text = _example_copy(rng, number)
        else:
            document_id, text = _postmortem(rng, number, SIZES[shape])
        path = directory / document_id[:4] / f"{document_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _example_copy(rng: random.Random, number: int) -> tuple[str, str]:
    """The reference example (English or Japanese), moved to another day and service."""
    japanese = rng.random() < 0.4
    name = "2015-10-21-shakespeare-sonnet" + ("-ja" if japanese else "")
    text = (EXAMPLE / "2015" / f"{name}.md").read_text(encoding="utf-8")
    day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
    service = rng.choice(SERVICES)
    document_id = f"{day.isoformat()}-{service}-incident-{number}"
    status = (
        rng.choice(("reviewed", "closed")) if day < RECENT else rng.choice(("draft", "in-review"))
    )
    text = (
        text.replace(f"id: {name}\n", f"id: {document_id}\n", 1)
        .replace("related: [2015-10-21-shakespeare-sonnet-ja]", "related: []")
        .replace("related: [2015-10-21-shakespeare-sonnet]", "related: []")
        .replace("status: reviewed\n", f"status: {status}\n", 1)
        .replace("2015-10-21", day.isoformat())
        .replace("shakespeare-search", service)
        .replace("owner: jennifer\n", f"owner: {rng.choice(PEOPLE)}\n", 1)
    )
    if status == "closed":
        text = text.replace("    status: todo\n", "    status: wontfix\n")
    return document_id, text


def _postmortem(rng: random.Random, number: int, shape: Shape) -> tuple[str, str]:
    japanese = rng.random() < 0.4
    words = JA if japanese else EN
    language = Language.JA if japanese else Language.EN
    service = rng.choice(SERVICES)
    day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
    document_id = f"{day.isoformat()}-{service}-incident-{number}"
    title = rng.choice(words["titles"]).format(svc=service)
    status = rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0]
    if day < RECENT:
        status = rng.choice(("reviewed", "closed"))
    owner, *others = rng.sample(PEOPLE, 4)
    authors = [owner, others[0]]
    reviewer = others[1]
    start = dt.datetime(day.year, day.month, day.day, rng.randrange(0, 18), rng.randrange(60))
    offsets = sorted(rng.sample(range(1, 15 * shape.events), shape.events - 1))
    detected, mitigated, resolved = (
        start + dt.timedelta(minutes=offsets[i]) for i in (0, len(offsets) // 2, -1)
    )
    items = _actions(rng, words, service, status, day, shape)
    front = [
        "---",
        "schema: 2",
        f"id: {document_id}",
        f'title: "{title}"',
        f"status: {status}",
        f"severity: {rng.choice(SEVERITIES)}",
        f'incident: "{1000 + number}"',
        f"language: {language.value}",
        f"owner: {owner}",
        f"authors: [{', '.join(authors)}]",
        f"created: {day.isoformat()}",
        "timestamps:",
        f"  started: {start.isoformat()}Z",
        f"  detected: {detected.isoformat()}Z",
        f"  mitigated: {mitigated.isoformat()}Z",
        f"  resolved: {resolved.isoformat()}Z",
        "impact:",
        f"  user_visible_minutes: {offsets[-1]}",
        "  data_loss: false",
        "  billing: false",
        f"  affected_users: {rng.randrange(100, 500_000)}",
        "criteria: [user-visible-downtime, on-call-intervention]",
        f"services: [{service}]",
        f"tags: [{rng.choice(['config', 'capacity', 'deploy', 'dependency'])}]",
        "related: []",
        "action_items:" if items else "action_items: []",
    ]
    for item in items:
        front += [f"  - id: {item.id}", f'    title: "{item.title}"', f"    type: {item.type}"]
        front += [f"    owner: {item.owner}", f"    priority: {item.priority}"]
        front += [f"    status: {item.status}"]
        front += [f"    due: {item.due.isoformat()}"] if item.due else []
        front += [f'    tracker: "{item.tracker}"'] if item.tracker else []
    if status in ("reviewed", "closed"):
        review_day = day + dt.timedelta(days=rng.randrange(1, 4))
        front += [
            "reviews:",
            f"  - reviewer: {reviewer}",
            f"    date: {review_day.isoformat()}",
            "    verdict: approved",
        ]
        if shape.checklist:
            front += ["    checklist:", *(f"      {key}: true" for key in CHECKLIST)]
            front += [f'    notes: "{paragraph_of(rng, words, service, 2)}"']
        front += ["shared_with: [sre-all@]"]
    else:
        front += ["reviews: []", "shared_with: []"]
    front.append("---")
    head = "\n".join(front) + "\n"
    budget = rng.randrange(*shape.size) - len(head.encode("utf-8"))
    return document_id, head + _body(
        rng, words, language, title, service, (start, offsets), items, budget
    )


CHECKLIST = (
    *("key-data", "impact", "root-cause", "action-plan", "shared", "owner"),
    *("root-cause-vs-trigger", "lessons", "action-items", "blameless"),
)


def paragraph_of(
    rng: random.Random, words: dict[str, tuple[str, ...]], service: str, sentences: int
) -> str:
    separator = "" if words is JA else " "
    chosen = [rng.choice(words["sentences"]).format(svc=service) for _ in range(sentences)]
    return separator.join(chosen)


def _actions(
    rng: random.Random,
    words: dict[str, tuple[str, ...]],
    service: str,
    status: str,
    day: dt.date,
    shape: Shape,
) -> list[ActionItem]:
    items = []
    recent = day >= RECENT
    for index in range(rng.randrange(*shape.actions)):
        done = status == "closed" or rng.random() < 0.4
        priority = rng.choice(("P0", "P1", "P2", "P3"))
        items.append(
            ActionItem.model_validate(
                {
                    "id": f"AI-{index + 1}",
                    "title": rng.choice(words["actions"]).format(svc=service),
                    "type": rng.choice(("mitigate", "prevent", "process", "other")),
                    "owner": rng.choice(PEOPLE),
                    "priority": priority,
                    "status": "done" if done else rng.choice(("todo", "in-progress")),
                    "due": day + dt.timedelta(days=rng.randrange(14, 90)) if recent else None,
                    "tracker": f"OPS-{rng.randrange(1000, 99999)}",
                }
            )
        )
    return items


def _body(
    rng: random.Random,
    words: dict[str, tuple[str, ...]],
    language: Language,
    title: str,
    service: str,
    times: tuple[dt.datetime, list[int]],
    items: list[ActionItem],
    budget: int,
) -> str:
    """The body, padded with more prose in 'Supporting information' up to `budget` bytes."""
    headings = words["headings"]
    start, offsets = times

    def paragraph(sentences: int) -> str:
        return paragraph_of(rng, words, service, sentences)

    timeline_day = start.date().isoformat()
    events = []
    day = start.date()
    for offset in [0, *offsets]:
        moment = start + dt.timedelta(minutes=offset)
        if moment.date() != day:  # the timeline crosses midnight: a line with the new date
            day = moment.date()
            events.append(f"\n{day.isoformat()}\n")
        events.append(f"- {moment:%H:%M} {rng.choice(words['events'])}")
    parts = [f"\n# {title}\n"]
    prose = [0, 1, 2, 3, 4, 5, 6]
    for index in prose:
        parts.append(f"## {headings[index]}\n\n{paragraph(rng.randrange(1, 3))}\n")
    parts.append(f"## {headings[7]}\n")
    for index in (8, 9, 10):
        parts.append(f"### {headings[index]}\n\n- {paragraph(1)}\n")
    parts.append(f"## {headings[11]}\n\n{timeline_day} (UTC)\n\n" + "\n".join(events) + "\n")
    parts.append(f"## {headings[12]}\n\n{render_table(items, language)}\n")
    parts.append(f"## {headings[13]}\n\n- https://dashboards.example.com/{service}\n")
    text = "\n".join(parts)
    while len(text.encode("utf-8")) < budget:
        text += f"- {paragraph(2)}\n"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate a pmctl project of postmortems.")
    parser.add_argument("root", type=Path, help="Project directory to create or fill.")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shape", choices=SHAPES, default="realistic")
    args = parser.parse_args()
    args.root.mkdir(parents=True, exist_ok=True)
    config = args.root / "pmctl.toml"
    if not config.exists():
        config.write_text('postmortem_dir = "postmortems"\n', encoding="utf-8")
    paths = generate(args.root / "postmortems", args.count, seed=args.seed, shape=args.shape)
    print(f"wrote {len(paths)} postmortems under {args.root / 'postmortems'}")


if __name__ == "__main__":
    main()
