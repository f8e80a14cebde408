"""Shell completion of values the framework cannot know: postmortem ids."""

from __future__ import annotations


def postmortem_ids(incomplete: str) -> list[str]:
    """The ids of the project's postmortems that start with `incomplete` (none outside a
    project: completion never fails)."""
    from pathlib import Path

    from pmctl.errors import PmctlError
    from pmctl.services.listing import postmortem_ids as ids

    try:
        from pmctl.services.project import open_project

        return [found for found in ids(open_project(Path.cwd())) if found.startswith(incomplete)]
    except PmctlError:
        return []
