"""Generate N postmortems (mixed English/Japanese) for benchmarks.

Each file is valid against the model, carries action items, a timeline and the generated
action-item table, and is deterministic for a given seed. Other benchmarks import it:

    from gen_corpus import generate
    paths = generate(Path("/tmp/corpus/postmortems"), 10_000, seed=0)

or, to make a whole project (pmctl.toml + postmortems/) from the command line:

    .venv/bin/python bench/gen_corpus.py /tmp/corpus --count 10000 [--seed 0] [--realistic]

By default the documents are small (3-5 KB). With `realistic=True` (`--realistic`) they have
the size and shape of the bundled reference example (examples/shakespeare/, ~12.7 KB in
English, ~16 KB in Japanese): nine action items, a 35-entry timeline, a review with its
checklist, and prose drawn from a larger vocabulary with a recurring cause per tag, so that
full-text search, related postmortems and recurring causes meet realistic term statistics.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def generate(directory: Path, count: int, *, seed: int = 0, realistic: bool = False) -> list[Path]:
    """Write `count` postmortems under `directory/<year>/<id>.md`; return their paths.

    The same seed gives the same files, byte for byte. `realistic` makes documents of the
    reference example's size and shape (see the module's docstring).
    """
    rng = random.Random(seed)
    paths = []
    for number in range(count):
        document_id, text = (_realistic if realistic else _postmortem)(rng, number)
        path = directory / document_id[:4] / f"{document_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _postmortem(rng: random.Random, number: int) -> tuple[str, str]:
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
    offsets = sorted(rng.sample(range(1, 240), 7))
    detected, mitigated, resolved = (start + dt.timedelta(minutes=offsets[i]) for i in (0, 3, 5))
    items = _actions(rng, words, service, status, day)
    front = [
        "---",
        "schema: 1",
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
        f"  user_visible_minutes: {offsets[5]}",
        "  data_loss: false",
        "  billing: false",
        f"  affected_users: {rng.randrange(100, 500_000)}",
        "criteria: [user-visible-downtime, on-call-intervention]",
        f"services: [{service}]",
        f"tags: [{rng.choice(['config', 'capacity', 'deploy', 'dependency'])}]",
        "related: []",
        "action_items:" if items else "action_items: []",
    ]
    front += _item_lines(items)
    if status in ("reviewed", "closed"):
        review_day = day + dt.timedelta(days=rng.randrange(1, 4))
        front += [
            "reviews:",
            f"  - reviewer: {reviewer}",
            f"    date: {review_day.isoformat()}",
            "    verdict: approved",
            "shared_with: [sre-all@]",
        ]
    else:
        front += ["reviews: []", "shared_with: []"]
    front.append("---")
    head = "\n".join(front) + "\n"
    budget = rng.randrange(3000, 4700) - len(head.encode("utf-8"))
    return document_id, head + _body(
        rng, words, language, title, service, (start, offsets), items, budget
    )


def _actions(
    rng: random.Random, words: dict[str, tuple[str, ...]], service: str, status: str, day: dt.date
) -> list[ActionItem]:
    items = []
    recent = day >= RECENT
    for index in range(rng.randrange(2, 6)):
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
    separator = "" if language is Language.JA else " "

    def paragraph(sentences: int) -> str:
        chosen = [rng.choice(words["sentences"]).format(svc=service) for _ in range(sentences)]
        return separator.join(chosen)

    timeline_day = start.date().isoformat()
    events = []
    for offset, event in zip([0, *offsets], words["events"], strict=False):
        moment = start + dt.timedelta(minutes=offset)
        events.append(f"- {moment:%H:%M} {event}")
    if start.date() != (start + dt.timedelta(minutes=offsets[-1])).date():
        events = events[:1]  # keep the timeline within one day: no date lines needed
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


# -- realistic documents -------------------------------------------------------------------

TAGS = (
    "cascading-failure",
    "connection-pool",
    "certificate",
    "config",
    "capacity",
    "retry-storm",
    "disk-full",
    "dns",
    "resource-leak",
    "query-of-death",
    "dependency",
    "deploy",
)
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1", "ap-southeast-2")
CHECKLIST = (
    "key-data",
    "impact",
    "root-cause",
    "action-plan",
    "shared",
    "owner",
    "root-cause-vs-trigger",
    "lessons",
    "action-items",
    "blameless",
)
EN_MORE: dict[str, Any] = {
    "components": (
        "Redis cache",
        "Kafka consumer group",
        "Postgres primary",
        "Envoy sidecar",
        "load balancer",
        "TLS terminator",
        "DNS resolver",
        "job scheduler",
        "feature-flag service",
        "object store",
        "search indexer",
        "rate limiter",
        "session store",
        "CDN edge",
        "message queue",
        "config service",
    ),
    "metrics": (
        "error rate",
        "p99 latency",
        "queue depth",
        "CPU saturation",
        "connection count",
        "disk usage",
        "GC pause time",
        "5xx rate",
    ),
    "causes": {
        "cascading-failure": (
            "A cascading failure: overloaded {component} tasks crashed, and each restart met the same load and crashed again.",
            "The load that one failed {region} shed onto the others pushed them over their limits in turn.",
        ),
        "connection-pool": (
            "The connection pool between {svc} and the {component} was capped at {n} connections, a limit nobody had revisited since launch.",
            "Once every connection was busy, requests queued until they timed out and clients retried them.",
        ),
        "certificate": (
            "The TLS certificate of the {component} expired because its renewal job had been failing silently for {n} days.",
            "Clients of {svc} refused the expired certificate and every request failed the handshake.",
        ),
        "config": (
            "A configuration change to the {component} set a timeout of {n} ms where seconds were meant.",
            "The change was valid syntax, so the configuration checks let it through to every region.",
        ),
        "capacity": (
            "The {component} had no headroom left: organic growth of {n}% since the last capacity review had used it up.",
            "At the daily peak the {component} saturated and {svc} requests waited behind each other.",
        ),
        "retry-storm": (
            "Clients of {svc} retried failed calls immediately and without a budget, multiplying the load on the {component} by {n}.",
            "The retries kept the {component} saturated long after the original fault was gone.",
        ),
        "disk-full": (
            "The disk of the {component} on {host} filled up with logs after log rotation stopped.",
            "With no space left, writes failed and {svc} could not persist new requests.",
        ),
        "dns": (
            "A DNS record of the {component} was changed with a TTL of {n} seconds, and stale answers pointed {svc} at retired hosts.",
            "Resolvers in {region} cached the wrong answer until the TTL ran out.",
        ),
        "resource-leak": (
            "A file descriptor leak in the {component} exhausted the per-process limit after {n} hours of uptime.",
            "Each leaking task crashed when it ran out of descriptors, and restarts only reset the clock.",
        ),
        "query-of-death": (
            "A query of death: one malformed request made every {component} task that served it crash.",
            "Clients retried the request against the next task, so the crash spread through the fleet.",
        ),
        "dependency": (
            "An upstream dependency of {svc}, the {component}, degraded and {svc} had no timeout shorter than its own deadline.",
            "Threads blocked on the {component} until the {svc} pool was exhausted.",
        ),
        "deploy": (
            "Build {n} of {svc} shipped a regression in its use of the {component} that tests did not cover.",
            "The deploy reached all regions before the error rate crossed the alert threshold.",
        ),
    },
    "prose": (
        "The {svc} service returned errors for {n}% of requests in {region} while the {component} was unhealthy.",
        "Dashboards showed the {metric} of {svc} rising steadily within minutes of the change.",
        "{person} noticed that the {component} on {host} had stopped reporting metrics.",
        "The alert on {metric} fired and paged the primary on-call for {svc}.",
        "Traffic was shifted away from {region} and the error rate dropped within {n} minutes.",
        "The runbook for the {component} did not mention the dependency on {svc}.",
        "Rolling back the last deploy of {svc} did not help, which ruled out the release.",
        "Capacity in {region} was raised by {n} instances before traffic was returned.",
        "Clients retried failed requests immediately, which doubled the load on the {component}.",
        "The incident channel kept one source of truth for decisions and status updates.",
        "A staged rollout with automatic health checks would have stopped the change in the first region.",
        "{person} and {other} worked in parallel on mitigation and on finding the cause.",
        "Logs on {host} showed repeated timeouts when talking to the {component}.",
        "Customer support received {n} tickets about slow pages and failed requests.",
        "The status page was updated {n} minutes after the incident was declared.",
        "The {metric} graph made the start of the problem easy to see.",
        "Load tests had never exercised the {component} at this level of traffic.",
        "The on-call handbook did not say who decides to fail over {region}.",
        "Error budgets for {svc} were already low after an earlier incident this quarter.",
        "We lacked a dashboard that showed the {component} and {svc} side by side.",
    ),
    "well": (
        "Monitoring paged the on-call within {n} minutes of the first errors.",
        "The rollback tooling for {svc} worked on the first try.",
        "Communication with customer support was clear and regular.",
        "The fail-over steps for {region} in the runbook were accurate.",
    ),
    "wrong": (
        "There was no playbook for a failure of the {component}.",
        "The first mitigation was sized by hand and was off by a factor of {n}.",
        "Alerts from {n} services paged at once and hid the real cause.",
        "It took {n} minutes to find who owned the {component}.",
    ),
    "lucky": (
        "The incident happened during business hours, when the {component} team was online.",
        "A recent snapshot of the {component} existed on {host}.",
        "Traffic was below the weekly peak when the problem started.",
    ),
    "events": (
        "Deploy of {svc} build {n} starts in {region}.",
        "Alert on {metric} fires and pages {person}.",
        "{person} acknowledges the page and opens the incident channel.",
        "{person} declares an incident and names {other} incident commander.",
        "{person} finds timeouts to the {component} in the logs on {host}.",
        "Error rate of {svc} in {region} reaches {n}%.",
        "{person} starts a rollback of {svc}.",
        "Traffic shifted away from {region}.",
        "{other} adds {n} instances of the {component}.",
        "Status page updated.",
        "Error rate back within the SLO in {region}.",
        "{person} restores traffic to {region} for {n}% of requests.",
        "Support reports {n} new customer tickets.",
        "{other} confirms the cause in the {component}.",
    ),
    "actions": (
        "Add an alert on {metric} of the {component}",
        "Write a playbook for a failure of the {component}",
        "Automate the fail-over of {region}",
        "Add the {component} to the load-test plan",
        "Cap client retries to the {component} with a budget",
        "Name an owner for the {component} in the service catalogue",
        "Roll out {svc} configuration region by region with health checks",
        "Add a dashboard of {svc} and the {component} side by side",
        "Alert on the renewal job of the {component} certificates",
    ),
    "summary": "{svc} was degraded for {minutes} minutes in {region}: {cause}",
    "closing": "Incident closed after 30 minutes of normal operation.",
}
JA_MORE: dict[str, Any] = {
    "components": (
        "Redisキャッシュ",
        "Kafkaコンシューマグループ",
        "Postgresプライマリ",
        "Envoyサイドカー",
        "ロードバランサ",
        "TLS終端",
        "DNSリゾルバ",
        "ジョブスケジューラ",
        "フィーチャーフラグ基盤",
        "オブジェクトストレージ",
        "検索インデクサ",
        "レートリミッタ",
        "セッションストア",
        "CDNエッジ",
        "メッセージキュー",
        "設定配信サービス",
    ),
    "metrics": (
        "エラー率",
        "p99レイテンシ",
        "キュー長",
        "CPU使用率",
        "接続数",
        "ディスク使用率",
        "GC停止時間",
        "5xx率",
    ),
    "causes": {
        "cascading-failure": (
            "カスケード障害。過負荷になった{component}のタスクがクラッシュし、再起動しても同じ負荷を受けて再びクラッシュした。",
            "障害の起きた{region}が手放した負荷が他のリージョンに集中し、次々と限界を超えた。",
        ),
        "connection-pool": (
            "{svc}と{component}の間の接続プールの上限が{n}のままで、リリース以来見直されていなかった。",
            "すべての接続が埋まると、リクエストはタイムアウトするまで待たされ、クライアントがリトライした。",
        ),
        "certificate": (
            "{component}のTLS証明書が期限切れになった。更新ジョブが{n}日間、気づかれずに失敗していた。",
            "{svc}のクライアントは期限切れの証明書を拒否し、すべてのリクエストがハンドシェイクで失敗した。",
        ),
        "config": (
            "{component}の設定変更で、秒のつもりのタイムアウトが{n}ミリ秒に設定された。",
            "構文としては正しかったため、設定チェックを通過して全リージョンへ反映された。",
        ),
        "capacity": (
            "{component}に余裕がなかった。前回のキャパシティ見直し以降の{n}%の自然増で使い切っていた。",
            "日次のピークで{component}が飽和し、{svc}のリクエストが滞留した。",
        ),
        "retry-storm": (
            "{svc}のクライアントが失敗した呼び出しを上限なしで即座にリトライし、{component}への負荷が{n}倍になった。",
            "元の障害が解消した後も、リトライが{component}を飽和させ続けた。",
        ),
        "disk-full": (
            "ログのローテーションが止まり、{host}上の{component}のディスクがログで満杯になった。",
            "空き容量がなくなって書き込みが失敗し、{svc}は新しいリクエストを保存できなかった。",
        ),
        "dns": (
            "{component}のDNSレコードがTTL {n}秒で変更され、古い応答が{svc}を廃止済みのホストへ向けた。",
            "{region}のリゾルバがTTLが切れるまで誤った応答をキャッシュした。",
        ),
        "resource-leak": (
            "{component}のファイルディスクリプタリークで、{n}時間の稼働後にプロセスごとの上限に達した。",
            "リークしたタスクはディスクリプタを使い果たしてクラッシュし、再起動しても時間稼ぎにしかならなかった。",
        ),
        "query-of-death": (
            "死のクエリ。不正な形式のリクエスト1件で、それを処理した{component}のタスクがすべてクラッシュした。",
            "クライアントが次のタスクへリトライしたため、クラッシュがフリート全体に広がった。",
        ),
        "dependency": (
            "{svc}の上流の依存先である{component}が劣化し、{svc}には自身の期限より短いタイムアウトがなかった。",
            "スレッドが{component}の応答待ちでブロックし、{svc}のスレッドプールが枯渇した。",
        ),
        "deploy": (
            "{svc}のビルド{n}に、テストで検証されていない{component}の使い方の退行が含まれていた。",
            "エラー率がアラートのしきい値を超える前に、デプロイが全リージョンへ到達した。",
        ),
    },
    "prose": (
        "{component}が不調な間、{region}で{svc}サービスはリクエストの{n}%にエラーを返した。",
        "ダッシュボードでは、変更から数分のうちに{svc}の{metric}が上昇し続けていた。",
        "{person}は{host}上の{component}がメトリクスを送らなくなっていることに気づいた。",
        "{metric}のアラートが発報し、{svc}の一次オンコールが呼び出された。",
        "{region}からトラフィックを移し、{n}分以内にエラー率が下がった。",
        "{component}のランブックには{svc}への依存が記載されていなかった。",
        "{svc}の直前のデプロイをロールバックしても改善せず、リリースが原因ではないと分かった。",
        "トラフィックを戻す前に、{region}のキャパシティを{n}インスタンス増やした。",
        "クライアントが失敗したリクエストを即座にリトライし、{component}への負荷が倍増した。",
        "インシデントチャンネルが判断と状況共有の唯一の情報源として機能した。",
        "ヘルスチェック付きの段階的ロールアウトがあれば、最初のリージョンで変更を止められた。",
        "{person}と{other}が緩和と原因調査を並行して進めた。",
        "{host}のログには{component}との通信で繰り返しタイムアウトが記録されていた。",
        "カスタマーサポートには表示の遅延と失敗について{n}件の問い合わせが届いた。",
        "インシデント宣言から{n}分後にステータスページを更新した。",
        "{metric}のグラフで問題の開始時点がはっきり分かった。",
        "負荷試験でこの水準のトラフィックを{component}にかけたことはなかった。",
        "オンコールハンドブックには、{region}のフェイルオーバーを誰が判断するか書かれていなかった。",
        "今四半期の別のインシデントで、{svc}のエラーバジェットはすでに少なくなっていた。",
        "{component}と{svc}を並べて見られるダッシュボードがなかった。",
    ),
    "well": (
        "最初のエラーから{n}分以内にモニタリングがオンコールを呼び出したこと。",
        "{svc}のロールバックツールが一度で動いたこと。",
        "カスタマーサポートとの連絡が明確かつ定期的だったこと。",
        "ランブックの{region}のフェイルオーバー手順が正確だったこと。",
    ),
    "wrong": (
        "{component}の障害に対する手順書がなかったこと。",
        "最初の緩和策が手計算で決められ、{n}倍ずれていたこと。",
        "{n}個のサービスのアラートが同時に鳴り、本当の原因が埋もれたこと。",
        "{component}の担当者を見つけるのに{n}分かかったこと。",
    ),
    "lucky": (
        "業務時間中に起きたため、{component}のチームがオンラインだったこと。",
        "{host}に{component}の最近のスナップショットが残っていたこと。",
        "問題が始まったとき、トラフィックが週次のピークを下回っていたこと。",
    ),
    "events": (
        "{region}で{svc}のビルド{n}のデプロイを開始。",
        "{metric}のアラートが発報し、{person}を呼び出し。",
        "{person}が応答し、インシデントチャンネルを開設。",
        "{person}がインシデントを宣言し、{other}をインシデントコマンダーに指名。",
        "{person}が{host}のログで{component}へのタイムアウトを発見。",
        "{region}の{svc}のエラー率が{n}%に到達。",
        "{person}が{svc}のロールバックを開始。",
        "{region}からトラフィックを退避。",
        "{other}が{component}のインスタンスを{n}台追加。",
        "ステータスページを更新。",
        "{region}のエラー率がSLO内に回復。",
        "{person}が{region}へのトラフィックをリクエストの{n}%まで戻す。",
        "サポートから新たに{n}件の問い合わせの報告。",
        "{other}が{component}に原因があることを確認。",
    ),
    "actions": (
        "{component}の{metric}にアラートを追加する",
        "{component}の障害に対する手順書を書く",
        "{region}のフェイルオーバーを自動化する",
        "{component}を負荷試験の計画に加える",
        "{component}へのクライアントのリトライに上限を設ける",
        "サービスカタログに{component}の担当者を明記する",
        "{svc}の設定をヘルスチェック付きでリージョンごとに展開する",
        "{svc}と{component}を並べたダッシュボードを作る",
        "{component}の証明書更新ジョブにアラートを設定する",
    ),
    "summary": "{region}で{svc}が{minutes}分間劣化した。{cause}",
    "closing": "30分間の正常稼働を確認してインシデントを終了。",
}


def _realistic(rng: random.Random, number: int) -> tuple[str, str]:
    """A postmortem of the size and shape of the reference example (en ~12.7 KB, ja ~16 KB)."""
    japanese = rng.random() < 0.4
    more = JA_MORE if japanese else EN_MORE
    service = rng.choice(SERVICES)
    tags = rng.sample(TAGS, rng.randrange(1, 4))
    day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
    document_id = f"{day.isoformat()}-{service}-{tags[0]}-{number}"
    status = rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0]
    if day < RECENT:
        status = rng.choice(("reviewed", "closed"))

    def fill(template: str) -> str:
        return template.format(
            svc=service,
            component=rng.choice(more["components"]),
            metric=rng.choice(more["metrics"]),
            region=rng.choice(REGIONS),
            host=f"{service}-{rng.randrange(1, 400)}.{rng.choice(REGIONS)}",
            person=rng.choice(PEOPLE),
            other=rng.choice(PEOPLE),
            n=rng.randrange(2, 200),
        )

    start = dt.datetime(day.year, day.month, day.day, rng.randrange(0, 15), rng.randrange(60))
    offsets = sorted(rng.sample(range(1, rng.randrange(60, 420)), 34))
    title = fill(rng.choice((JA if japanese else EN)["titles"]))
    summary = more["summary"].format(
        svc=service,
        minutes=offsets[30],
        region=rng.choice(REGIONS),
        cause=fill(more["causes"][tags[0]][0]),
    )
    items = [
        ActionItem.model_validate(
            {
                "id": f"AI-{index + 1}",
                "title": fill(template),
                "type": rng.choice(("mitigate", "prevent", "process", "other")),
                "owner": rng.choice(PEOPLE),
                "priority": rng.choice(("P0", "P1", "P2", "P3")),
                "status": "done"
                if status == "closed" or rng.random() < 0.4
                else rng.choice(("todo", "in-progress")),
                "due": day + dt.timedelta(days=rng.randrange(14, 90)) if day >= RECENT else None,
                "tracker": f"OPS-{rng.randrange(1000, 99999)}",
            }
        )
        for index, template in enumerate(rng.sample(more["actions"], 9))
    ]
    owner, *others = rng.sample(PEOPLE, 4)
    front = [
        "---",
        "schema: 1",
        f"id: {document_id}",
        f'title: "{title}"',
        f"status: {status}",
        f"severity: {rng.choice(SEVERITIES)}",
        f'incident: "{1000 + number}"',
        f"language: {'ja' if japanese else 'en'}",
        f"owner: {owner}",
        f"authors: [{owner}, {others[0]}, {others[2]}]",
        f"created: {day.isoformat()}",
        "timestamps:",
        *(
            f"  {key}: {(start + dt.timedelta(minutes=minutes)).isoformat()}Z"
            for key, minutes in zip(
                ("started", "detected", "mitigated", "resolved"),
                (0, offsets[1], offsets[20], offsets[30]),
                strict=True,
            )
        ),
        "impact:",
        f"  user_visible_minutes: {offsets[30]}",
        "  data_loss: false",
        "  billing: false",
        f"  affected_users: {rng.randrange(100, 500_000)}",
        f'  description: "{summary}"',
        "criteria: [user-visible-downtime, on-call-intervention]",
        f"services: [{service}]",
        f"tags: [{', '.join(tags)}]",
        "related: []",
        "action_items:",
        *_item_lines(items),
        *_review_lines(rng, status, day, others[1], fill(rng.choice(more["prose"]))),
        "---",
    ]
    body = _realistic_body(rng, japanese, fill, title, summary, tags[0], start, offsets, items)
    return document_id, "\n".join(front) + "\n" + body


def _item_lines(items: list[ActionItem]) -> list[str]:
    """The `action_items:` entries of the front matter."""
    lines: list[str] = []
    for item in items:
        lines += [f"  - id: {item.id}", f'    title: "{item.title}"', f"    type: {item.type}"]
        lines += [f"    owner: {item.owner}", f"    priority: {item.priority}"]
        lines += [f"    status: {item.status}"]
        lines += [f"    due: {item.due.isoformat()}"] if item.due else []
        lines += [f'    tracker: "{item.tracker}"'] if item.tracker else []
    return lines


def _review_lines(
    rng: random.Random, status: str, day: dt.date, reviewer: str, notes: str
) -> list[str]:
    if status not in ("reviewed", "closed"):
        return ["reviews: []", "shared_with: []"]
    return [
        "reviews:",
        f"  - reviewer: {reviewer}",
        f"    date: {(day + dt.timedelta(days=rng.randrange(1, 4))).isoformat()}",
        "    verdict: approved",
        "    checklist:",
        *(f"      {key}: true" for key in CHECKLIST),
        f"    notes: {notes}",
        "shared_with: [sre-all@]",
    ]


def _realistic_body(
    rng: random.Random,
    japanese: bool,
    fill: Callable[[str], str],
    title: str,
    summary: str,
    tag: str,
    start: dt.datetime,
    offsets: list[int],
    items: list[ActionItem],
) -> str:
    """Sections as the reference example has them; 'Response analysis' grows to the size."""
    more = JA_MORE if japanese else EN_MORE
    headings = (JA if japanese else EN)["headings"]
    separator = "" if japanese else " "

    def paragraph(count: int) -> str:
        return separator.join(fill(rng.choice(more["prose"])) for _ in range(count))

    def bullets(pool: str, count: int) -> str:
        return "\n".join(f"- {fill(sentence)}" for sentence in rng.sample(more[pool], count))

    events = [fill(rng.choice(more["events"])) for _ in range(34)] + [more["closing"]]
    moments = [start + dt.timedelta(minutes=minutes) for minutes in (0, *offsets)]
    # One day per timeline, as in the small documents: no date lines needed.
    timeline = [
        f"- {moment:%H:%M} {event}"
        for moment, event in zip(moments, events, strict=True)
        if moment.date() == start.date()
    ]
    head = [
        f"\n# {title}\n",
        f"## {headings[0]}\n\n{summary}{separator}{paragraph(1)}\n",
        f"## {headings[1]}\n\n" + "\n".join(f"- {paragraph(1)}" for _ in range(3)) + "\n",
        f"## {headings[2]}\n\n"
        + separator.join(fill(sentence) for sentence in more["causes"][tag])
        + f"\n\n{paragraph(3)}\n",
        f"## {headings[3]}\n\n{fill(more['causes'][tag][1])}\n",
        f"## {headings[4]}\n\n" + "\n".join(f"- {paragraph(1)}" for _ in range(4)) + "\n",
        f"## {headings[5]}\n\n{paragraph(2)}\n",
    ]
    tail = [
        f"## {headings[7]}\n",
        f"### {headings[8]}\n\n{bullets('well', 3)}\n",
        f"### {headings[9]}\n\n{bullets('wrong', 3)}\n",
        f"### {headings[10]}\n\n{bullets('lucky', 2)}\n",
        f"## {headings[11]}\n\n{start.date().isoformat()} (UTC)\n\n" + "\n".join(timeline) + "\n",
        f"## {headings[12]}\n\n{render_table(items, Language.JA if japanese else Language.EN)}\n",
        f"## {headings[13]}\n\n- https://dashboards.example.com/d/{rng.randrange(1, 99)}\n",
    ]
    budget = rng.randrange(11_500, 14_000) if japanese else rng.randrange(9_000, 10_500)
    analysis = [f"- {paragraph(2)}" for _ in range(3)]
    size = sum(len(part.encode("utf-8")) for part in head + tail) + 2 * len(head + tail)
    while size + sum(len(line.encode("utf-8")) + 1 for line in analysis) < budget:
        analysis.append(f"- {paragraph(2)}")
    analysis_section = f"## {headings[6]}\n\n" + "\n".join(analysis) + "\n"
    return "\n".join([*head, analysis_section, *tail])


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate a pmctl project of postmortems.")
    parser.add_argument("root", type=Path, help="Project directory to create or fill.")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--realistic", action="store_true", help="Documents of the reference example's size."
    )
    args = parser.parse_args()
    args.root.mkdir(parents=True, exist_ok=True)
    config = args.root / "pmctl.toml"
    if not config.exists():
        config.write_text('postmortem_dir = "postmortems"\n', encoding="utf-8")
    paths = generate(
        args.root / "postmortems", args.count, seed=args.seed, realistic=args.realistic
    )
    print(f"wrote {len(paths)} postmortems under {args.root / 'postmortems'}")


if __name__ == "__main__":
    main()
