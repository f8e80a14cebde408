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
        None,
        "--out",
        "-o",
        metavar="FILE",
        help="Write to FILE instead of standard output (`-`: standard output).",
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
    import sys
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.services.export import check_out, export, save
    from pmctl.services.project import open_project
    from pmctl.services.stats import history_is_shallow
    from pmctl.ui import console, export_output

    project = open_project(Path.cwd())
    out = None if out == "-" else out
    if out is not None:
        check_out(project, Path(out))
    result = export(project, table, now=clock.now())
    lines = (
        export_output.csv_lines(result.columns, result.records)
        if output_format is ExportFormat.CSV
        else export_output.jsonl_lines(result.records)
    )
    if out is None:
        sys.stdout.writelines(lines)
        sys.stdout.flush()
    else:
        save(Path(out), lines)
    # The files left out are known once every record is made: warned about after the output.
    console.warn_invalid(result.invalid)
    if table is ExportTable.POSTMORTEMS:
        console.warn_shallow(history_is_shallow(project))
    if out is not None:
        console.note(f"wrote {result.count} records to {out}")
