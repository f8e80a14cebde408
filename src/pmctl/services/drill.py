"""`pmctl drill ID`: a Wheel of Misfortune exercise from a past postmortem."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmctl.adapters import discovery, documents
from pmctl.domain.learning.drill import Drill, build

if TYPE_CHECKING:
    from pmctl.domain.model import Language
    from pmctl.domain.project import Project


def drill(project: Project, postmortem_id: str, *, language: Language | None = None) -> Drill:
    """The drill of the postmortem `postmortem_id` (read with the one reader); in
    `language`, else in the postmortem's own. `NotFoundError`, `DocumentError` as `load`."""
    from pmctl.domain.lint.body import parse_body
    from pmctl.domain.sections import section_names

    path = discovery.find_by_id(project.postmortem_dir, postmortem_id)
    document, postmortem = documents.load(path)
    names = section_names(project.settings.lint.section_aliases)
    return build(
        postmortem, parse_body(document.body, document.body_line, names), language=language
    )
