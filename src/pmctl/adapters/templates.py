"""Rendering Jinja templates in a sandbox, repository overrides first, under a budget.

A template in `.pmctl/templates/<lang>/` of the repository replaces the built-in one of the
same name. Templates are rendered in Jinja's `SandboxedEnvironment` with `StrictUndefined`:
a hostile repository template cannot reach Python internals, and a misspelt variable is an
error instead of an empty string. The sandbox does not bound the work a template asks for
(`'x' * 10**9`, nested loops of 10^10 turns), so a repository's template also renders under
a budget of CPU time, wall time, memory and output (`render`); and a template file that is
a symbolic link leading out of the repository is refused, not read.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmctl.adapters.resources import builtin_dir
from pmctl.domain.visible_text import bidi_spelled
from pmctl.errors import NotFoundError, TemplateError, UsageError

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

OVERRIDE_DIR = Path(".pmctl") / "templates"
MAX_OUTPUT_CHARS = 1_000_000
MAX_HTML_CHARS = 20 * MAX_OUTPUT_CHARS
"""A site page renders a postmortem of up to 1 MB with its card, links and markup."""
CPU_SECONDS = 1.0
WALL_SECONDS = 3.0
"""Rendering a real template takes milliseconds; a CPU-bound one is stopped by the CPU
bound, so the wall-time bound is for one that waits (and for a machine under load)."""
MEMORY_BYTES = 256 * 2**20
_BUDGET_HINT = (
    "a postmortem template renders a few KB in milliseconds; look for a loop or a huge value"
)


def search_path(root: Path | None) -> list[Path]:
    """Directories searched for templates, first match wins."""
    paths = [root / OVERRIDE_DIR] if root is not None else []
    return [*paths, builtin_dir("templates")]


def render(name: str, context: dict[str, Any], *, root: Path | None) -> str:
    """Render template `name` (e.g. `en/postmortem.md.j2`) with `context`.

    With a repository (`root`), whose templates are code from whoever can push to it, the
    rendering runs in a forked child, killed after `WALL_SECONDS`, that may use
    `CPU_SECONDS` of CPU time and `MEMORY_BYTES` more memory; the output stops at
    `MAX_OUTPUT_CHARS` while it is produced. Going over any bound is a `TemplateError`
    saying which. `context` must hold plain data.
    """
    if root is None:  # pmctl's own templates (`pmctl init`)
        return _render(name, context, root=None)
    import jinja2  # noqa: F401 (imported here, once, for every child to inherit)

    from pmctl.adapters import deadline

    try:
        answer = deadline.within(WALL_SECONDS, lambda: _render_limited(name, context, root))
    except deadline.DeadlinePassed:
        raise TemplateError(
            f"template did not finish rendering within {WALL_SECONDS:g} s",
            hint=_BUDGET_HINT,
            location=origin(name, root),
        ) from None
    except deadline.ChildFailed as error:  # a bug of pmctl's: the template's are answered
        raise RuntimeError(f"rendering {name} failed: {error}") from None
    return _answered(answer, location=origin(name, root))


def origin(name: str, root: Path) -> str:
    """The file template `name` is read from: the repository's override, if there is one
    (else its built-in name)."""
    override = root / OVERRIDE_DIR / name
    return str(override) if override.is_file() else name


def _render_limited(name: str, context: dict[str, Any], root: Path) -> tuple[str, ...]:
    """`_render` within the CPU and memory budget, its outcome as plain data."""
    from pmctl.adapters import budget

    try:
        with budget.limited(cpu_seconds=CPU_SECONDS, memory_bytes=MEMORY_BYTES):
            return ("rendered", _render(name, context, root=root))
    except (TemplateError, NotFoundError) as error:
        return (type(error).__name__, error.message, error.hint, error.location)
    except MemoryError:
        return ("memory",)
    except budget.BudgetSpent:
        return ("cpu",)


def _answered(answer: tuple[str, ...], *, location: str) -> str:
    """The text `_render_limited` rendered, or its error raised here."""
    kind = answer[0]
    if kind == "rendered":
        return answer[1]
    if kind == "memory":
        raise TemplateError(
            f"template needed more than {MEMORY_BYTES // 2**20} MB of memory while rendering",
            hint=_BUDGET_HINT,
            location=location,
        )
    if kind == "cpu":
        raise TemplateError(
            f"template used more than {CPU_SECONDS:g} s of CPU time while rendering",
            hint=_BUDGET_HINT,
            location=location,
        )
    error = NotFoundError if kind == NotFoundError.__name__ else TemplateError
    raise error(answer[1], hint=answer[2], location=answer[3])


def _heading_text(value: object) -> str:
    """A title as the text of a Markdown heading: `<!--` written `&lt;!--` (it shows the
    same). A title with `<!--` opened an HTML comment that, for pmctl's reading, ran to the
    end of the first guidance comment below and took the sections with it."""
    return str(value).replace("<!--", "&lt;!--")


def _render(name: str, context: dict[str, Any], *, root: Path | None) -> str:
    import json

    environment = _sandbox(root, html=False)
    # JSON strings and arrays are valid YAML flow scalars: any title is safe in front matter.
    environment.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)
    environment.filters["heading"] = _heading_text
    with _template_errors(name):
        template = environment.get_template(name)
        origin = template.filename or name
        output = _capped(template.generate(**context), origin)
    return output


def _page_text(value: object) -> object:
    """What a page shows of a value (Jinja's `finalize`, for every `{{ ... }}` of every HTML
    template, a repository's own included): text with its bidirectional controls spelled
    out (`bidi_spelled`); markup pmctl made (`Markup`, spelled by `markup`) as it is."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return bidi_spelled(value)
    return value


def _sandbox(root: Path | None, *, html: bool) -> SandboxedEnvironment:
    """Jinja's sandbox with strict variables, repository overrides first; HTML is escaped
    (a title is always text), text templates keep their final newline."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(
        loader=jinja2.FunctionLoader(_loader(root)),
        undefined=jinja2.StrictUndefined,
        autoescape=html,
        finalize=_page_text if html else None,
        keep_trailing_newline=not html,
        trim_blocks=True,
        lstrip_blocks=True,
    )


HtmlRenderer = Callable[[str, dict[str, Any]], str]
"""Renders an HTML template by name with a context."""


def html_renderer(root: Path | None, *, cpu_seconds: float | None = None) -> HtmlRenderer:
    """A renderer of HTML templates (the site's), repository overrides first.

    The same sandbox and strict variables as `render`, with HTML autoescaping on: a title
    or a note is always text, never markup. Markup made by pmctl (rendered Markdown, SVG
    charts) is passed marked safe with `Markup`. Compiled templates are kept by the renderer,
    so rendering ten thousand pages compiles each template once.

    With `cpu_seconds` (for a repository's own templates), all the renders of this renderer
    in one process may use that much CPU time together, each one at most `CPU_SECONDS`
    (as `render`) and `MEMORY_BYTES` more memory: a template that loops is stopped by a
    `TemplateError` naming it, however many pages it was asked for. (Not `render`'s fork
    per render: 10,000 forks would double a site build.)
    """
    environment = _sandbox(root, html=True)
    spent = [0.0]  # CPU seconds used by the renders so far, in this process

    def render_html(name: str, context: dict[str, Any]) -> str:
        with _template_errors(name):
            template = environment.get_template(name)
            if cpu_seconds is None:
                # (`render` joins the output in C: ten thousand pages of some 400 pieces each)
                output = template.render(**context)
            else:
                output = _bounded(template, context, cpu_seconds, spent)
        if len(output) > MAX_HTML_CHARS:
            raise TemplateError(
                f"template produced more than {MAX_HTML_CHARS:,} characters",
                hint="a page of the site renders one postmortem of at most 1 MB",
                location=template.filename or name,
            )
        return output

    return render_html


def _bounded(template: Any, context: dict[str, Any], cpu_seconds: float, spent: list[float]) -> str:
    """`template.render(**context)` within what is left of `cpu_seconds` (`spent[0]` is used
    so far, and grows by what this render uses) and `MEMORY_BYTES`."""
    import time

    from pmctl.adapters import budget

    left = cpu_seconds - spent[0]
    start = time.process_time()
    try:
        if left <= 0:
            raise budget.BudgetSpent
        with budget.limited(cpu_seconds=min(left, CPU_SECONDS), memory_bytes=MEMORY_BYTES):
            rendered: str = template.render(**context)
            return rendered
    except budget.BudgetSpent as spent_up:
        bound = (
            f"{cpu_seconds:.3g} s of CPU time rendering the site"
            if left <= CPU_SECONDS
            else f"{CPU_SECONDS:g} s of CPU time rendering one page"
        )
        raise TemplateError(
            f"templates used more than {bound}",
            hint="a page renders in milliseconds; look for a loop or a huge value",
            location=_innermost_template(spent_up.__traceback__, template.filename or ""),
        ) from None
    except MemoryError as error:
        raise TemplateError(
            f"template needed more than {MEMORY_BYTES // 2**20} MB of memory while rendering",
            hint=_BUDGET_HINT,
            location=_innermost_template(error.__traceback__, template.filename or ""),
        ) from None
    finally:
        spent[0] += time.process_time() - start


def _innermost_template(traceback: Any, default: str, *, line: bool = False) -> str:
    """The file of the innermost template being rendered in `traceback` (Jinja's compiled
    code carries its template's file name): where the error or the loop of an included or
    extended template actually is, not the page that used it. With `line`, `file:line`: for
    an `Exception`, whose frames Jinja rewrites to its templates' lines (not for
    `BudgetSpent`, a `BaseException`, whose frames keep the compiled code's lines)."""
    found = default
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = f"{filename}:{traceback.tb_lineno}" if line else filename
        traceback = traceback.tb_next
    return found


def markup(html: str) -> Any:
    """`html` marked as safe for `html_renderer`'s templates (made by pmctl, not by a user),
    its bidirectional controls spelled out as `_page_text` spells a field's: the text of a
    rendered body or a chart's labels hold what the documents hold."""
    from markupsafe import Markup

    return Markup(bidi_spelled(html))


def find(name: str, root: Path | None) -> Path:
    """The file `name` (e.g. `site/assets/site.css`) from the first directory that has it."""
    for directory in search_path(root):
        candidate = directory / name
        if candidate.is_file():
            if root is not None and directory == root / OVERRIDE_DIR:
                _refuse_links_out(candidate, root)
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
        if error.name == name:
            raise NotFoundError(
                f"template {error.name!r} not found",
                hint=f"built-in templates: {', '.join(builtin_names())}",
            ) from None
        # The template was found; one it includes, imports or extends was not: an error of
        # that template, at its line (it named a file, `/etc/passwd`, or a template misspelt).
        raise TemplateError(
            f"template uses {error.name!r}, which is not one of pmctl's templates",
            hint=f"a template may use the built-in ones, or their overrides in {OVERRIDE_DIR}: "
            f"{', '.join(builtin_names())}",
            location=_innermost_template(error.__traceback__, name, line=True),
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
            location=_innermost_template(error.__traceback__, name, line=True),
        ) from None
    except jinja2.UndefinedError as error:
        raise TemplateError(
            f"template uses an undefined variable: {error.message}",
            hint="see docs/templates.md for the variables a template receives",
            location=_innermost_template(error.__traceback__, name, line=True),
        ) from None
    except RecursionError as error:
        # Mostly an override that includes or extends its own name, meant as the built-in
        # one: it found itself, again and again. (It said "RecursionError: maximum
        # recursion depth exceeded in comparison".)
        raise TemplateError(
            "template uses itself without end: it includes, imports or extends its own name "
            "(directly or through another), or a macro calls itself",
            hint="an override replaces the built-in template of its name and cannot include "
            "or extend it: start from a copy (`pmctl template export`) instead",
            location=_innermost_template(error.__traceback__, name, line=True),
        ) from None
    except (ArithmeticError, LookupError, TypeError, ValueError) as error:
        raise TemplateError(
            f"template failed while rendering: {type(error).__name__}: {error}",
            hint="fix the template, or delete the override to use the built-in one",
            location=_innermost_template(error.__traceback__, name, line=True),
        ) from None


def _capped(chunks: Iterator[str], origin: str) -> str:
    """The rendered text, stopped as soon as it passes `MAX_OUTPUT_CHARS`."""
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise TemplateError(
                f"template produced more than {MAX_OUTPUT_CHARS:,} characters",
                hint="a postmortem template should render a few KB",
                location=origin,
            )
        parts.append(chunk)
    return "".join(parts)


def _loader(root: Path | None) -> Callable[[str], tuple[str, str, Callable[[], bool]] | None]:
    """Jinja's source of templates: the repository's override, else the built-in one."""

    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        from jinja2.loaders import split_template_path  # refuses `..` and absolute names

        pieces = split_template_path(name)
        for directory in search_path(root):
            candidate = directory.joinpath(*pieces)
            if not candidate.is_file():  # (a FIFO or a device is no template either)
                continue
            if root is not None and directory == root / OVERRIDE_DIR:
                _refuse_links_out(candidate, root)
            return _template_text(candidate), str(candidate), lambda: True
        return None

    return load


def _template_text(path: Path) -> str:
    """The text of a template file: UTF-8, without the byte-order mark an editor may save
    (it went into every new postmortem, which lint then warned of)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise TemplateError(
            f"is not UTF-8 (byte 0x{data[error.start]:02x} on line {line})",
            hint="save the template as UTF-8",
            location=f"{path}:{line}",
        ) from None


def _builtin_named(name: str) -> str:
    """The built-in template `name` names: itself, or the one template it is short for (`en`
    for `en/postmortem.md.j2`, a name without `.j2`); `NotFoundError` listing those it could
    be (or every one) otherwise."""
    names = builtin_names()
    if name in names:
        return name
    folder = name.strip().strip("/") + "/"
    meant = [known for known in names if known == f"{name}.j2" or known.startswith(folder)]
    if len(meant) == 1:
        return meant[0]
    raise NotFoundError(
        f"{name!r} names {len(meant)} built-in templates"
        if meant
        else f"no built-in template {name!r}",
        hint=f"choose one of: {', '.join(meant or names)}",
    )


def _refuse_links_out(path: Path, root: Path) -> None:
    """`TemplateError` if `path` leads out of the repository through a symbolic link: a
    template must not read, say, `~/.ssh/id_rsa` into a postmortem, nor `template export`
    write over a file elsewhere."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise TemplateError(
            f"leads to {resolved}, outside the repository, through a symbolic link",
            hint="a repository template must be a file in the repository",
            location=str(path),
        )


def builtin_names() -> list[str]:
    """Built-in template names, e.g. `en/postmortem.md.j2`, and the site's assets."""
    base = builtin_dir("templates")
    found = [*base.rglob("*.j2"), *(base / "site" / "assets").glob("*")]
    return sorted(path.relative_to(base).as_posix() for path in found if path.is_file())


INIT_ONLY = "init/"
"""The folder of `pmctl init`'s templates: rendered before the repository, and so any
override of it, exists; always the built-in ones."""


def export(name: str, root: Path, *, force: bool) -> Path:
    """Copy a built-in template to the repository's override directory; return the new path.

    `UsageError` for one of `pmctl init`'s, which no override changes: exporting one wrote a
    file that was never read, as if it had an effect."""
    name = _builtin_named(name)
    if name.startswith(INIT_ONLY):
        written = (
            name.removeprefix(INIT_ONLY).removesuffix(".j2").replace("pre-commit", ".pre-commit")
        )
        raise UsageError(
            f"{name} is only used by `pmctl init`, before the repository exists: an override "
            "of it would never be read",
            hint=f"edit the {written} that `pmctl init` wrote instead",
        )
    target = root / OVERRIDE_DIR / name
    if target.exists() and not force:
        raise UsageError(f"{target} already exists", hint="pass --force to overwrite it")
    _refuse_links_out(target, root)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(builtin_dir("templates") / name, target)
    return target
