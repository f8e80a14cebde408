"""The body sections of a postmortem, with their English and Japanese headings.

Lint finds sections by these headings (plus aliases from config); templates write them.
`required_from` is the first status at which a section must be filled in.
"""

from __future__ import annotations

from dataclasses import dataclass

from pmctl.domain.model import Language, Status

GUIDE_OPEN = "<!-- pmctl:guide"
"""Template guidance is written as `<!-- pmctl:guide ... -->`: invisible when rendered, and
a section holding nothing else is recognised as still unfilled."""

ACTION_TABLE_START = "<!-- pmctl:action-items:start -->"
ACTION_TABLE_END = "<!-- pmctl:action-items:end -->"


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    level: int
    en: str
    ja: str
    required_from: Status | None

    def heading(self, language: Language) -> str:
        return self.ja if language is Language.JA else self.en


SECTIONS: tuple[Section, ...] = (
    Section("summary", 2, "Summary", "概要", Status.DRAFT),
    Section("impact", 2, "Impact", "影響", Status.IN_REVIEW),
    Section("root-causes", 2, "Root Causes", "根本原因", Status.IN_REVIEW),
    Section("trigger", 2, "Trigger", "発生要因", Status.IN_REVIEW),
    Section("resolution", 2, "Resolution", "対応", Status.IN_REVIEW),
    Section("detection", 2, "Detection", "検出", Status.IN_REVIEW),
    Section("response-analysis", 2, "Response analysis", "対応の分析", Status.IN_REVIEW),
    Section("lessons", 2, "Lessons Learned", "教訓", None),
    Section("went-well", 3, "What went well", "うまくいったこと", Status.IN_REVIEW),
    Section("went-wrong", 3, "What went wrong", "うまくいかなかったこと", Status.IN_REVIEW),
    Section("got-lucky", 3, "Where we got lucky", "幸運だったこと", Status.IN_REVIEW),
    Section("timeline", 2, "Timeline", "タイムライン", Status.IN_REVIEW),
    Section("action-items", 2, "Action Items", "アクションアイテム", None),
    Section("supporting-information", 2, "Supporting information", "参考情報", None),
)

SECTIONS_BY_KEY: dict[str, Section] = {section.key: section for section in SECTIONS}

ACTION_TYPE_LABELS: dict[Language, dict[str, str]] = {
    Language.EN: {
        "mitigate": "mitigate",
        "prevent": "prevent",
        "process": "process",
        "other": "other",
    },
    Language.JA: {"mitigate": "緩和", "prevent": "回避", "process": "プロセス", "other": "その他"},
}
