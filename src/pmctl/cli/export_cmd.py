"""`pmctl export`."""

from __future__ import annotations

import typer

from pmctl.cli.app import app


@app.command("export")
def export_command(
    output_format: str = typer.Option(
        "jsonl", "--format", "-f", metavar="FORMAT", help="jsonl (JSON Lines) or csv."
    ),
    table: str = typer.Option(
        "postmortems",
        "--table",
        "-t",
        metavar="TABLE",
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

    from pmctl.adapters.config_file import load_project
    from pmctl.cli import clock
    from pmctl.cli.report_cmd import parse_choice
    from pmctl.errors import UsageError
    from pmctl.services.export import Table, export, save
    from pmctl.ui import console, export_output

    if output_format not in ("jsonl", "csv"):
        raise UsageError(f"--format: unknown format {output_format!r}", hint="use jsonl or csv")
    result = export(
        load_project(Path.cwd()), parse_choice(table, Table, flag="--table"), now=clock.now()
    )
    for invalid in result.invalid:
        console.warn(f"{invalid.location}: skipped, not a valid postmortem: {invalid.message}")
    text = (
        export_output.to_csv(result.columns, result.records)
        if output_format == "csv"
        else export_output.to_jsonl(result.records)
    )
    if out is None:
        typer.echo(text, nl=False)
    else:
        save(Path(out), text)
        console.note(f"wrote {len(result.records)} records to {out}")
