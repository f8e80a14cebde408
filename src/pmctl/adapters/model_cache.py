"""The parsed-front-matter cache of `report`, `stats` and `index`, next to lint's cache.

`<git-dir>/pmctl/model-cache` holds, per file, its stat and its front matter as the YAML
engine parsed it (plain data, in `marshal`: the fastest load there is for plain data). An
entry is used only while the file's stat is unchanged (the rules, including the "racy"
recent-write window, are lint's: its `LintCache` format and loader are reused as they are);
the data is validated against the model on every load, so a cache can never make a document
pass that the reader would refuse. The whole cache is dropped when the pmctl version changes.
"""

from __future__ import annotations

from pathlib import Path

from pmctl.adapters.lint_cache import LintCache, cache_path, load

NAME = "model-cache"


def open_model_cache(root: Path, *, version: str) -> LintCache:
    """The model cache of the project at `root`; empty when missing, stale or unreadable.

    It sits beside lint's cache file, named like it (outside git, the per-project suffix
    is kept, so two projects never share one).
    """
    lint_path = cache_path(root)
    path = lint_path.with_name(lint_path.name.replace("lint-cache", NAME, 1))
    return load(path, (version, NAME))
