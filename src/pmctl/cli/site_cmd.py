"""`pmctl site build|serve`."""

from __future__ import annotations

import shlex

import typer

from pmctl.cli.command import command_module

cli = command_module(
    "A static, searchable website of every postmortem, with charts; no server needed.",
    no_args_is_help=True,
)

_OUT = typer.Option(
    None,
    "--out",
    "-o",
    metavar="DIR",
    help="Where to write the site (default: _site at the top of the repository).",
)


@cli.command("build")
def build_command(out: str | None = _OUT) -> None:
    """Build the site into DIR; a rebuild rewrites only what changed.

    Open DIR/index.html in a browser, or publish DIR on any static host. Examples:

        pmctl site build

        pmctl site build --out public
    """
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.domain.wording import plural
    from pmctl.services import site
    from pmctl.services.project import open_project
    from pmctl.ui import console

    project = open_project(Path.cwd())
    result = site.build(
        project, out=Path(out) if out else site.default_out(project), today=clock.today()
    )
    console.warn_invalid(result.invalid, outcome="left out")
    console.success(
        f"built {result.out} ({plural(result.postmortems, 'postmortem')}, "
        f"{plural(result.rendered, 'page')} rendered, "
        f"{plural(len(result.written), 'file')} written, {len(result.removed)} removed)"
    )
    console.note(f"open {shlex.quote(str(result.out / 'index.html'))}")


@cli.command("serve")
def serve_command(
    out: str | None = _OUT,
    port: int = typer.Option(
        8000,
        "--port",
        "-p",
        min=0,
        max=65535,
        metavar="PORT",
        help="Port on 127.0.0.1 (0: any free port).",
    ),
) -> None:
    """Build the site, serve it on 127.0.0.1 and rebuild it when a postmortem changes.

    Stop with Ctrl-C. Example:

        pmctl site serve --port 8000
    """
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.domain.wording import plural
    from pmctl.errors import PmctlError
    from pmctl.services import site
    from pmctl.services.project import open_project
    from pmctl.services.site_serve import serve
    from pmctl.ui import console

    project = open_project(Path.cwd())

    def ready(url: str, result: site.BuildResult) -> None:
        console.success(
            f"serving {result.out} at {url} ({plural(result.postmortems, 'postmortem')})"
        )
        console.note("rebuilding on change; Ctrl-C stops")

    def rebuilt(result: site.BuildResult | PmctlError) -> None:
        if isinstance(result, PmctlError):
            console.print_error(result, cwd=Path.cwd())
        else:
            console.success(f"rebuilt: {plural(len(result.written), 'file')} written")

    serve(
        project,
        out=Path(out) if out else site.default_out(project),
        port=port,
        today=clock.today,
        ready=ready,
        rebuilt=rebuilt,
    )
