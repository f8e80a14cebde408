"""The one failure that notification channels report.

Deliberately not a `PmctlError`: a notification is sent after the change is committed, so
its failure never reaches the user as an error with an exit code, only as a warning.
"""

from __future__ import annotations


class DeliveryFailed(Exception):
    """A notification was not delivered; the message says why, without any secret in it."""
