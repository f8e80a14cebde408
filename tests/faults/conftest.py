"""The postmortem most fault tests act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmctl.domain.project import Project
from tests.faults.helpers import new_postmortem


@pytest.fixture
def postmortem(repo: Project) -> Path:
    return new_postmortem(repo)
