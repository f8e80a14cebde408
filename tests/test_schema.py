"""The committed JSON Schemas (one per version) are generated from the models and usable by
other validators; each accepts its own version and rejects the other's."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pmctl.adapters import documents
from pmctl.domain.model import SCHEMA_VERSIONS, Language
from pmctl.domain.project import Project
from pmctl.services.new import NewPostmortem, create
from pmctl.services.schema import postmortem_schema_text, schema_file

SCHEMAS = Path(__file__).parent.parent / "schemas"
EXAMPLES = Path(__file__).parent.parent / "examples"


def as_json(value: Any) -> Any:
    """YAML data as a third-party validator sees it: dates and times as ISO strings."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()))


def validator(version: int) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / schema_file(version)).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("version", SCHEMA_VERSIONS)
def test_committed_schema_is_up_to_date(version: int) -> None:
    name = schema_file(version)
    assert (SCHEMAS / name).read_text(encoding="utf-8") == postmortem_schema_text(version), (
        f"schemas/{name} is stale: run `pmctl schema --version {version} > schemas/{name}`"
    )


def test_only_the_versioned_schemas_are_committed() -> None:
    assert sorted(path.name for path in SCHEMAS.iterdir()) == [
        schema_file(version) for version in SCHEMA_VERSIONS
    ]


def test_a_new_postmortem_is_version_2_and_valid_for_a_third_party_validator(
    repo: Project,
) -> None:
    now = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    for language in Language:
        created = create(
            repo,
            NewPostmortem(
                title=f"Outage {language}",
                severity="SEV1",
                owner="a",
                language=language,
                started=now,
            ),
            now=now,
            commit=False,
        )
        data = documents.read(created.path).data
        assert data["schema"] == 2
        assert list(validator(2).iter_errors(as_json(data))) == []
        assert list(validator(1).iter_errors(as_json(data))) != []


BAD = {
    "schema": 1,
    "id": "2026-11-23-x",
    "title": "x",
    "severity": "SEV2",
    "owner": "a",
    "created": "2026-11-23",
    "status": "finished",
    "colour": "red",
    "action_items": [{"id": "AI-1", "title": "t", "type": "blame"}],
}


@pytest.mark.parametrize("version", SCHEMA_VERSIONS)
def test_the_schema_rejects_what_the_model_rejects(version: int) -> None:
    messages = [
        error.message for error in validator(version).iter_errors(BAD | {"schema": version})
    ]
    assert any("finished" in message for message in messages)
    assert any("colour" in message for message in messages)
    assert any("blame" in message for message in messages)


def test_origin_and_durations_are_version_2_only() -> None:
    imported = {
        "schema": 2,
        "id": "2023-02-14-db",
        "title": "db",
        "severity": "SEV2",
        "owner": "a",
        "created": "2023-02-14",
        "origin": {
            "source": "git@example.com:team/postmortems.git",
            "path": "2023/db.md",
            "commit": "0123abc",
            "imported": "2026-11-23",
            "status": "closed",
        },
        "durations": {"detect_minutes": 8, "resolve_minutes": 80},
    }
    assert list(validator(2).iter_errors(imported)) == []
    messages = [error.message for error in validator(1).iter_errors(imported | {"schema": 1})]
    assert any("origin" in message for message in messages)
    assert any("durations" in message for message in messages)


def test_examples_are_valid_under_the_current_schema() -> None:
    for path in sorted(EXAMPLES.rglob("*.md")):
        if path.parent.name.isdigit():
            data = documents.read(path).data
            assert list(validator(data["schema"]).iter_errors(as_json(data))) == [], path
