"""The JSON Schemas of the front matter, one per schema version, generated from the models.

The model reads every version; a version's schema is the model's, narrowed to it: `schema`
is that version's number, and a field a later version added is not there.
"""

from __future__ import annotations

import json
from typing import Any

from pmctl.domain.model import SCHEMA_VERSION, SCHEMA_VERSIONS, V2_FIELDS
from pmctl.errors import UsageError

_ADDED_IN: dict[int, tuple[str, ...]] = {2: V2_FIELDS}
"""Version -> the fields it added."""


def schema_id(version: int) -> str:
    return f"https://pmctl.dev/schemas/{schema_file(version)}"


def schema_file(version: int) -> str:
    """The file name of a version's schema in `schemas/`."""
    return f"postmortem.v{version}.schema.json"


def postmortem_schema(version: int = SCHEMA_VERSION) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a postmortem's front matter of schema `version`, in
    validation mode; `UsageError` for a version pmctl does not know."""
    from pmctl.domain.model import Postmortem

    if version not in SCHEMA_VERSIONS:
        raise UsageError(
            f"unknown schema version {version}",
            hint=f"the versions are: {', '.join(map(str, SCHEMA_VERSIONS))}",
        )
    schema = Postmortem.model_json_schema(by_alias=True, mode="validation")
    properties = schema["properties"]
    properties["schema"] = {**properties["schema"], "const": version}
    properties["schema"].pop("enum", None)
    properties["schema"].pop("type", None)
    properties["schema"]["type"] = "integer"
    later = [name for added, names in _ADDED_IN.items() if added > version for name in names]
    for name in later:
        properties.pop(name)
    definitions = schema.get("$defs", {})
    # Definitions only the removed fields used (Origin, Durations) go with them.
    for name in set(definitions) - _reachable(properties, definitions):
        definitions.pop(name)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id(version),
        **schema,
    }


def postmortem_schema_text(version: int = SCHEMA_VERSION) -> str:
    """The schema as written to `schemas/postmortem.vN.schema.json` (stable, ends in a
    newline)."""
    return json.dumps(postmortem_schema(version), indent=2, ensure_ascii=False) + "\n"


def _reachable(root: object, definitions: dict[str, Any]) -> set[str]:
    """Names of the definitions `root` refers to, directly or through other definitions."""
    found: set[str] = set()
    pending = [root]
    while pending:
        text = json.dumps(pending.pop())
        for name, definition in definitions.items():
            if name not in found and f'"#/$defs/{name}"' in text:
                found.add(name)
                pending.append(definition)
    return found
