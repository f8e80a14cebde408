"""The committed JSON Schema is generated from the models and usable by other validators."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pmctl.adapters import documents
from pmctl.domain.model import Language
from pmctl.domain.project import Project
from pmctl.services.new import NewPostmortem, create
from pmctl.services.schema import postmortem_schema_text

SCHEMA_FILE = Path(__file__).parent.parent / "schemas" / "postmortem.schema.json"


def as_json(value: Any) -> Any:
    """YAML data as a third-party validator sees it: dates and times as ISO strings."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_committed_schema_is_up_to_date() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == postmortem_schema_text(), (
        "schemas/postmortem.schema.json is stale: run `pmctl schema > schemas/postmortem.schema.json`"
    )


def test_a_new_postmortem_is_valid_for_a_third_party_validator(
    repo: Project, validator: jsonschema.Draft202012Validator
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
        assert list(validator.iter_errors(as_json(data))) == []


def test_the_schema_rejects_what_the_model_rejects(
    validator: jsonschema.Draft202012Validator,
) -> None:
    bad = {
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
    messages = [error.message for error in validator.iter_errors(bad)]
    assert any("finished" in message for message in messages)
    assert any("colour" in message for message in messages)
    assert any("blame" in message for message in messages)


def test_examples_are_valid_under_the_schema(validator: jsonschema.Draft202012Validator) -> None:
    examples = sorted((Path(__file__).parent.parent / "examples").rglob("*.md"))
    for path in examples:
        if path.parent.name.isdigit():
            assert list(validator.iter_errors(as_json(documents.read(path).data))) == [], path
