"""Postmortem texts for the lint tests: one complete document, and ways to break it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pmctl.adapters import documents
from pmctl.domain.config import Settings
from pmctl.domain.lint import Finding, check_document
from pmctl.domain.model import Status

TODAY = dt.date(2026, 11, 23)

FRONT = """\
schema: 2
id: 2026-11-20-checkout-latency
title: Checkout latency
status: in-review
severity: SEV2
language: en
owner: alice
authors: [alice, bob]
created: 2026-11-20
timestamps:
  started: 2026-11-20T10:00:00Z
  detected: 2026-11-20T10:05:00Z
  mitigated: 2026-11-20T10:40:00Z
  resolved: 2026-11-20T11:00:00Z
impact:
  user_visible_minutes: 60
  data_loss: false
criteria: [user-visible-downtime]
services: [checkout]
related: []
action_items:
  - id: AI-1
    title: Add an alert on connection pool saturation
    type: prevent
    owner: bob
    priority: P1
    status: todo
    tracker: OPS-1
reviews: []
shared_with: []
"""

BODY = """\
# Checkout latency

## Summary

Checkout was slow for an hour after a configuration push.

## Impact

One in ten checkouts timed out for 60 minutes.

## Root Causes

The connection pool limit was lower than the new peak traffic needed.

## Trigger

A configuration push lowered the pool size.

## Resolution

The configuration was rolled back.

## Detection

The latency SLO alert paged the on-call engineer.

## Response analysis

Detection took five minutes; the rollback took thirty.

## Lessons Learned

### What went well

- The alert fired quickly.

### What went wrong

- The pool size had no validation.

### Where we got lucky

- Traffic was low that morning.

## Timeline

2026-11-20 (all times UTC)

- 10:00 Configuration push.
- 10:05 Latency alert pages the on-call.
- 10:40 Rollback done.
- 11:00 Latency normal.

## Action Items

<!-- pmctl:action-items:start -->
| ID | Action item | Type | Owner | Priority | Due | Tracker | Status |
|---|---|---|---|---|---|---|---|
| AI-1 | Add an alert on connection pool saturation | prevent | bob | P1 |  | OPS-1 | todo |
<!-- pmctl:action-items:end -->

## Supporting information

- Dashboard: https://dashboards.example.com/checkout
"""

GOOD = f"---\n{FRONT}---\n\n{BODY}"
PATH = Path("postmortems/2026/2026-11-20-checkout-latency.md")


def findings(
    text: str,
    *,
    settings: Settings | None = None,
    today: dt.date = TODAY,
    as_status: Status | None = None,
    raw: bytes | None = None,
) -> list[Finding]:
    document = documents.parse_bytes(PATH, raw if raw is not None else text.encode("utf-8"))
    return check_document(document, settings or Settings(), today=today, as_status=as_status)


def rules(text: str, **options: object) -> list[str]:
    return [finding.rule for finding in findings(text, **options)]  # type: ignore[arg-type]


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    return next(n for n, line in enumerate(text.split("\n"), start=1) if needle in line)
