"""Rendering Jinja templates in a sandbox, repository overrides first.

A template in `.pmctl/templates/<lang>/` of the repository replaces the built-in one of the
same name. Templates are rendered in Jinja's `SandboxedEnvironment` with `StrictUndefined`:
a hostile repository template cannot reach Python internals, and a misspelt variable is an
error instead of an empty string.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pmctl.adapters.resources import builtin_dir
from pmctl.errors import NotFoundError, TemplateError, UsageError

OVERRIDE_DIR = Path(".pmctl") / "templates"
MAX_OUTPUT_CHARS = 1_000_000


def search_path(root: Path | None) -> list[Path]:
    """Directories searched for templates, first match wins."""
    paths = [root / OVERRIDE_DIR] if root is not None else []
    return [*paths, builtin_dir("templates")]


def render(name: str, context: dict[str, Any], *, root: Path | None) -> str:
    """Render template `name` (e.g. `en/postmortem.md.j2`) with `context`."""
    import json

    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    environment = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(path) for path in search_path(root)]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # JSON strings and arrays are valid YAML flow scalars: any title is safe in front matter.
    environment.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)
    with _template_errors(name):
        template = environment.get_template(name)
        origin = template.filename or name
        output = template.render(**context)
    if len(output) > MAX_OUTPUT_CHARS:
        raise TemplateError(
            f"template produced {len(output):,} characters, over the limit of {MAX_OUTPUT_CHARS:,}",
            hint="a postmortem template should render a few KB",
            location=origin,
        )
    return output


HtmlRenderer = Callable[[str, dict[str, Any]], str]
"""Renders an HTML template by name with a context."""


def html_renderer(root: Path | None) -> HtmlRenderer:
    """A renderer of HTML templates (the site's), repository overrides first.

    The same sandbox and strict variables as `render`, with HTML autoescaping on: a title
    or a note is always text, never markup. Markup made by pmctl (rendered Markdown, SVG
    charts) is passed marked safe with `Markup`. Compiled templates are kept by the renderer,
    so rendering ten thousand pages compiles each template once.
    """
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    environment = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(path) for path in search_path(root)]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )

    def render_html(name: str, context: dict[str, Any]) -> str:
        with _template_errors(name):
            return environment.get_template(name).render(**context)

    return render_html


def markup(html: str) -> Any:
    """`html` marked as safe for `html_renderer`'s templates (made by pmctl, not by a user)."""
    from markupsafe import Markup

    return Markup(html)


def find(name: str, root: Path | None) -> Path:
    """The file `name` (e.g. `site/assets/site.css`) from the first directory that has it."""
    for directory in search_path(root):
        candidate = directory / name
        if candidate.is_file():
            return candidate
    raise NotFoundError(f"template file {name!r} not found", hint="reinstall pmctl")


@contextmanager
def _template_errors(name: str) -> Iterator[None]:
    """Jinja's errors as `TemplateError`s that say where and what to do."""
    import jinja2
    from jinja2.exceptions import SecurityError

    try:
        yield
    except jinja2.TemplateNotFound as error:
        raise NotFoundError(
            f"template {error.name!r} not found",
            hint=f"built-in templates: {', '.join(builtin_names())}",
        ) from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(
            f"template syntax error: {error.message}",
            hint="fix the template, or delete the override to use the built-in one",
            location=f"{error.filename or name}:{error.lineno}",
        ) from None
    except SecurityError as error:
        raise TemplateError(
            f"template tried something the sandbox forbids: {error}",
            hint="templates may only use the variables pmctl passes (see docs/templates.md)",
            location=name,
        ) from None
    except jinja2.UndefinedError as error:
        raise TemplateError(
            f"template uses an undefined variable: {error.message}",
            hint="see docs/templates.md for the variables a template receives",
            location=name,
        ) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as error:
        raise TemplateError(
            f"template failed while rendering: {type(error).__name__}: {error}",
            hint="fix the template, or delete the override to use the built-in one",
            location=name,
        ) from None


def builtin_names() -> list[str]:
    """Built-in template names, e.g. `en/postmortem.md.j2`."""
    base = builtin_dir("templates")
    return sorted(path.relative_to(base).as_posix() for path in base.rglob("*.j2"))


def export(name: str, root: Path, *, force: bool) -> Path:
    """Copy a built-in template to the repository's override directory; return the new path."""
    if name not in builtin_names():
        raise NotFoundError(
            f"no built-in template {name!r}",
            hint=f"choose one of: {', '.join(builtin_names())}",
        )
    target = root / OVERRIDE_DIR / name
    if target.exists() and not force:
        raise UsageError(f"{target} already exists", hint="pass --force to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(builtin_dir("templates") / name, target)
    return target
