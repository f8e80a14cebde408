"""`pmctl import` of files shaped the way real repositories shape them by accident: numbers
no parser will convert, line endings of other systems, other encodings, odd file names.
Each case was found by feeding such a file to a real import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pmctl.domain.importing import ImportResult
from pmctl.domain.project import Project
from pmctl.errors import ExitCode
from pmctl.services.importing import ImportRequest, import_postmortems
from tests.conftest import run_cli

TODAY = dt.date(2026, 11, 23)
BODY = "# Search outage\n\n## Summary\n\nSearch was down.\n\n## Timeline\n\n- 10:00 alert\n"
HUGE = "1" + "0" * 5000


def dry_run(project: Project, source: Path) -> ImportResult:
    request = ImportRequest(sources=(source,), owner="sre", severity="SEV3", dry_run=True)
    return import_postmortems(project, request, today=TODAY)


@pytest.mark.parametrize(
    ("front_matter", "line"),
    [
        (f'{{"title": "Search outage",\n\n"ticket": {HUGE}}}\n', 3),
        (f"---\ntitle: Search outage\n\nticket: {HUGE}\n---\n", 4),
        (f'+++\ntitle = "Search outage"\n\nticket = {HUGE}\n+++\n', 4),
    ],
    ids=["JSON", "YAML", "TOML"],
)
def test_a_number_too_long_to_convert_is_refused_at_its_line(
    repo: Project, tmp_path: Path, front_matter: str, line: int
) -> None:
    """Python converts no integer of more than 4,300 digits: in JSON front matter that was
    exit 70, in YAML and TOML a refusal at the wrong line naming
    `sys.set_int_max_str_digits()`."""
    source = tmp_path / "legacy"
    source.mkdir()
    (source / "2024-01-01-outage.md").write_text(front_matter + BODY, encoding="utf-8")
    result = run_cli(repo.root, "import", str(source), "--dry-run", "--severity", "SEV3")
    assert result.returncode == ExitCode.LINT_FAILED, result.stderr
    (refused,) = dry_run(repo, source).refused
    assert refused.source.endswith(f"2024-01-01-outage.md:{line}")
    assert refused.reason.endswith("a number of more than 4,300 digits (quote it)")
