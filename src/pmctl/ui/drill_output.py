"""A drill as Markdown to print, and played step by step for the game master.

Every field of the postmortem is shown through `visible` (a section through
`visible_lines`), so a title cannot retitle the terminal or start a line of its own; a
front-matter field (title, services, action items) is also text in the Markdown (`inline`).

`play` reads the game master's keys from any stream of lines, so it runs the same on a
terminal, in a pipe and in a test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pmctl.domain.learning.drill import Drill, Entry, Step
from pmctl.domain.markdown_text import code_span, inline
from pmctl.domain.model import Language
from pmctl.domain.visible_text import visible, visible_lines

_LABELS = {
    Language.EN: {
        "title": "Wheel of Misfortune",
        "from": "A drill from postmortem {id}{incident}, {severity}{services}.",
        "services": ", {services}",
        "incident": " (incident {incident})",
        "roles": "Roles",
        "how": "How to play",
        "how_text": (
            "1. The game master reads *The first page* aloud and nothing else.\n"
            "2. The on-call engineer says what they look at and what they do; the game master "
            "answers with what the systems showed at that moment.\n"
            "3. When the players have answered the questions of a step, the game master "
            "reveals the next one.\n"
            "4. At the end, open the sealed section together and compare: what would have "
            "helped, what is still missing?"
        ),
        "page": "The first page",
        "no_page": "The timeline has no entry for the page; what the detection section says:",
        "step": "Step {number} of {total}",
        "ask": "Ask the players",
        "sealed": "Game master only (sealed)",
        "before": "What happened before the page",
        "trigger": "Trigger",
        "root": "Root causes",
        "resolution": "Resolution",
        "lessons": "Lessons learned",
        "actions": "What the team did afterwards",
        "timings": "Real timings",
        "detect": "detected after {minutes} min",
        "mitigate": "mitigated after {minutes} min",
        "resolve": "resolved after {minutes} min",
        "next": "Enter: reveal step {number} of {total} · q: stop",
        "reveal": "Enter: open the sealed section · q: stop",
        "stopped": "Stopped; the sealed section stays closed.",
        "none": "(not written)",
    },
    Language.JA: {
        "title": "Wheel of Misfortune(障害対応ロールプレイ)",
        "from": "ポストモーテム {id}{incident}({severity}{services})から作った演習。",
        "services": "、{services}",
        "incident": "(インシデント番号{incident})",
        "roles": "役割",
        "how": "進め方",
        "how_text": (
            "1. ゲームマスターは「最初のページ」だけを読み上げる。\n"
            "2. オンコール担当者は何を確認し何をするかを話す。ゲームマスターはその時点でシステムが"
            "示していたことで答える。\n"
            "3. プレイヤーがそのステップの問いに答えたら、ゲームマスターが次のステップを明かす。\n"
            "4. 最後に封印されたセクションを一緒に開き、何があれば助けになったか、何がまだ"
            "足りないかを比べる。"
        ),
        "page": "最初のページ",
        "no_page": "タイムラインにページの記録がない。検出のセクションには次のようにある:",
        "step": "ステップ {number} / {total}",
        "ask": "プレイヤーへの問い",
        "sealed": "ゲームマスター専用(封印)",
        "before": "ページより前に起きていたこと",
        "trigger": "発生要因",
        "root": "根本原因",
        "resolution": "対応",
        "lessons": "教訓",
        "actions": "その後チームが行ったこと",
        "timings": "実際の時間",
        "detect": "{minutes}分後に検出",
        "mitigate": "{minutes}分後に緩和",
        "resolve": "{minutes}分後に解消",
        "next": "Enter: ステップ {number} / {total} を明かす · q: 終了",
        "reveal": "Enter: 封印されたセクションを開く · q: 終了",
        "stopped": "終了した。封印されたセクションは閉じたまま。",
        "none": "(記載なし)",
    },
}


def _label(drill: Drill, key: str, **values: object) -> str:
    return _LABELS[drill.language][key].format(**values)


def _entries(entries: tuple[Entry, ...]) -> list[str]:
    return [f"- **{visible(entry.time)}** {visible(entry.text)}" for entry in entries]


def head(drill: Drill) -> str:
    """Title, roles, how to play and the first page: what everyone may see."""
    incident = _label(drill, "incident", incident=inline(drill.incident)) if drill.incident else ""
    lines = [
        f"# {_label(drill, 'title')}: {inline(drill.title)}",
        "",
        _label(
            drill,
            "from",
            id=code_span(visible(drill.postmortem_id)),
            incident=incident,
            severity=inline(drill.severity),
            services=_label(drill, "services", services=inline(", ".join(drill.services)))
            if drill.services
            else "",  # ("SEV3, -." without any)
        ),
        "",
        f"## {_label(drill, 'roles')}",
        "",
        *(f"- **{role}**: {description}" for role, description in drill.roles),
        "",
        f"## {_label(drill, 'how')}",
        "",
        _label(drill, "how_text"),
        "",
        f"## {_label(drill, 'page')}",
        "",
    ]
    if drill.first_page is not None:
        lines.append(f"> **{visible(drill.first_page.time)}** {visible(drill.first_page.text)}")
    else:
        lines += [
            _label(drill, "no_page"),
            "",
            *(
                (f"> {visible(line)}" for line in drill.detection.split("\n"))
                if drill.detection.strip()
                else [f"> {_label(drill, 'none')}"]
            ),
        ]
    return "\n".join(lines) + "\n"


def step(drill: Drill, number: int, found: Step) -> str:
    lines = [
        f"## {_label(drill, 'step', number=number, total=len(drill.steps))}",
        "",
        *_entries(found.entries),
        "",
        f"**{_label(drill, 'ask')}:**",
        "",
        *(f"- {prompt}" for prompt in found.prompts),
    ]
    return "\n".join(lines) + "\n"


def sealed(drill: Drill) -> str:
    secret = drill.sealed
    none = _label(drill, "none")
    lines = [f"## {_label(drill, 'sealed')}", ""]
    for key, text in (
        ("before", "\n".join(_entries(secret.before_page))),
        ("trigger", visible_lines(secret.trigger)),
        ("root", visible_lines(secret.root_causes)),
        ("resolution", visible_lines(secret.resolution)),
        ("lessons", visible_lines(secret.lessons)),
        ("actions", "\n".join(f"- {inline(item)}" for item in secret.action_items)),
        (
            "timings",
            "\n".join(
                f"- {_label(drill, key, minutes=minutes)}" for key, minutes in secret.timings
            ),
        ),
    ):
        lines += [f"### {_label(drill, key)}", "", text or none, ""]
    return "\n".join(lines)


def to_markdown(drill: Drill) -> str:
    """The whole drill for print: the sealed section last, after a rule."""
    parts = [head(drill)]
    parts += [step(drill, number, found) for number, found in enumerate(drill.steps, start=1)]
    parts.append("---\n\n" + sealed(drill))
    return "\n".join(parts)


def play(drill: Drill, lines: Iterator[str], write: Callable[[str], None]) -> bool:
    """Reveal the drill one step at a time, each after a line from `lines` (a line
    starting with `q`, or the end of `lines`, stops). True if it was played to the end."""
    write(head(drill))
    total = len(drill.steps)
    for number, found in enumerate(drill.steps, start=1):
        if not _go_on(lines, write, _label(drill, "next", number=number, total=total)):
            write(_label(drill, "stopped") + "\n")
            return False
        write("\n" + step(drill, number, found))
    if not _go_on(lines, write, _label(drill, "reveal")):
        write(_label(drill, "stopped") + "\n")
        return False
    write("\n" + sealed(drill))
    return True


def _go_on(lines: Iterator[str], write: Callable[[str], None], question: str) -> bool:
    write(f"\n[{question}] ")
    answer = next(lines, None)
    return answer is not None and not answer.strip().lower().startswith("q")
