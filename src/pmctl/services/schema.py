"""The JSON Schema of the front matter, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

SCHEMA_ID = "https://pmctl.dev/schemas/postmortem.schema.json"


def postmortem_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a postmortem's front matter, in validation mode."""
    from pmctl.domain.model import Postmortem

    schema = Postmortem.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def postmortem_schema_text() -> str:
    """The schema as written to `schemas/postmortem.schema.json` (stable, ends in a newline)."""
    return json.dumps(postmortem_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
