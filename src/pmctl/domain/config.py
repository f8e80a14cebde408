"""The settings of a postmortem repository (`pmctl.toml`), with their defaults.

A pure model: reading the file and reporting typos with positions is the config adapter's job.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

# From the plain enums, not `events` and `model`: settings alone (a search of an index that
# is up to date) then do not build the postmortem's pydantic models (~50 ms).
from pmctl.domain.enums import EventKind, Language
from pmctl.domain.sections import SECTIONS_BY_KEY, section_names
from pmctl.domain.visible_text import folded, visible

CONFIG_FILE = "pmctl.toml"

_DEADLINE = re.compile(r"^(?P<n>[0-9]+)(?P<unit>d|bd)$")


class RuleLevel(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


DEFAULT_CRITERIA: dict[str, str] = {
    "user-visible-downtime": "User-visible downtime or degradation beyond the threshold",
    "data-loss": "Data loss of any kind",
    "on-call-intervention": "On-call intervention (rollback, traffic rerouting, ...)",
    "time-to-resolve": "Resolution time above the threshold",
    "monitoring-failure": "Monitoring failure (the incident was found by hand)",
    "billing": "Money, payments or billing affected",
    "stakeholder-request": "A stakeholder asked for a postmortem",
}

DEFAULT_CRITERIA_JA: dict[str, str] = {
    "user-visible-downtime": "しきい値を超える、ユーザーから見えるダウンタイムや品質の低下",
    "data-loss": "種類を問わないデータの損失",
    "on-call-intervention": "オンコール担当者の介入(ロールバック、トラフィックの切り替えなど)",
    "time-to-resolve": "しきい値を超える解決までの時間",
    "monitoring-failure": "監視の不備(インシデントを人手で発見した)",
    "billing": "金銭、決済または請求への影響",
    "stakeholder-request": "関係者からポストモーテムを求められた",
}
"""The same criteria (the same ids) described in Japanese: what `pmctl init --language ja`
writes, as every new Japanese postmortem lists them above `criteria:`."""


def default_criteria(language: Language) -> dict[str, str]:
    """The default criteria described in `language`."""
    return dict(DEFAULT_CRITERIA_JA if language is Language.JA else DEFAULT_CRITERIA)


DEFAULT_DEADLINES: dict[str, str] = {"SEV1": "3d", "SEV2": "5bd", "SEV3": "10bd", "SEV4": "20bd"}
MAX_APPROVALS = 20
"""More approvals than this is a typo (`required_approvals = 200`), not a review board: no
postmortem could ever be reviewed."""


def _deadline(spec: str) -> str:
    """A review deadline, `"<n>d"` or `"<n>bd"`; the error said only that the value "should
    match pattern '^(?P<n>[0-9]+)(?P<unit>d|bd)$'"."""
    if not _DEADLINE.fullmatch(spec):
        msg = (
            f'{visible(spec)!r} is not a deadline: write "<n>d" for calendar days or '
            '"<n>bd" for business days, e.g. "3d" or "5bd"'
        )
        raise ValueError(msg)
    return spec


Deadline = Annotated[str, AfterValidator(_deadline)]


class _Section(BaseModel):
    """A table of `pmctl.toml`. An empty list default is `default=[]` (pydantic copies it for
    each model), not `default_factory=list`: pydantic reads a factory's signature, and
    reading `list`'s compiles Python's tokenizer patterns, ~3 ms of every command.

    Its numbers and booleans are `strict=True`: pydantic otherwise takes the string
    `required_approvals = "3"` as 3 and `= true` as 1, a wrong type that passed unseen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _known_section(key: str) -> str:
    if key not in SECTIONS_BY_KEY:
        msg = f"unknown section '{key}'; the sections are: {', '.join(SECTIONS_BY_KEY)}"
        raise ValueError(msg)
    return key


SectionKey = Annotated[str, AfterValidator(_known_section)]
"""A section's key (`root-causes`), checked on its own so that an error points at its line."""


def _known_rule(key: str) -> str:
    """A rule's id (`PM101`, any case) or name (`section-missing`); another was a level that
    silently changed nothing (`PM999`, `section-unfiled`), the rule staying as it was."""
    # (Imported only when `[lint.rules]` names a rule; nearly every command imports it anyway.)
    from pmctl.domain.lint.registry import RULES, resolve

    if resolve(key) is None:
        import difflib

        by_id = key[:2].upper() == "PM"
        known = [rule.id if by_id else rule.name for rule in RULES]
        close = difflib.get_close_matches(key.upper() if by_id else key.lower(), known, n=1)
        help_ = f"did you mean '{close[0]}'?" if close else "the rules are in docs/rules/"
        msg = f"unknown rule '{key}'; {help_}"
        raise ValueError(msg)
    return key


RuleKey = Annotated[str, AfterValidator(_known_rule)]
"""A lint rule's id or name, checked on its own so that an error points at its line."""


def _phrase(phrase: str) -> str:
    """A word or phrase of a lexicon: a blank one was found everywhere (`blameless_extra =
    [""]` made 4,000 warnings of two postmortems, `vague_extra = [""]` every action item
    vague)."""
    if not phrase.strip():
        msg = f"{phrase!r} is blank; a phrase needs a word, or remove it from the list"
        raise ValueError(msg)
    return phrase


Phrase = Annotated[str, AfterValidator(_phrase)]
"""A word or phrase of `[lint]`'s lexicons, checked on its own so that an error points at its line."""


class LintSettings(_Section):
    """`[lint]`: rule levels, the blameless-language lexicon, section-heading aliases and
    the downtime threshold of the required-postmortem criteria."""

    rules: dict[RuleKey, RuleLevel] = Field(
        default_factory=dict, description="Rule id (PM001..) or name -> error | warning | off."
    )
    blameless_extra: list[Phrase] = Field(
        default=[], description="More words or phrases to flag as blaming."
    )
    blameless_allow: list[Phrase] = Field(
        default=[], description="Words of the built-in lexicon not to flag."
    )
    vague_extra: list[Phrase] = Field(
        default=[], description="More phrases that make an action item vague."
    )
    section_aliases: dict[SectionKey, list[str]] = Field(
        default_factory=dict,
        description="Section key (root-causes, ...) -> more headings that open that section.",
    )
    downtime_minutes: int | None = Field(
        strict=True,
        default=None,
        ge=1,
        description="impact.user_visible_minutes from which `downtime_criterion` is required; "
        "unset: not checked.",
    )
    downtime_criterion: str = Field(
        default="user-visible-downtime",
        min_length=1,
        description="The criterion that `downtime_minutes` or more of user-visible impact meet.",
    )
    related_min_score: float = Field(
        strict=True,
        default=0.6,
        gt=0,
        le=1,
        description="How alike (0..1, as `pmctl related` scores) a postmortem must be for "
        "PM704 to suggest linking it.",
    )

    @field_validator("section_aliases")
    @classmethod
    def _aliases_name_known_sections(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        section_names(value)  # raises ValueError naming an empty alias or a clash
        return value


class SmtpTls(StrEnum):
    """How the SMTP connection is encrypted."""

    NONE = "none"
    STARTTLS = "starttls"  # plain connection upgraded before login (usually port 587)
    IMPLICIT = "implicit"  # SMTPS: TLS from the first byte (usually port 465)


def _smtp_tls(tls: SmtpTls | None, starttls: bool | None) -> SmtpTls:
    # `tls` wins; the older `starttls = true` means STARTTLS; neither means no TLS.
    if tls is not None:
        return tls
    return SmtpTls.STARTTLS if starttls else SmtpTls.NONE


_ENVIRONMENT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _environment_name(name: str) -> str:
    # The error never quotes the value: one that is no name is most likely the secret itself
    # (the URL or the password), and the warning "environment variable <it> is not set"
    # printed it after every transition.
    if not _ENVIRONMENT_NAME.fullmatch(name):
        msg = (
            "must be the name of an environment variable (letters, digits and _, such as "
            "PMCTL_WEBHOOK_URL), not the secret itself: put the secret in that variable"
        )
        raise ValueError(msg)
    return name


EnvironmentName = Annotated[str, AfterValidator(_environment_name)]
"""The name of an environment variable that holds a secret (`*_env` keys)."""


class EmailSettings(_Section):
    """`[notify.email]`: mail a message over SMTP on transitions and reviews.

    Credentials are never written in `pmctl.toml`: `username_env` and `password_env` name the
    environment variables that hold them, and both are set or neither (no login). Read the
    encryption from `security`, which folds the older `starttls` key into `tls`.
    """

    host: str = Field(default="localhost", min_length=1)
    port: int = Field(strict=True, default=25, ge=1, le=65535)
    # Declared before `tls` and `ca_file`, whose validators read it.
    starttls: bool | None = Field(
        strict=True,
        default=None,
        description="Older spelling of tls: true is tls = 'starttls', false is 'none'.",
    )
    tls: SmtpTls | None = Field(
        default=None,
        description="'none', 'starttls' (upgrade before login) or 'implicit' (SMTPS, port 465). "
        "Default: 'starttls' if starttls = true, else 'none'.",
    )
    ca_file: str | None = Field(
        default=None,
        min_length=1,
        description="PEM file of CA certificates to trust instead of the system's, "
        "relative to pmctl.toml.",
    )
    sender: str = Field(min_length=3, description="The From address.")
    to: list[Annotated[str, StringConstraints(min_length=3)]] = Field(
        min_length=1, description="Recipients."
    )
    username_env: EnvironmentName | None = Field(
        default=None, description="Name of the environment variable holding the SMTP user."
    )
    password_env: EnvironmentName | None = Field(
        default=None, description="Name of the environment variable holding the SMTP password."
    )

    @model_validator(mode="after")
    def _login_needs_both(self) -> EmailSettings:
        if (self.username_env is None) != (self.password_env is None):
            msg = "set both username_env and password_env, or neither (no SMTP login)"
            raise ValueError(msg)
        return self

    @field_validator("tls")
    @classmethod
    def _agrees_with_starttls(cls, tls: SmtpTls, info: ValidationInfo) -> SmtpTls:
        starttls = info.data.get("starttls")
        if starttls is not None and (tls is SmtpTls.STARTTLS) != starttls:
            msg = (
                f"tls = '{tls}' contradicts starttls = {str(starttls).lower()}; "
                "remove starttls, which tls replaces"
            )
            raise ValueError(msg)
        return tls

    @field_validator("ca_file")
    @classmethod
    def _ca_file_needs_tls(cls, ca_file: str, info: ValidationInfo) -> str:
        if _smtp_tls(info.data.get("tls"), info.data.get("starttls")) is SmtpTls.NONE:
            msg = "ca_file is only used with tls = 'starttls' or 'implicit'"
            raise ValueError(msg)
        return ca_file

    @property
    def security(self) -> SmtpTls:
        """The encryption in effect: `tls`, else what the older `starttls` key says."""
        return _smtp_tls(self.tls, self.starttls)


class WebhookSettings(_Section):
    """`[notify.webhook]`: post Slack-compatible JSON (`{"text": ...}`) on transitions and reviews."""

    url_env: EnvironmentName = Field(
        description="Name of the environment variable holding the webhook URL (a secret).",
    )
    blocks: bool = Field(
        strict=True,
        default=False,
        description="Also send the text as a Slack `blocks` section (mrkdwn).",
    )


class AppriseSettings(_Section):
    """`[notify.apprise]`: more channels (Slack, Microsoft Teams, Google Chat, Mattermost,
    Discord, JSON webhooks, ...), each an apprise URL held in an environment variable."""

    urls_env: list[EnvironmentName] = Field(
        min_length=1,
        description="Names of environment variables, each holding one apprise URL (a secret).",
    )

    @field_validator("urls_env")
    @classmethod
    def _each_variable_once(cls, names: list[str]) -> list[str]:
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            msg = f"each variable once: {', '.join(repeated)} appears more than once"
            raise ValueError(msg)
        return names


class NotifySettings(_Section):
    """`[notify]`: optional notifications; each channel is off until configured."""

    email: EmailSettings | None = None
    webhook: WebhookSettings | None = None
    apprise: AppriseSettings | None = None
    events: list[EventKind] = Field(
        default_factory=lambda: list(EventKind),
        description="Which events notify: 'transition', 'review'.",
    )
    timeout_seconds: float = Field(
        strict=True,
        default=10.0,
        gt=0,
        le=300,
        description="Bound on the wall time of each attempt to send, per channel.",
    )
    retries: int = Field(
        strict=True,
        default=2,
        ge=0,
        le=5,
        description="Retries of a transient failure (4xx SMTP reply, refused or timed-out "
        "connection, HTTP 429 or 5xx), per channel.",
    )
    retry_backoff_seconds: float = Field(
        strict=True,
        default=0.5,
        ge=0,
        le=5,
        description="Wait before the first retry; it doubles before each next one.",
    )

    @property
    def configured(self) -> bool:
        """Whether any channel is configured (else there is nothing to send)."""
        return any(channel is not None for channel in (self.email, self.webhook, self.apprise))


class Transform(StrEnum):
    """How `pmctl import` turns a foreign value into a pmctl field's value."""

    TEXT = "text"  # the value as text
    DATE = "date"  # a date, or the date of a date-time (in its own zone)
    DATETIME = "datetime"  # a date-time with its zone; a midnight counts as a date only
    LIST = "list"  # a list, or a text split at commas and semicolons
    SLUG = "slug"  # lowercase ASCII words joined by dashes (of each item of a list)
    MINUTES = "minutes"  # a number of minutes, or a duration such as "1 hour 20 minutes"


def _import_field(name: str) -> str:
    from pmctl.domain.legacy.mapping import FIELDS

    if name not in FIELDS:
        import difflib

        close = difflib.get_close_matches(name, FIELDS, n=1, cutoff=0.6)
        hint = (
            f"; did you mean '{close[0]}'?" if close else f"; the fields are: {', '.join(FIELDS)}"
        )
        msg = f"unknown pmctl field '{name}'{hint}"
        raise ValueError(msg)
    return name


ImportField = Annotated[str, AfterValidator(_import_field)]
"""A pmctl field a foreign key maps to (`severity`, `timestamps.started`, `tags`, ...)."""


class FieldMap(_Section):
    """One foreign key's mapping, when it needs more than the field's name."""

    field: ImportField
    transform: Transform | None = Field(
        default=None, description="How the value is read (default: by the field's type)."
    )
    values: dict[str, str] = Field(
        default_factory=dict,
        description="Foreign value -> pmctl value (e.g. critical -> SEV1), compared ignoring case.",
    )


def _entry_kind(value: object) -> str:
    return "table" if isinstance(value, dict | FieldMap) else "field"


ImportMapEntry = Annotated[
    Annotated[ImportField, Tag("field")] | Annotated[FieldMap, Tag("table")],
    Discriminator(_entry_kind),
]
"""A pmctl field's name, or a table `{field, transform, values}`: errors name the one given."""

ImportMap = dict[str, ImportMapEntry]
"""Foreign key (`date`, `params.severity` for a nested one) -> pmctl field, or a `FieldMap`."""


class ImportSettings(_Section):
    """`[import]`: how `pmctl import` maps the front matter of another schema."""

    map: ImportMap = Field(
        default_factory=dict,
        description="Foreign front-matter key -> pmctl field, or {field, transform, values}.",
    )


class ReadingClubSettings(_Section):
    """`[reading_club]`: what `pmctl reading-club` proposes."""

    picks: int = Field(
        strict=True, default=3, ge=1, le=20, description="Postmortems proposed per session."
    )
    repeat_after_days: int = Field(
        strict=True,
        default=365,
        ge=0,
        description="A postmortem discussed in a session is not proposed again for this long.",
    )
    record_file: str = Field(
        default=".pmctl/reading-club.toml",
        min_length=1,
        description="Where `--record` keeps the sessions, relative to pmctl.toml.",
    )


def _one_line(value: str, what: str) -> None:
    """`ValueError` for a control character in `value`, which is shown on one line in
    tables, commit messages and terminals (an escape sequence there would act on them)."""
    if visible(value) != value:
        msg = f"'{visible(value)}': {what} may not hold a control character"
        raise ValueError(msg)


def _named(name: str, what: str) -> None:
    """`ValueError` for a blank `name` of `what`, or one with a control character."""
    if not name.strip():
        msg = f"{name!r} is blank; {what} needs a name"
        raise ValueError(msg)
    _one_line(name, what)


def _as_typed(name: str, so: str) -> None:
    """`ValueError` unless `name` is as people type it in one line (`folded`): pmctl takes
    `--severity " SEV1"` as `SEV1`, YAML `criteria: [ data-loss]` as `data-loss`, so a
    name with spaces at its ends or two in a row could never be matched."""
    if folded(name) != name:
        msg = f"{name!r} has spaces at its ends or two in a row, so {so}; write {folded(name)!r}"
        raise ValueError(msg)


class Settings(_Section):
    """Everything `pmctl.toml` can set. Every key has a default except where noted."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    postmortem_dir: str = Field(
        default="postmortems", description="Directory of postmortems, relative to pmctl.toml."
    )
    default_language: Language = Language.EN
    severities: list[str] = Field(
        default_factory=lambda: ["SEV1", "SEV2", "SEV3", "SEV4"],
        min_length=1,
        description="The severity scale, most severe first.",
    )
    criteria: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_CRITERIA),
        description="Required-postmortem criteria: id -> description.",
    )
    review_deadlines: dict[str, Deadline] = Field(
        default_factory=lambda: dict(DEFAULT_DEADLINES),
        description="Severity -> review deadline after the incident: '3d' calendar, '5bd' business days.",
    )
    required_approvals: int = Field(
        strict=True,
        default=1,
        ge=0,
        le=MAX_APPROVALS,
        description="Approvals, by reviewers who are not authors, needed to be reviewed.",
    )
    remote: str = Field(default="origin", description="Remote that `--push` pushes to.")
    lint: LintSettings = Field(default_factory=LintSettings)
    notify: NotifySettings = Field(default_factory=NotifySettings)
    import_: ImportSettings = Field(default_factory=ImportSettings, alias="import")
    teams: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Team -> its people; `pmctl stats` groups postmortems by their owner's team.",
    )
    reading_club: ReadingClubSettings = Field(default_factory=ReadingClubSettings)

    @field_validator("severities")
    @classmethod
    def _severities_are_names(cls, severities: list[str]) -> list[str]:
        """A blank severity could be given to no postmortem (`new --severity ""` is refused),
        and a repeated one would rank the same severity twice."""
        for severity in severities:
            if not severity.strip():
                msg = f"{severity!r} is blank; a severity needs a name"
                raise ValueError(msg)
            _one_line(severity, "a severity")
            _as_typed(severity, "no postmortem could be given it")
        repeated = sorted({s for s in severities if severities.count(s) > 1})
        if repeated:
            msg = f"{', '.join(map(repr, repeated))} listed twice; list each severity once"
            raise ValueError(msg)
        return severities

    @field_validator("criteria")
    @classmethod
    def _criteria_are_named(cls, criteria: dict[str, str]) -> dict[str, str]:
        """A criterion's id is written into postmortems (`criteria: [id]`) and shown in
        tables: a blank one names nothing."""
        for criterion, description in criteria.items():
            if not criterion.strip():
                msg = f"{criterion!r} is blank; a criterion needs an id"
                raise ValueError(msg)
            _one_line(criterion, "a criterion's id")
            _as_typed(criterion, "no postmortem could list it")
            _one_line(description, "a criterion's description")
        return criteria

    @field_validator("remote")
    @classmethod
    def _remote_is_a_name(cls, remote: str) -> str:
        """`--push` pushes there; blank, or with a space in it, it names no remote, and the
        push failed only once the commit was made."""
        if not remote.strip() or any(char.isspace() for char in remote):
            msg = f"{remote!r} is not a remote's name (`git remote` lists them)"
            raise ValueError(msg)
        _one_line(remote, "a remote's name")
        return remote

    @field_validator("teams")
    @classmethod
    def _one_team_each(cls, teams: dict[str, list[str]]) -> dict[str, list[str]]:
        seen: dict[str, str] = {}
        for team, people in teams.items():
            _named(team, "a team")
            for person in people:
                _named(person, "a person")
                _as_typed(person, "no postmortem's owner could be them")
                other = seen.setdefault(person.lower(), team)
                if other != team:
                    msg = f"{person!r} is in two teams, {other!r} and {team!r}; keep one"
                    raise ValueError(msg)
        return teams

    @model_validator(mode="after")
    def _deadlines_name_known_severities(self) -> Settings:
        unknown = sorted(set(self.review_deadlines) - set(self.severities))
        if unknown:
            msg = f"review_deadlines names unknown severities {unknown}; known: {self.severities}"
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _downtime_criterion_is_configured(self) -> Settings:
        criterion = self.lint.downtime_criterion
        if self.lint.downtime_minutes is not None and criterion not in self.criteria:
            msg = (
                f"lint.downtime_criterion {criterion!r} is not one of the criteria: "
                f"{', '.join(self.criteria)}"
            )
            raise ValueError(msg)
        return self

    def severity_named(self, name: str) -> str | None:
        """The severity of the scale that `name` is as people type it (`sev1` for `SEV1`):
        itself, else the one severity equal to it but for case; None if none is."""
        if name in self.severities:
            return name
        alike = [severity for severity in self.severities if severity.casefold() == name.casefold()]
        return alike[0] if len(alike) == 1 else None

    def deadline_days(self, severity: str) -> tuple[int, bool] | None:
        """(count, business_days) of the review deadline for a severity, or None if unset."""
        spec = self.review_deadlines.get(severity)
        if spec is None:
            return None
        match = _DEADLINE.match(spec)
        assert match is not None  # validated by the field's pattern
        return int(match["n"]), match["unit"] == "bd"
