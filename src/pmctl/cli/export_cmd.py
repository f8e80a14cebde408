"""`pmctl export`."""

from __future__ import annotations

import typer

from pmctl.cli.command import command_module
from pmctl.domain.enums import ExportTable
from pmctl.ui.formats import ExportFormat

cli = command_module()


@cli.command("export")
def export_command(
    output_format: ExportFormat = typer.Option(
        ExportFormat.JSONL, "--format", "-f", help="jsonl (JSON Lines) or csv."
    ),
    table: ExportTable = typer.Option(
        ExportTable.POSTMORTEMS,
        "--table",
        "-t",
        help="postmortems (one record each) or action-items (one per item).",
    ),
    out: str | None = typer.Option(
        None, "--out", "-o", metavar="FILE", help="Write to FILE instead of standard output."
    ),
) -> None:
    """Every postmortem's metadata as flat records, for pandas, DuckDB or a spreadsheet.

    Durations are numbers of seconds, with the time in each status from the transition
    commits in `git log`. The columns are documented and versioned (`export_version`).
    Examples:

        pmctl export --format csv --out postmortems.csv

        pmctl export --table action-items --format jsonl > action-items.jsonl

        duckdb -c "SELECT severity, median(time_to_resolve_seconds) FROM 'postmortems.csv' GROUP BY 1"
    """
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.services.export import export, save
    from pmctl.services.project import open_project
    from pmctl.ui import console, export_output

    result = export(open_project(Path.cwd()), table, now=clock.now())
    for invalid in result.invalid:
        console.warn(f"{invalid.location}: skipped, not a valid postmortem: {invalid.message}")
    text = (
        export_output.to_csv(result.columns, result.records)
        if output_format is ExportFormat.CSV
        else export_output.to_jsonl(result.records)
    )
    if out is None:
        typer.echo(text, nl=False)
    else:
        save(Path(out), text)
        console.note(f"wrote {len(result.records)} records to {out}")
