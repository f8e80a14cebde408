"""Which YAML engine reads front matter: yaml-rs, or the fallback where asked or needed."""

from __future__ import annotations

import sys

import pytest

from pmctl.adapters import yaml_engine
from pmctl.domain.project import Project
from pmctl.errors import ConfigError
from tests.conftest import run_process


@pytest.fixture
def unchosen(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a new process: no engine chosen yet."""
    monkeypatch.setattr(yaml_engine._Choice, "chosen", None)


@pytest.mark.usefixtures("unchosen")
def test_yaml_rs_by_default_and_pyyaml_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(yaml_engine.ENGINE_VARIABLE, raising=False)
    assert yaml_engine.engine_name() == yaml_engine.YAML_RS
    monkeypatch.setattr(yaml_engine._Choice, "chosen", None)
    monkeypatch.setenv(yaml_engine.ENGINE_VARIABLE, "pyyaml")
    assert yaml_engine.engine_name() == yaml_engine.PYYAML
    assert yaml_engine.parse("country: no\nport: 0777\n") == {"country": "no", "port": 777}


@pytest.mark.usefixtures("unchosen")
def test_where_yaml_rs_is_not_installed_the_fallback_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(yaml_engine.ENGINE_VARIABLE, raising=False)
    monkeypatch.setitem(sys.modules, "yaml_rs", None)  # `import yaml_rs` fails
    assert yaml_engine.engine_name() == yaml_engine.PYYAML


@pytest.mark.usefixtures("unchosen")
def test_an_unknown_engine_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(yaml_engine.ENGINE_VARIABLE, "ruamel")
    with pytest.raises(ConfigError) as raised:
        yaml_engine.parse("a: 1\n")
    assert "yaml-rs, pyyaml" in raised.value.hint


def test_the_fallback_engine_gives_lint_the_same_findings(repo: Project) -> None:
    path = repo.postmortem_dir / "2026" / "2026-11-20-broken.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\ntitle: x\ntitle: y\nstatus: on\n---\n", encoding="utf-8")
    # The engine is chosen once per process: each run is a process of its own.
    default = run_process(repo.root, "lint", "--format", "json")
    fallback = run_process(
        repo.root, "lint", "--format", "json", env={"PMCTL_YAML_ENGINE": "pyyaml"}
    )
    assert default.returncode == fallback.returncode == 1
    assert '"rule": "PM009"' in default.stdout
    assert fallback.stdout == default.stdout
    wrong = run_process(repo.root, "lint", env={"PMCTL_YAML_ENGINE": "ruamel"})
    assert wrong.returncode == 3
    assert "PMCTL_YAML_ENGINE" in wrong.stderr
