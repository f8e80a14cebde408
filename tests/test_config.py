"""pmctl.toml: found by walking up, defaults, and errors that point at the line."""

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from pmctl.adapters.config_file import find_root, load_project, read_settings
from pmctl.domain.config import Settings
from pmctl.domain.project import Project
from pmctl.errors import ConfigError, ExitCode
from tests.conftest import run_cli


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_config_is_found_from_a_subdirectory(tmp_path: Path) -> None:
    write(tmp_path / "pmctl.toml", "")
    deep = tmp_path / "postmortems" / "2026"
    deep.mkdir(parents=True)
    assert find_root(deep) == tmp_path.resolve()
    assert load_project(deep).settings == Settings()


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda path: path.mkdir(), "a directory"),
        (os.mkfifo, "a pipe, socket or device"),
        (lambda path: path.symlink_to("nowhere.toml"), "a symbolic link to nowhere.toml"),
    ],
)
def test_a_config_that_is_not_a_file_is_named(
    tmp_path: Path, make: Callable[[Path], None], kind: str
) -> None:
    """It was passed over: "no pmctl.toml found in ... run `pmctl init`", or the
    configuration of a parent directory was taken instead."""
    write(tmp_path / "pmctl.toml", 'remote = "parent"\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    make(inner / "pmctl.toml")
    with pytest.raises(ConfigError) as raised:
        load_project(inner)
    assert raised.value.exit_code == ExitCode.CONFIG
    assert raised.value.message.startswith(f"{inner / 'pmctl.toml'} is not a file: {kind}")


def test_no_config_is_an_error_that_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_project(tmp_path)
    assert raised.value.exit_code == ExitCode.CONFIG
    assert "pmctl init" in raised.value.hint


def test_defaults() -> None:
    settings = Settings()
    assert settings.postmortem_dir == "postmortems"
    assert settings.severities == ["SEV1", "SEV2", "SEV3", "SEV4"]
    assert settings.deadline_days("SEV1") == (3, False)
    assert settings.deadline_days("SEV2") == (5, True)
    assert settings.required_approvals == 1
    assert "data-loss" in settings.criteria


def test_a_typo_names_the_key_its_line_and_the_right_spelling(tmp_path: Path) -> None:
    path = write(tmp_path / "pmctl.toml", 'default_language = "ja"\nseverites = ["S1"]\n')
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert raised.value.location == f"{path}:2"
    assert "severites" in raised.value.message
    assert "did you mean 'severities'?" in raised.value.hint


def test_a_typo_in_a_table_suggests_the_key_of_that_table(tmp_path: Path) -> None:
    path = write(tmp_path / "pmctl.toml", "[lint]\nrule = {}\n")
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert raised.value.location == f"{path}:2"
    assert "did you mean 'rules'?" in raised.value.hint


def test_invalid_values_name_the_key(tmp_path: Path) -> None:
    path = write(tmp_path / "pmctl.toml", '[review_deadlines]\nSEV1 = "three days"\n')
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert "review_deadlines.SEV1" in raised.value.message


def test_an_approval_count_no_review_could_reach_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "pmctl.toml", "required_approvals = 200\n")
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert raised.value.location == f"{path}:1"
    assert "required_approvals" in raised.value.message
    assert "20" in raised.value.message
    write(path, "required_approvals = 20\n")
    assert read_settings(path).required_approvals == 20


def test_deadlines_must_name_known_severities(tmp_path: Path) -> None:
    path = write(tmp_path / "pmctl.toml", 'severities = ["P1"]\n')
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert "unknown severities" in raised.value.message


def test_an_error_about_the_whole_file_points_at_the_key_it_names(tmp_path: Path) -> None:
    """Shown as `pmctl.toml: Value error, review_deadlines names ...`: no line, and
    pydantic's own prefix."""
    path = write(tmp_path / "pmctl.toml", 'remote = "origin"\nseverities = ["P1"]\n')
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert raised.value.location == f"{path}:2"
    assert raised.value.message.startswith("review_deadlines names unknown severities")
    write(path, 'severities = ["P1"]\n\n[review_deadlines]\nP2 = "3d"\n')
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert raised.value.location == f"{path}:3"


@pytest.mark.parametrize(
    ("value", "message"),
    [('["SEV1", "SEV1"]', "'SEV1' listed twice"), ('["SEV1", " "]', "' ' is blank")],
)
def test_a_blank_or_repeated_severity_is_refused_at_its_line(
    tmp_path: Path, value: str, message: str
) -> None:
    path = write(tmp_path / "pmctl.toml", f'remote = "origin"\nseverities = {value}\n')
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert raised.value.location == f"{path}:2"
    assert raised.value.message.startswith(f"'severities': {message}")


@pytest.mark.parametrize(
    ("severity", "meant"), [(" SEV1", "SEV1"), ("SEV1 ", "SEV1"), ("Sev  1", "Sev 1")]
)
def test_a_severity_with_spaces_no_postmortem_could_be_given_is_refused(
    tmp_path: Path, severity: str, meant: str
) -> None:
    """`new --severity` takes what is typed as one line (`folded`): no input matched such a
    severity, and the error listed it as if it were there ("unknown severity 'SEV1'; one
    of:  SEV1, SEV2")."""
    path = write(tmp_path / "pmctl.toml", f'severities = ["{severity}", "SEV2"]\n')
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert raised.value.location == f"{path}:1"
    assert raised.value.message == (
        f"'severities': {severity!r} has spaces at its ends or two in a row, so no postmortem "
        f"could be given it; write {meant!r}"
    )


@pytest.mark.parametrize(
    ("line", "message", "at"),
    [
        # Numbers and booleans are strict: `required_approvals = "3"` was taken as 3, `true` as 1.
        ('required_approvals = "3"', "'required_approvals': Input should be a valid integer", 1),
        ("required_approvals = true", "'required_approvals': Input should be a valid integer", 1),
        (
            '[lint]\nrelated_min_score = "0.5"',
            "'lint.related_min_score': Input should be a valid",
            2,
        ),
        ("[reading_club]\npicks = 2.0", "'reading_club.picks': Input should be a valid integer", 2),
        ("[notify]\nretries = false", "'notify.retries': Input should be a valid integer", 2),
        # Names shown on one line: a blank `remote` failed only at `--push`, after the commit.
        ('remote = ""', "'remote': '' is not a remote's name", 1),
        ('remote = "my origin"', "'remote': 'my origin' is not a remote's name", 1),
        ('remote = "origin\\u001b[2J"', "'remote': 'origin\\x1b[2J': a remote's name may not", 1),
        ('severities = ["SEV1\\u202e"]', "'severities': 'SEV1\\u202e': a severity may not", 1),
        ('[criteria]\n"" = "blank"', "'criteria': '' is blank; a criterion needs an id", 1),
        ('[criteria]\nx = "a\\nb"', "'criteria': 'a\\nb': a criterion's description may not", 1),
        # A person never matched (owners are one folded line): no team table, no word.
        ('[teams]\nsre = [" alice"]', "'teams': ' alice' has spaces at its ends", 1),
        ('[teams]\nsre = [""]', "'teams': '' is blank; a person needs a name", 1),
        ('[teams]\n"" = ["alice"]', "'teams': '' is blank; a team needs a name", 1),
        # Never matched: YAML takes `criteria: [ data-loss]` as `data-loss`.
        ('[criteria]\n" data-loss" = "x"', "'criteria': ' data-loss' has spaces at its ends", 1),
    ],
)
def test_a_value_of_the_wrong_type_or_shape_is_refused_at_its_line(
    tmp_path: Path, line: str, message: str, at: int
) -> None:
    """At the key's line; an error of a whole table (`criteria`) at the table's."""
    path = write(tmp_path / "pmctl.toml", f'postmortem_dir = "postmortems"\n{line}\n')
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert raised.value.message.startswith(message), raised.value.message
    assert raised.value.location == f"{path}:{at + 1}"


def test_invalid_toml_points_at_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "pmctl.toml", 'remote = "origin"\nseverities = [\n')
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert raised.value.location.startswith(f"{path}:")
    assert "invalid TOML" in raised.value.message


def test_toml_nested_too_deeply_is_invalid_toml_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path / "pmctl.toml", "x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(ConfigError, match="invalid TOML: arrays or inline tables nested too deep"):
        read_settings(path)


def test_non_utf8_config_is_an_error_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "pmctl.toml"
    path.write_bytes('remote = "origin"\n# 設定\n'.encode("shift_jis"))
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert raised.value.location == f"{path}:2"
    assert "UTF-8" in raised.value.hint


def test_crlf_and_bom_configs_are_read(tmp_path: Path) -> None:
    path = tmp_path / "pmctl.toml"
    path.write_bytes(b'\xef\xbb\xbfremote = "upstream"\r\ndefault_language = "ja"\r\n')
    settings = read_settings(path)
    assert settings.remote == "upstream"
    assert settings.default_language == "ja"


def test_a_bad_value_in_an_inline_table_points_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "pmctl.toml", 'remote = "origin"\n[lint]\nrules = { PM001 = "info" }\n')
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert raised.value.location == f"{path}:3"


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ('PM999 = "off"', "unknown rule 'PM999'; did you mean 'PM009'?"),
        ('"section-unfiled" = "off"', "unknown rule 'section-unfiled'; did you mean "
         "'section-unfilled'?"),
        ('PM1O2 = "warning"', "unknown rule 'PM1O2'; did you mean 'PM102'?"),
        ('blame = "off"', "unknown rule 'blame'; the rules are in docs/rules/"),
    ],
)  # fmt: skip
def test_a_lint_rule_that_does_not_exist_is_an_error_at_its_line(
    tmp_path: Path, rules: str, message: str
) -> None:
    """Its level was silently ignored: a typo in the rule meant to be turned off left the
    rule on, and lint went on failing with no word about the setting."""
    path = write(
        tmp_path / "pmctl.toml", f'remote = "origin"\n[lint.rules]\nPM101 = "off"\n{rules}\n'
    )
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert raised.value.location == f"{path}:4"
    assert raised.value.message.endswith(message)


def test_rules_are_named_by_id_or_name_in_any_case(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pmctl.toml", '[lint]\nrules = { pm101 = "off", SECTION-UNFILLED = "warning" }\n'
    )
    assert len(read_settings(path).lint.rules) == 2


@pytest.mark.parametrize("deadline", ["3D", "3 days", "5 bd", "３d"])
def test_a_deadline_that_is_not_days_says_how_to_write_one(tmp_path: Path, deadline: str) -> None:
    """The error was pydantic's "String should match pattern '^(?P<n>[0-9]+)(?P<unit>d|bd)$'"."""
    path = write(tmp_path / "pmctl.toml", f'[review_deadlines]\nSEV1 = "3d"\nSEV2 = "{deadline}"\n')
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert raised.value.location == f"{path}:3"
    assert raised.value.message == (
        f"'review_deadlines.SEV2': '{deadline}' is not a deadline: write \"<n>d\" for calendar "
        'days or "<n>bd" for business days, e.g. "3d" or "5bd"'
    )


@pytest.mark.parametrize("key", ["blameless_extra", "blameless_allow", "vague_extra"])
@pytest.mark.parametrize("phrase", ["", "  "])
def test_a_blank_phrase_of_a_lexicon_is_an_error_at_its_line(
    tmp_path: Path, key: str, phrase: str
) -> None:
    """It was found everywhere: `blameless_extra = [""]` made 4,032 warnings of the two
    example postmortems, `vague_extra = [""]` every action item vague."""
    path = write(
        tmp_path / "pmctl.toml", f'remote = "origin"\n\n[lint]\n{key} = ["x", "{phrase}"]\n'
    )
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert raised.value.location == f"{path}:4"
    assert raised.value.message == (
        f"'lint.{key}.1': '{phrase}' is blank; a phrase needs a word, or remove it from the list"
    )


@pytest.mark.parametrize("wait", ["-1", "nan", "inf", "1e309", "soon"])
def test_a_lock_timeout_that_is_not_seconds_is_refused_before_anything_is_done(
    repo: Project, wait: str
) -> None:
    """`-1` and `nan` were taken as no wait at all, `inf` as a wait without end, silently."""
    result = run_cli(
        repo.root, "new", "--title", "Disk full", "--severity", "SEV3", "--owner", "ann",
        "--no-input", env={"PMCTL_LOCK_TIMEOUT": wait},
    )  # fmt: skip
    assert result.returncode == ExitCode.USAGE, result.stderr
    assert result.stderr == (
        f"error: PMCTL_LOCK_TIMEOUT={wait!r} is not a number of seconds (0 or more)\n"
        "  hint: e.g. PMCTL_LOCK_TIMEOUT=60\n"
    )
    assert not (repo.postmortem_dir / "2026").exists()
