"""Every lint rule: id, kebab-case name, default severity and a one-line summary.

Rules are looked up here by the rule modules (to build findings) and by the output formats
(SARIF rule metadata, docs). Ids are grouped: PM0xx reading and schema, PM1xx sections,
PM2xx action items, PM3xx timestamps, PM4xx blameless language, PM5xx review process,
PM6xx required-postmortem criteria, PM7xx repository-wide.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass

from pmctl.domain.lint.findings import Severity

E = Severity.ERROR
W = Severity.WARNING


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    _: KW_ONLY
    enabled: bool = True
    """False: off until `[lint.rules]` gives it a level (its `severity` is then the usual one)."""
    depends_on_date: bool = False
    """Its findings come from the passing of time (a deadline), not from what the document
    says: they fail CI and reports, never a change or a commit."""

    @property
    def group(self) -> str:
        """The family its id's hundreds digit names (`PM3xx`: timestamps and timeline)."""
        return GROUPS[self.id[2]]


GROUPS = {
    "0": "reading and schema",
    "1": "sections",
    "2": "action items",
    "3": "timestamps and timeline",
    "4": "blameless language",
    "5": "review process",
    "6": "required-postmortem criteria",
    "7": "repository-wide",
}


RULES: tuple[Rule, ...] = (
    Rule("PM001", "file-too-large", E, "The file is larger than a postmortem can be (1 MB)."),
    Rule("PM002", "file-unreadable", E, "The file cannot be read."),
    Rule("PM003", "not-utf8", E, "The file is not UTF-8 text (invalid bytes or NUL bytes)."),
    Rule("PM004", "utf8-bom", W, "The file starts with a UTF-8 byte-order mark."),
    Rule("PM005", "empty-file", E, "The file is empty."),
    Rule("PM006", "no-front-matter", E, "The file does not start with YAML front matter."),
    Rule("PM007", "front-matter-unclosed", E, "The front matter has no closing `---` line."),
    Rule("PM008", "yaml-syntax", E, "The front matter is not valid YAML."),
    Rule("PM009", "yaml-duplicate-key", E, "A key appears twice in the same mapping."),
    Rule("PM010", "yaml-tag", E, "The front matter uses a YAML tag such as `!!python/object`."),
    Rule("PM011", "yaml-alias-bomb", E, "YAML aliases expand beyond the safe limit."),
    Rule("PM012", "front-matter-not-mapping", E, "The front matter is a list or a scalar."),
    Rule(
        "PM013",
        "not-linted-file",
        W,
        "A file in the postmortem directory that is neither a postmortem (`.md`) nor an "
        "attachment, so lint does not read it.",
    ),
    Rule("PM014", "yaml-engine-crash", E, "The YAML engine crashed on the front matter."),
    Rule("PM020", "schema-invalid", E, "A front-matter value does not match the schema."),
    Rule("PM021", "schema-unknown-key", E, "The front matter has a key the schema does not know."),
    Rule("PM022", "schema-missing-key", E, "A required front-matter key is missing."),
    Rule("PM023", "date-nonexistent", E, "A date that does not exist, such as 2026-02-30."),
    Rule("PM024", "severity-unknown", E, "The severity is not one of the configured severities."),
    Rule("PM025", "schema-outdated", W, "The front matter is of an older schema version."),
    Rule("PM101", "section-missing", E, "A section required at this status is missing."),
    Rule(
        "PM102",
        "section-unfilled",
        E,
        "A required section holds only template guidance (in-review on).",
    ),
    Rule("PM103", "guide-left-over", W, "Template guidance left in a filled section."),
    Rule("PM104", "action-table-drift", W, "The action-item table differs from the front matter."),
    Rule("PM201", "action-owner-missing", E, "An action item has no owner (from in-review on)."),
    Rule("PM202", "action-type-missing", E, "An action item has no type (from in-review on)."),
    Rule("PM203", "action-priority-missing", E, "An action item has no priority (from in-review)."),
    Rule("PM204", "action-vague", W, "An action item is too vague to be finished."),
    Rule(
        "PM205", "action-untracked", W, "An open P0/P1 item has neither a tracker nor a due date."
    ),
    Rule(
        "PM206",
        "action-overdue",
        W,
        "An open action item is past its due date.",
        depends_on_date=True,
    ),
    Rule("PM207", "action-duplicate-id", E, "Two action items share an id."),
    Rule("PM301", "timestamps-order", E, "started <= detected <= mitigated <= resolved is broken."),
    Rule("PM302", "timeline-order", W, "The body timeline is not in chronological order."),
    Rule(
        "PM303",
        "incident-in-future",
        W,
        "The incident's date is after today.",
        depends_on_date=True,
    ),
    Rule("PM401", "counterfactual", W, "Counterfactual, hindsight language ('should have')."),
    Rule("PM402", "blame-language", W, "Words that blame people ('careless', '不注意')."),
    Rule("PM403", "human-error-root-cause", W, "The root cause names human error."),
    Rule(
        "PM501",
        "review-overdue",
        E,
        "The postmortem is past its review deadline.",
        depends_on_date=True,
    ),
    Rule("PM502", "approval-missing", E, "Reviewed or closed without enough non-author approvals."),
    Rule("PM503", "closed-open-actions", E, "Closed with open action items that are not tracked."),
    Rule("PM504", "not-shared", W, "Reviewed or closed but `shared_with` is empty."),
    Rule("PM601", "criteria-inconsistent", E, "The criteria disagree with the impact data."),
    Rule("PM602", "criteria-unknown", E, "A criterion id is not one of the configured criteria."),
    Rule("PM603", "criteria-empty", W, "No required-postmortem criterion is recorded."),
    Rule(
        "PM604",
        "criterion-below-threshold",
        W,
        "The downtime criterion is listed but the user-visible minutes are below its threshold.",
    ),
    Rule("PM701", "duplicate-id", E, "Two postmortems have the same id."),
    Rule("PM702", "filename-id-mismatch", E, "The file name is not `<id>.md`."),
    Rule("PM703", "related-missing", E, "`related` names a postmortem that does not exist."),
    Rule(
        "PM704",
        "related-suggested",
        W,
        "A draft or in-review postmortem does not link a very similar one in `related`.",
        enabled=False,
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}


def resolve(key: str) -> Rule | None:
    """The rule named by an id (`PM101`, any case) or a name (`section-missing`)."""
    return RULES_BY_ID.get(key.upper()) or RULES_BY_NAME.get(key.lower())
