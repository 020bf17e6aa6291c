"""The Jinja sandbox, tightened: templates are data, so they may not run for ever or fill the memory.

Jinja's own sandbox already refuses `__class__`, `__globals__` and the other ways into
Python, and caps one `range()` at MAX_RANGE items. It lets a template build a gigabyte
string (`'x' * 10**9`), a number with a billion digits (`9 ** 10**9`), change lists in
place, and nest loops for hours. This environment refuses those, before the work is
done, with a `SecurityError` that the renderer reports with the template's line: no one
value may pass MAX_SIZE, and the whole letter spends from one budget (`budget.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Namespace

from appealkit.render import budget
from appealkit.render.budget import LimitError, letter_budget
from appealkit.source.template_sources import MAX_TEMPLATE_BYTES, read_template

#: The longest text or list a template may make: a whole letter is a few thousand characters.
MAX_SIZE = 100_000
#: The largest number (in bits) that `**` may produce.
MAX_BITS = 4_000


__all__ = ["MAX_SIZE", "MAX_TEMPLATE_BYTES", "HardenedSandbox", "LimitError", "TemplatesLoader"]


def _too_big(what: str) -> SecurityError:
    return LimitError(f"{what} would be larger than {MAX_SIZE} characters or items")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple | dict | set) else 0


def _check_sizes(args: tuple, kwargs: dict) -> None:
    for value in (*args, *kwargs.values()):
        if _size(value) > MAX_SIZE:
            raise _too_big("an argument")


def _check_counts(args: tuple, kwargs: dict) -> None:
    """Numbers that say how wide or how many (`center(10**9)`), not the values a letter prints."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE:
            raise LimitError(f"the number {value} is too large for a width or count (at most {MAX_SIZE})")


def _check_replace(text: str, args: tuple) -> None:
    """`text.replace(old, new)` grows by len(new) for each match, and '' matches everywhere."""
    if len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        matches = text.count(args[0]) if args[0] else len(text) + 1
        if len(text) + matches * len(args[1]) > MAX_SIZE:
            raise _too_big("the replaced text")


def _counted_range(*args: int) -> budget.Counted:
    """`range()` refused past MAX_RANGE items before it starts; its steps count where it is looped over."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise LimitError(f"range() of {len(numbers)} items is longer than {MAX_RANGE}")
    return budget.Counted(numbers)


class _BoundedNamespace(Namespace):
    """`namespace()` whose attributes cannot grow past MAX_SIZE (its loops carry values)."""

    def __setitem__(self, name: str, value: Any) -> None:
        if _size(value) > MAX_SIZE:
            raise _too_big(f"namespace attribute '{name}'")
        super().__setitem__(name, value)


class _BudgetedTemplate(jinja2.Template):
    """A template whose render spends from the letter's budget, or starts one (includes share it)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        with letter_budget():
            return super().render(*args, **kwargs)


class HardenedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with limits on sizes, numbers and loop steps.

    Immutable: `list.append`, `dict.update` and the like are refused, so a value cannot
    double in place. `*`, `**`, `+` and `%` are checked before they run; every call's
    numbers and sizes are checked, which covers `center(10**9)` and `'x'.ljust(10**9)`.
    """

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    template_class = _BudgetedTemplate

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.globals["range"] = _counted_range
        self.globals["namespace"] = _BoundedNamespace
        for name, function in list(self.filters.items()):
            self.filters[name] = _checked_filter(function)
        self.filters.update(budget.FILTERS)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return budget.meter(super()._parse(source, name, filename))

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if _size(sequence) and isinstance(count, int) and _size(sequence) * count > MAX_SIZE:
                    raise _too_big("the repeated text or list")
        elif operator == "**":
            if (isinstance(left, int) and isinstance(right, int)
                    and abs(left) > 1 and right * max(abs(left).bit_length(), 1) > MAX_BITS):
                raise LimitError(f"{left} ** {right} is too large a number for a template")
        elif operator == "+" and _size(left) + _size(right) > MAX_SIZE:
            raise _too_big("the joined text or list")
        elif operator == "%" and isinstance(left, str):
            _check_format(left)
        return budget.produced(super().call_binop(context, operator, left, right))

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_sizes(args, kwargs)
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        # str.format's arguments are values a letter prints (its widths are in the pattern, checked apart)
        if (isinstance(owner, str) and name not in ("format", "format_map")) \
                or name == "generate_lorem_ipsum":
            _check_counts(args, kwargs)
            if isinstance(owner, str) and name == "replace":
                _check_replace(owner, args)
        if isinstance(__obj, Macro | LoopContext):  # a macro, caller() or a recursive loop()
            if isinstance(__obj, LoopContext) and args:
                args = (budget.Counted(args[0]), *args[1:])
            with budget.current().call():
                result = super().call(__context, __obj, *args, **kwargs)
        else:
            result = super().call(__context, __obj, *args, **kwargs)
        if _size(result) > MAX_SIZE:
            raise _too_big("the result of a call")
        return budget.produced(result)

    def wrap_str_format(self, value: Any) -> Any:
        """Jinja 3.1.5 and later send `'{:>999999999}'.format(1)` here: the width is refused before
        the text is made (the size of a call's result is only checked once it exists)."""
        pattern = getattr(value, "__self__", None)
        if isinstance(pattern, str) and getattr(value, "__name__", "") in ("format", "format_map"):
            _check_format(pattern)
        return super().wrap_str_format(value)

    def format_string(self, s: str, args: tuple, kwargs: dict, format_func: Any = None) -> str:
        """Jinja before 3.1.5 formats through this instead of `wrap_str_format`."""
        _check_format(s)
        _check_sizes(args, kwargs)
        return budget.produced(super().format_string(s, args, kwargs, format_func))  # type: ignore[misc]


def _check_format(pattern: str) -> None:
    """Refuse format strings with a width or precision of six digits or more."""
    digits = 0
    for char in pattern:
        digits = digits + 1 if char.isdigit() else 0
        if digits > 5:
            raise LimitError("a width in a format string is too large for a template")


def _checked_filter(function: Any) -> Any:
    """A filter that refuses huge widths, counts and sizes, and a result larger than MAX_SIZE."""
    skip = 2 if hasattr(function, "jinja_pass_arg") else 1

    def checked(*args: Any, **kwargs: Any) -> Any:
        _check_sizes(args[skip - 1:], kwargs)
        _check_counts(args[skip:], kwargs)
        if getattr(function, "__name__", "") == "do_replace" and isinstance(args[skip - 1], str):
            _check_replace(args[skip - 1], args[skip:])
        result = function(*args, **kwargs)
        if _size(result) > MAX_SIZE:
            raise _too_big(f"the result of the filter '{getattr(function, '__name__', '?')}'")
        return budget.produced(result)

    if hasattr(function, "jinja_pass_arg"):
        checked.jinja_pass_arg = function.jinja_pass_arg  # type: ignore[attr-defined]
    checked.__name__ = getattr(function, "__name__", "filter")
    return checked


class TemplatesLoader(jinja2.FileSystemLoader):
    """Loads templates from one folder and refuses a name that leads outside it, links included."""

    def __init__(self, folder: Path):
        super().__init__(str(folder))
        self.folder = Path(folder)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        found = read_template(self.folder, template)
        if found is None:
            raise jinja2.TemplateNotFound(template)
        source, target = found
        filename, mtime = str(target), target.stat().st_mtime

        def uptodate() -> bool:
            try:
                return target.stat().st_mtime == mtime
            except OSError:
                return False

        return source, filename, uptodate
