"""Sending one message to a chat service, or anything else apprise reaches by a URL.

apprise (the `pmctl[notify]` extra) knows 100+ services by their URL: `slack://`,
`msteams://`, `gchat://`, `mmost://`, `discord://`, `json://`, ... This module is its one
home; it is imported only when a `[notify.apprise]` channel sends a message, so that
`pmctl --help`, `pmctl lint` and a transition without such a channel never pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pmctl.adapters.delivery import DeliveryFailed, without_secrets

if TYPE_CHECKING:
    import apprise

INSTALL = "pip install 'pmctl[notify]'"


@dataclass(frozen=True, slots=True)
class Service:
    """A service that apprise understands, ready to be sent to from this process or a
    child forked from it (which inherits the loaded apprise and its plugins)."""

    client: apprise.Apprise
    url: str


def service(url: str) -> Service:
    """Import apprise and load the plugin for the apprise URL `url`, here and now.

    Loading apprise's plugins takes longer than a message takes to send, so it is done once,
    before the attempts. A permanent `DeliveryFailed` when apprise is not installed (saying
    what to install) or does not understand `url`.
    """
    try:
        import apprise
    except ImportError:
        raise DeliveryFailed(f"apprise is not installed; install it with {INSTALL}") from None
    client = apprise.Apprise(asset=apprise.AppriseAsset(storage_mode="memory"))
    if not client.add(url):
        raise DeliveryFailed(
            "apprise does not understand the URL (see the URL forms in docs/notifications.md)"
        )
    return Service(client=client, url=url)


def send(service: Service, *, title: str, body: str) -> None:
    """Send `title` and the plain text `body` to `service`.

    A transient `DeliveryFailed` when apprise reports a failure: apprise does not tell a
    failure that may clear up from one that will not. The reason is apprise's last warning,
    with every part of the URL that may be a secret (user, password, path, query, fragment)
    replaced by `***`. Nothing is written to disk: apprise's store is kept in memory.
    """
    import apprise

    result = service.client.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT)
    if not result:
        warnings = [entry.message for entry in result.logs()]
        reason = warnings[-1] if warnings else f"apprise reported {result.status.name}"
        raise DeliveryFailed(without_secrets(reason, service.url), transient=True)
