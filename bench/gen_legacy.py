"""Generate N legacy postmortems, as a team keeps them before pmctl, for the import benchmark.

Realistic in size and shape (~9-12 KB, like the bundled reference example): a quarter each
of Markdown with headings only (a header block of `Key: value` lines), TOML front matter
(`+++`, as static-site generators write it), YAML front matter of another schema, and JSON
front matter; timelines as bullets or tables of ~30 entries (some approximate, one row
without a time, now and then one out of order), nine action items as bullets (with done
markers, bold lead-ins, nested bullets) or as a table, stated durations, unknown sections,
link definitions; English and Japanese. Deterministic for a seed.

    .venv/bin/python bench/gen_legacy.py /tmp/legacy --count 1000 [--seed 0]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

SERVICES = ("checkout", "search", "payments", "auth", "catalog", "billing", "api-gateway", "cdn")
PEOPLE = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy")
SHAPES = ("headings", "toml", "yaml", "json")
EVENTS_EN = (
    "Deploy of the {service} release starts on the first cluster",
    "Error rate of {service} rises above the alert threshold",
    "On-call engineer is paged and acknowledges the alert",
    "Incident channel opened; {person} takes the incident commander role",
    "Dashboards show the connection pool of {service} saturated",
    "Rollback of the {service} release is started",
    "Traffic to {service} is shifted to the standby region",
    "Customer support reports a wave of tickets about {service}",
    "Latency of {service} back under the objective",
    "Status page updated with the current impact",
)
EVENTS_JA = (
    "{service} のリリースを最初のクラスタにデプロイ開始",
    "{service} のエラー率がアラートの閾値を超える",
    "オンコール担当者が呼び出され、アラートを確認",
    "インシデントチャンネルを開設、{person} が指揮を担当",
    "{service} のコネクションプールの枯渇をダッシュボードで確認",
    "{service} のリリースのロールバックを開始",
    "{service} へのトラフィックを待機系リージョンに切り替え",
    "カスタマーサポートから {service} に関する問い合わせが増加",
    "{service} のレイテンシが目標値以下に回復",
    "ステータスページを更新",
)
ACTIONS_EN = (
    "Add an alert on the connection pool saturation of {service}",
    "Make the {service} rollout stop on a rising error rate",
    "Write a runbook for failing over {service} to the standby region",
    "Load-test {service} at twice the peak traffic before each release",
    "Cap the retries of the {service} client at three",
    "Add a canary stage to the {service} deploy pipeline",
    "Document the restore procedure of the {service} database",
    "Move the {service} configuration into version control",
    "Investigate the memory headroom of {service}",
)
ACTIONS_JA = (
    "{service} のコネクションプール枯渇のアラートを追加する",
    "エラー率の上昇で {service} のロールアウトを止める",
    "{service} の待機系への切り替え手順書を作る",
    "{service} のリリース前にピークの2倍の負荷試験を行う",
    "{service} クライアントの再試行を3回までにする",
    "{service} のデプロイにカナリア段階を追加する",
    "{service} のデータベースの復旧手順を文書化する",
    "{service} の設定をバージョン管理に移す",
    "{service} のメモリの余裕を調査する",
)
PROSE_EN = (
    "The {service} service depends on a shared connection pool whose size was set years ago "
    "for a fraction of today's traffic. When the release added a second query per request, "
    "the pool ran out at the morning peak and requests queued until they timed out. The "
    "alert on the error rate fired within minutes, but the dashboards did not show the pool, "
    "so the first forty minutes went into looking at the database instead."
)
PROSE_JA = (
    "{service} は共有のコネクションプールに依存しており、そのサイズは数年前の少ないトラフィック"
    "に合わせて設定されたままだった。リリースでリクエストごとのクエリが一つ増えたため、朝の"
    "ピークでプールが枯渇し、リクエストはタイムアウトするまで待たされた。エラー率のアラートは"
    "数分で発報したが、ダッシュボードにプールが表示されていなかったため、最初の40分はデータベース"
    "の調査に費やされた。"
)


def generate(directory: Path, count: int, *, seed: int = 0) -> list[Path]:
    """Write `count` legacy postmortems under `directory`; return their paths."""
    rng = random.Random(seed)
    paths = []
    for number in range(count):
        shape = SHAPES[number % len(SHAPES)]
        japanese = rng.random() < 0.25
        day = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(0, 2500))
        service = rng.choice(SERVICES)
        title = f"{service} の障害 {number}" if japanese else f"{service} outage number {number}"
        suffix = ".md" if number % 10 else ".markdown"
        path = directory / str(day.year) / f"{day.isoformat()}-{service}-{number}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = _body(rng, title, service, day, japanese=japanese, header=shape == "headings")
        path.write_text(_front(shape, rng, title, day, service) + body, encoding="utf-8")
        paths.append(path)
    return paths


def _front(shape: str, rng: random.Random, title: str, day: dt.date, service: str) -> str:
    author = rng.choice(PEOPLE)
    started = f"{day.isoformat()}T{rng.randrange(0, 23):02d}:{rng.randrange(0, 59):02d}:00+01:00"
    tags = [service, rng.choice(("Outage", "Latency", "Data Loss"))]
    if shape == "toml":
        return (
            f'+++\ntitle = "{title}"\ndate = {day.isoformat()}T00:00:00+01:00\n'
            f'authors = ["{author}"]\ntags = {json.dumps(tags)}\ndraft = false\n\n'
            f'[params]\nseverity = "{rng.choice(("high", "medium", "low"))}"\n'
            f"incident_start = {started}\n+++\n\n"
        )
    if shape == "yaml":
        return (
            f"---\nlayout: postmortem\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
            f"date: {day.isoformat()}\nauthor: {author}\ncategories: {json.dumps(tags)}\n"
            f"severity: {rng.choice(('high', 'medium', 'low'))}\n---\n\n"
        )
    if shape == "json":
        data = {"title": title, "date": day.isoformat(), "owner": author, "tags": tags}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n\n"
    return ""


def _body(
    rng: random.Random,
    title: str,
    service: str,
    day: dt.date,
    *,
    japanese: bool,
    header: bool,
) -> str:
    person = rng.choice(PEOPLE)
    events = EVENTS_JA if japanese else EVENTS_EN
    prose = (PROSE_JA if japanese else PROSE_EN).format(service=service)
    names = (
        ("概要", "影響", "根本原因", "対応", "教訓", "タイムライン", "アクションアイテム", "参加者")
        if japanese
        else (
            "Summary",
            "Impact",
            "Root Causes",
            "Resolution",
            "Lessons Learned",
            "Timeline",
            "Action Items",
            "Attendees",
        )
    )
    lines = [f"# {title}", ""]
    if header:
        lines += [
            f"**Date:** {day.isoformat()}",
            f"**Authors:** {person}, {rng.choice(PEOPLE)}",
            "",
        ]
    for name in names[:4]:
        lines += [f"## {name}", "", prose, "", prose, "", prose, ""]
    lines += [f"## {names[4]}", "", f"- {prose}", f"- {prose}", ""]
    lines += [f"## {names[5]}", "", "All times in CET.", ""]
    minute = rng.randrange(0, 600)
    as_table = rng.random() < 0.5
    if as_table:
        lines += ["| Time | Event |", "|---|---|"]
    for entry in range(30):
        minute += rng.randrange(1, 6)
        if rng.random() < 0.03:
            minute -= 10  # written out of order, as people do
        stamp = f"{minute // 60 % 24:02d}:{minute % 60:02d}"
        if entry == 0:
            stamp = f"{day.isoformat()} {stamp}"
        elif rng.random() < 0.05:
            stamp = f"~{stamp}"
        text = rng.choice(events).format(service=service, person=person)
        if entry == 17:
            stamp = "later"
        lines.append(f"| {stamp} | {text} |" if as_table else f"- {stamp} {text}")
    lines.append("")
    lines += [f"## {names[6]}", ""]
    actions = ACTIONS_JA if japanese else ACTIONS_EN
    if rng.random() < 0.3:
        lines += ["| Action | Owner | Priority | Status |", "|---|---|---|---|"]
        for index, action in enumerate(actions):
            status = "done" if index % 3 == 0 else "open"
            lines.append(
                f"| {action.format(service=service)} | {rng.choice(PEOPLE)} | P{index % 4} | {status} |"
            )
    else:
        for index, action in enumerate(actions):
            mark = "[x]" if index % 3 == 0 else "[ ]"
            lead = "**Monitoring:** " if index == 0 else ""
            lines.append(f"- {mark} {lead}{action.format(service=service)}")
            if index == 2:
                lines.append("  - discussed at the weekly review")
    lines += ["", f"## {names[7]}", "", ", ".join(PEOPLE[:5]), "", "# Stats", ""]
    lines += [
        f"- Time to detection: {rng.randrange(1, 30)} minutes",
        "- Time to mitigation: ?",
        f"- Time to recovery: {rng.randrange(1, 4)} hours {rng.randrange(0, 59)} minutes",
        "",
        "[dashboard]: https://dashboards.example.com/d/" + service,
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    paths = generate(args.directory, args.count, seed=args.seed)
    size = sum(path.stat().st_size for path in paths) / len(paths)
    print(f"{len(paths)} legacy postmortems in {args.directory}, {size / 1024:.1f} KB on average")


if __name__ == "__main__":
    main()
