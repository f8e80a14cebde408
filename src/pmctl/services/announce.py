"""Telling the configured channels about a committed change (a transition, a review)."""

from __future__ import annotations

from pmctl.domain.events import Event
from pmctl.domain.project import Project
from pmctl.errors import PmctlError


def announce(project: Project, event: Event) -> tuple[str, ...]:
    """Send `event` to the configured channels; warnings for those that failed."""
    notify_settings = project.settings.notify
    if not notify_settings.configured:
        return ()
    from dataclasses import replace

    from pmctl.adapters.git import Repository
    from pmctl.services.notify import notify

    actor = event.actor
    if not actor:
        try:
            actor = Repository.open(project.root).identity()[0]
        except PmctlError:
            actor = ""
    return tuple(notify(notify_settings, replace(event, actor=actor), root=project.root))
