"""The parsed-model cache of `report`, `stats` and `index`, next to lint's cache.

`<git-dir>/pmctl/model-cache` holds, per file, its stat and the validated front matter as
plain JSON-mode data (`marshal`: the fastest load there is for plain data). The entry is used
only while the file's stat is unchanged (the rules, including the "racy" recent-write
window, are lint's: `LintCache` is reused as is); the data is validated again on load, so a
cache can never make a document pass that the reader would refuse. The whole cache is
dropped when the pmctl version changes.
"""

from __future__ import annotations

import marshal
from pathlib import Path

from pmctl.adapters.lint_cache import FORMAT, LintCache, cache_path

NAME = "model-cache"


def open_model_cache(root: Path, *, version: str) -> LintCache:
    """The model cache of the project at `root`; empty when missing, stale or unreadable."""
    path = cache_path(root).with_name(NAME)
    header = (version, NAME)
    try:
        loaded = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return LintCache(path, header)
    if (
        isinstance(loaded, tuple)
        and len(loaded) == 3
        and loaded[0] == FORMAT
        and loaded[1] == header
        and isinstance(loaded[2], dict)
    ):
        return LintCache(path, header, loaded[2])
    return LintCache(path, header, changed=True)
