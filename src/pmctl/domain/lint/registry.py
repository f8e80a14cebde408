"""Every lint rule: id, kebab-case name, default severity and a one-line summary.

Each rule is a module-level object named after it (`SECTION_MISSING`), and code refers to
rules by these objects; the id string (`PM101`) is what findings, configuration and users
carry. The output formats (SARIF rule metadata) and the docs read `RULES`. Ids are grouped: PM0xx reading and schema, PM1xx sections,
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


FILE_TOO_LARGE = Rule(
    "PM001", "file-too-large", E, "The file is larger than a postmortem can be (1 MB)."
)
FILE_UNREADABLE = Rule("PM002", "file-unreadable", E, "The file cannot be read.")
NOT_UTF8 = Rule("PM003", "not-utf8", E, "The file is not UTF-8 text (invalid bytes or NUL bytes).")
UTF8_BOM = Rule("PM004", "utf8-bom", W, "The file starts with a UTF-8 byte-order mark.")
EMPTY_FILE = Rule("PM005", "empty-file", E, "The file is empty.")
NO_FRONT_MATTER = Rule(
    "PM006", "no-front-matter", E, "The file does not start with YAML front matter."
)
FRONT_MATTER_UNCLOSED = Rule(
    "PM007", "front-matter-unclosed", E, "The front matter has no closing `---` line."
)
YAML_SYNTAX = Rule("PM008", "yaml-syntax", E, "The front matter is not valid YAML.")
YAML_DUPLICATE_KEY = Rule(
    "PM009", "yaml-duplicate-key", E, "A key appears twice in the same mapping."
)
YAML_TAG = Rule(
    "PM010", "yaml-tag", E, "The front matter uses a YAML tag such as `!!python/object`."
)
YAML_ALIAS_BOMB = Rule("PM011", "yaml-alias-bomb", E, "YAML aliases expand beyond the safe limit.")
FRONT_MATTER_NOT_MAPPING = Rule(
    "PM012", "front-matter-not-mapping", E, "The front matter is a list or a scalar."
)
NOT_LINTED_FILE = Rule(
    "PM013",
    "not-linted-file",
    W,
    "A file in the postmortem directory that is neither a postmortem (`.md`) nor an "
    "attachment, so lint does not read it.",
)
YAML_ENGINE_CRASH = Rule(
    "PM014", "yaml-engine-crash", E, "The YAML engine crashed on the front matter."
)
LINK_OUTSIDE = Rule(
    "PM015",
    "link-outside",
    E,
    "A postmortem file, or a directory of them, that is a symbolic link leading out of the "
    "postmortem directory, so no command reads it.",
)
MERGE_CONFLICT = Rule(
    "PM016",
    "merge-conflict",
    E,
    "A merge conflict that git left in the file (`<<<<<<<` ... `>>>>>>>` lines) is not resolved.",
)
SCHEMA_INVALID = Rule(
    "PM020", "schema-invalid", E, "A front-matter value does not match the schema."
)
SCHEMA_UNKNOWN_KEY = Rule(
    "PM021", "schema-unknown-key", E, "The front matter has a key the schema does not know."
)
SCHEMA_MISSING_KEY = Rule(
    "PM022", "schema-missing-key", E, "A required front-matter key is missing."
)
DATE_NONEXISTENT = Rule(
    "PM023", "date-nonexistent", E, "A date that does not exist, such as 2026-02-30."
)
SEVERITY_UNKNOWN = Rule(
    "PM024", "severity-unknown", E, "The severity is not one of the configured severities."
)
SCHEMA_OUTDATED = Rule(
    "PM025", "schema-outdated", W, "The front matter is of an older schema version."
)
SECTION_MISSING = Rule(
    "PM101", "section-missing", E, "A section required at this status is missing."
)
SECTION_UNFILLED = Rule(
    "PM102",
    "section-unfilled",
    E,
    "A required section holds only template guidance (in-review on).",
)
GUIDE_LEFT_OVER = Rule("PM103", "guide-left-over", W, "Template guidance left in a filled section.")
ACTION_TABLE_DRIFT = Rule(
    "PM104", "action-table-drift", W, "The action-item table differs from the front matter."
)
TRIGGER_REPEATS_ROOT_CAUSE = Rule(
    "PM105",
    "trigger-repeats-root-cause",
    W,
    "The trigger says word for word what the root causes say (from in-review on).",
)
ACTION_OWNER_MISSING = Rule(
    "PM201", "action-owner-missing", E, "An action item has no owner (from in-review on)."
)
ACTION_TYPE_MISSING = Rule(
    "PM202", "action-type-missing", E, "An action item has no type (from in-review on)."
)
ACTION_PRIORITY_MISSING = Rule(
    "PM203", "action-priority-missing", E, "An action item has no priority (from in-review)."
)
ACTION_VAGUE = Rule("PM204", "action-vague", W, "An action item is too vague to be finished.")
ACTION_UNTRACKED = Rule(
    "PM205", "action-untracked", W, "An open P0/P1 item has neither a tracker nor a due date."
)
ACTION_OVERDUE = Rule(
    "PM206",
    "action-overdue",
    W,
    "An open action item is past its due date.",
    depends_on_date=True,
)
ACTION_DUPLICATE_ID = Rule("PM207", "action-duplicate-id", E, "Two action items share an id.")
TIMESTAMPS_ORDER = Rule(
    "PM301", "timestamps-order", E, "started <= detected <= mitigated <= resolved is broken."
)
TIMELINE_ORDER = Rule(
    "PM302", "timeline-order", W, "The body timeline is not in chronological order."
)
INCIDENT_IN_FUTURE = Rule(
    "PM303",
    "incident-in-future",
    W,
    "The incident's date is more than a day after today.",
    depends_on_date=True,
)
COUNTERFACTUAL = Rule(
    "PM401", "counterfactual", W, "Counterfactual, hindsight language ('should have')."
)
BLAME_LANGUAGE = Rule(
    "PM402", "blame-language", W, "Words that blame people ('careless', '不注意')."
)
HUMAN_ERROR_ROOT_CAUSE = Rule(
    "PM403", "human-error-root-cause", W, "The root cause names human error."
)
REVIEW_OVERDUE = Rule(
    "PM501",
    "review-overdue",
    E,
    "The postmortem is past its review deadline.",
    depends_on_date=True,
)
APPROVAL_MISSING = Rule(
    "PM502", "approval-missing", E, "Reviewed or closed without enough non-author approvals."
)
CLOSED_OPEN_ACTIONS = Rule(
    "PM503", "closed-open-actions", E, "Closed with open action items that are not tracked."
)
NOT_SHARED = Rule("PM504", "not-shared", W, "Reviewed or closed but `shared_with` is empty.")
CRITERIA_INCONSISTENT = Rule(
    "PM601", "criteria-inconsistent", E, "The criteria disagree with the impact data."
)
CRITERIA_UNKNOWN = Rule(
    "PM602", "criteria-unknown", E, "A criterion id is not one of the configured criteria."
)
CRITERIA_EMPTY = Rule("PM603", "criteria-empty", W, "No required-postmortem criterion is recorded.")
CRITERION_BELOW_THRESHOLD = Rule(
    "PM604",
    "criterion-below-threshold",
    W,
    "The downtime criterion is listed but the user-visible minutes are below its threshold.",
)
DUPLICATE_ID = Rule("PM701", "duplicate-id", E, "Two postmortems have the same id.")
FILENAME_ID_MISMATCH = Rule("PM702", "filename-id-mismatch", E, "The file name is not `<id>.md`.")
RELATED_MISSING = Rule(
    "PM703", "related-missing", E, "`related` names a postmortem that does not exist."
)
RELATED_SUGGESTED = Rule(
    "PM704",
    "related-suggested",
    W,
    "A draft or in-review postmortem does not link a very similar one in `related`.",
    enabled=False,
)

RULES: tuple[Rule, ...] = (
    FILE_TOO_LARGE,
    FILE_UNREADABLE,
    NOT_UTF8,
    UTF8_BOM,
    EMPTY_FILE,
    NO_FRONT_MATTER,
    FRONT_MATTER_UNCLOSED,
    YAML_SYNTAX,
    YAML_DUPLICATE_KEY,
    YAML_TAG,
    YAML_ALIAS_BOMB,
    FRONT_MATTER_NOT_MAPPING,
    NOT_LINTED_FILE,
    YAML_ENGINE_CRASH,
    LINK_OUTSIDE,
    MERGE_CONFLICT,
    SCHEMA_INVALID,
    SCHEMA_UNKNOWN_KEY,
    SCHEMA_MISSING_KEY,
    DATE_NONEXISTENT,
    SEVERITY_UNKNOWN,
    SCHEMA_OUTDATED,
    SECTION_MISSING,
    SECTION_UNFILLED,
    GUIDE_LEFT_OVER,
    ACTION_TABLE_DRIFT,
    TRIGGER_REPEATS_ROOT_CAUSE,
    ACTION_OWNER_MISSING,
    ACTION_TYPE_MISSING,
    ACTION_PRIORITY_MISSING,
    ACTION_VAGUE,
    ACTION_UNTRACKED,
    ACTION_OVERDUE,
    ACTION_DUPLICATE_ID,
    TIMESTAMPS_ORDER,
    TIMELINE_ORDER,
    INCIDENT_IN_FUTURE,
    COUNTERFACTUAL,
    BLAME_LANGUAGE,
    HUMAN_ERROR_ROOT_CAUSE,
    REVIEW_OVERDUE,
    APPROVAL_MISSING,
    CLOSED_OPEN_ACTIONS,
    NOT_SHARED,
    CRITERIA_INCONSISTENT,
    CRITERIA_UNKNOWN,
    CRITERIA_EMPTY,
    CRITERION_BELOW_THRESHOLD,
    DUPLICATE_ID,
    FILENAME_ID_MISMATCH,
    RELATED_MISSING,
    RELATED_SUGGESTED,
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}


def resolve(key: str) -> Rule | None:
    """The rule named by an id (`PM101`, any case) or a name (`section-missing`)."""
    return RULES_BY_ID.get(key.upper()) or RULES_BY_NAME.get(key.lower())
