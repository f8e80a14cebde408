"""A postmortem repository as every layer sees it: where it is, and its settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pmctl.domain.config import CONFIG_FILE, Settings


@dataclass(frozen=True, slots=True)
class Project:
    """A postmortem repository: its root (where pmctl.toml is) and its settings."""

    root: Path
    settings: Settings

    @property
    def postmortem_dir(self) -> Path:
        return self.root / self.settings.postmortem_dir

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_FILE
