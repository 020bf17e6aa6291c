"""A budget per letter, not per construct: what one rendering may produce, loop, call and spend.

Capping constructs one by one (`range()` here, `*` there) leaves the others open: nested loops
over a long string, a macro that calls itself twice per level, `~` in a loop, a `{% set %}`
block. So every template is metered where all of those meet: each printed value, each piece
of template text, each `~`, each result of an operator, call, filter or slice counts its characters
(or items); each step of any `{% for %}` counts, whatever it loops over; each macro call
counts, and how deeply calls nest; and the CPU time of the whole rendering has a deadline,
checked at every one of those points and at every comparison and test, so no stretch of
template code between two readings of the clock can run long. A letter is a few thousand characters and a few
hundred steps, so the budgets sit far above any real letter and far below harm.

`meter(tree)` rewrites a parsed template so its output, loops and `~` pass through the
filters in FILTERS; the sandbox counts calls and operators itself. Includes share the
budget of the template that includes them.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Iterator
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SecurityError
from jinja2.visitor import NodeTransformer

#: Characters (or list items) one letter may produce, counted at every step that makes them.
MAX_OUTPUT = 1_000_000
#: Loop steps one letter may take, over any iterable, nested loops counted together.
MAX_STEPS = 100_000
#: Macro calls (and recursive `loop()` calls) one letter may make.
MAX_CALLS = 10_000
#: How deeply macro calls may nest.
MAX_DEPTH = 50
#: CPU seconds one letter's rendering may take (the Bonn letters take a few milliseconds).
MAX_SECONDS = 2.0
#: The clock is read at every loop step and call, and once per this many other metered points.
_CLOCK_EVERY = 16


class LimitError(SecurityError):
    """A template asked for more text, a larger number or more loop steps than a letter needs."""


def _overtime() -> str:
    return f"rendering the letter took more than {MAX_SECONDS:g} s of CPU time"


class Budget:
    """What one letter has spent so far."""

    __slots__ = ("calls", "deadline", "depth", "events", "output", "steps")

    def __init__(self, seconds: float | None = None) -> None:
        self.output = self.steps = self.calls = self.depth = self.events = 0
        self.deadline = time.process_time() + (MAX_SECONDS if seconds is None else seconds)

    def _tick(self, every: int = 1) -> None:
        self.events += 1
        if self.events % every == 0 and time.process_time() > self.deadline:
            raise LimitError(_overtime())

    def produce(self, size: int) -> None:
        self.output += size
        if self.output > MAX_OUTPUT:
            raise LimitError(f"the letter produced more than {MAX_OUTPUT:,} characters")
        self._tick(_CLOCK_EVERY)

    def tick(self) -> None:
        """A point where work happens but nothing is made (a comparison, a test)."""
        self._tick(_CLOCK_EVERY)

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise LimitError(f"loops ran more than {MAX_STEPS} times in one letter")
        self._tick()

    @contextlib.contextmanager
    def call(self) -> Iterator[None]:
        self.calls += 1
        if self.calls > MAX_CALLS:
            raise LimitError(f"macros were called more than {MAX_CALLS:,} times in one letter")
        if self.depth >= MAX_DEPTH:
            raise LimitError(f"macro calls or recursive loops nested deeper than {MAX_DEPTH}")
        self._tick()
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1


_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("budget", default=None)


@contextlib.contextmanager
def letter_budget(seconds: float | None = None) -> Iterator[Budget]:
    """A fresh budget for everything rendered inside the block, unless one is already running."""
    running = _current.get()
    if running is not None:
        yield running
        return
    budget = Budget(seconds)
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)


def current() -> Budget:
    """The running budget (every `render()` starts one when none is running)."""
    budget = _current.get()
    return budget if budget is not None else Budget()


def size_of(value: Any) -> int:
    if isinstance(value, str | bytes | list | tuple | dict | set | frozenset):
        return len(value)
    return 0


def produced(value: Any) -> Any:
    """Count a value a template made; return it unchanged."""
    current().produce(size_of(value))
    return value


class Counted:
    """An iterable whose every step is counted; keeps `len()` so `loop.length` costs nothing."""

    __slots__ = ("_items",)

    def __init__(self, items: Any) -> None:
        self._items = items

    def __iter__(self) -> Iterator[Any]:
        budget = current()
        for item in self._items:
            budget.step()
            yield item

    def __len__(self) -> int:
        return len(self._items)


@jinja2.pass_context
def _out(context: Any, value: Any) -> Any:
    current().produce(len(value) if isinstance(value, str) else len(str(value)) if value is not None else 0)
    return value


@jinja2.pass_context
def _text(context: Any, value: Any, size: int) -> Any:
    current().produce(size)
    return value


@jinja2.pass_context
def _made(context: Any, value: Any) -> Any:
    return produced(value)


@jinja2.pass_context
def _tick(context: Any, value: Any) -> Any:
    current().tick()
    return value


@jinja2.pass_context
def _loop(context: Any, items: Any) -> Any:
    return items if isinstance(items, Counted) else Counted(items)


#: The filters `meter` inserts; pass_context keeps Jinja from running them at compile time.
FILTERS = {"_budget_out": _out, "_budget_text": _text, "_budget_loop": _loop, "_budget_made": _made,
           "_budget_tick": _tick}


def _filter(node: nodes.Node, name: str, *args: Any) -> nodes.Filter:
    return nodes.Filter(node, name, [nodes.Const(a) for a in args], [], None, None, lineno=node.lineno)


class _Meter(NodeTransformer):
    def visit_For(self, node: nodes.For) -> nodes.For:
        self.generic_visit(node)
        node.iter = _filter(node.iter, "_budget_loop")
        return node

    def visit_Output(self, node: nodes.Output) -> nodes.Output:
        self.generic_visit(node)
        fixed = sum(len(child.data) for child in node.nodes if isinstance(child, nodes.TemplateData))
        node.nodes = [child if isinstance(child, nodes.TemplateData) else _filter(child, "_budget_out")
                      for child in node.nodes]
        if fixed:
            node.nodes.append(_filter(nodes.Const("", lineno=node.lineno), "_budget_text", fixed))
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Filter:
        self.generic_visit(node)
        return _filter(node, "_budget_out")

    def visit_Getitem(self, node: nodes.Getitem) -> nodes.Expr:
        self.generic_visit(node)
        return _filter(node, "_budget_made") if isinstance(node.arg, nodes.Slice) else node

    def visit_Compare(self, node: nodes.Compare) -> nodes.Filter:
        self.generic_visit(node)
        return _filter(node, "_budget_tick")

    def visit_Test(self, node: nodes.Test) -> nodes.Filter:
        self.generic_visit(node)
        return _filter(node, "_budget_tick")


def meter(tree: nodes.Template) -> nodes.Template:
    """The parsed template with its output, loops and `~` counted against the letter's budget."""
    return _Meter().visit(tree)
