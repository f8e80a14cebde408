"""`pmctl digest`."""

from __future__ import annotations

import typer

from pmctl.cli.command import command_module
from pmctl.domain.enums import DigestFormat

cli = command_module()


@cli.command("digest")
def digest_command(
    month: str | None = typer.Option(
        None, "--month", metavar="YYYY-MM", help="The month (default: the previous month)."
    ),
    feature: str | None = typer.Option(
        None, "--feature", metavar="ID", help="The postmortem of the month (default: suggested)."
    ),
    output_format: DigestFormat = typer.Option(
        DigestFormat.MARKDOWN, "--format", "-f", help="markdown, html or text."
    ),
    send: bool = typer.Option(
        False, "--send", help="Also send it to the configured e-mail and chat channels."
    ),
) -> None:
    """The monthly digest: new postmortems, the postmortem of the month, lessons, action
    items and the month's numbers, in the language of pmctl.toml.

    The postmortem of the month is suggested by a score whose reasons are shown (complete,
    reviewed, rich lessons, high impact) unless --feature names one. Examples:

        pmctl digest --month 2026-10 > digest.md

        pmctl digest --month 2026-10 --feature 2026-10-14-checkout-latency --send
    """
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.errors import NotSent
    from pmctl.services import digest
    from pmctl.services.project import open_project
    from pmctl.ui import console

    day = clock.today()
    project = open_project(Path.cwd())
    result = digest.build_digest(
        project,
        today=day,
        month=digest.parse_month(month) if month else digest.previous_month(day),
        feature=feature,
    )
    console.warn_invalid(result.invalid, outcome="left out")
    typer.echo(digest.render(result.digest, output_format), nl=False)
    if send:
        failed = digest.send(project, result.digest)
        for warning in failed:
            console.warn(warning)
        if failed:
            raise NotSent(
                f"the digest did not reach every channel ({len(failed)} failed, named above)",
                hint="fix what each warning names, then send again: "
                "channels that got it will get it twice",
            )
