"""Run Jinja templates in a sandbox, within a time limit.

Templates come from the organisation, not from mmnpress, and one that loops
for ever, computes something huge or reaches for Python internals must fail
with one clear line naming it. Every renderer that fills a Jinja template
(the Word renderer through docxtpl, and any later one) renders with
`environment()` inside `guarded(template_name)`:

    with guarded(name):
        html = environment().from_string(source).render(context)

The environment is sandboxed, autoescapes and makes a missing variable an
error; it intercepts calls, `*`, `**` and `%` to bound sizes Python cannot
interrupt once started; `guarded` ends a render after `RENDER_SECONDS`.
"""

from __future__ import annotations

import contextlib
import functools
import re
import time
from collections.abc import Iterator

from ..errors import RenderError

RENDER_SECONDS = 10
# A template may not make a sequence longer, or pass a number larger, than this:
# one huge C-level operation ('a' * 10**9, 'a'.center(10**9)) cannot be interrupted.
MAX_REPEAT = 1_000_000
_HUGE_WIDTH = re.compile(r"\d{7,}")  # a width in a format string such as %0999999999d


@contextlib.contextmanager
def guarded(template_name: str) -> Iterator[None]:
    """Render within RENDER_SECONDS; turn whatever the template does wrong into one RenderError line."""
    from jinja2 import TemplateError
    from jinja2.sandbox import SecurityError

    try:
        with _time_limit(RENDER_SECONDS):
            yield
    except RenderTimeout as error:
        raise RenderError(f"{template_name}: {error}") from None
    except RenderError:
        raise
    except (SecurityError, _TooBig) as error:
        raise RenderError(f"{template_name}: template refused by the sandbox: {error}") from None
    except TemplateError as error:
        raise RenderError(f"{template_name}: template error: {error}") from None
    except RecursionError:
        raise RenderError(f"{template_name}: template recurses without end") from None
    except Exception as error:  # noqa: BLE001 - whatever a template does wrong is the template's problem
        message = " ".join(f"{type(error).__name__}: {error}".split())[:300]
        raise RenderError(f"{template_name}: template failed: {message}") from None


@functools.lru_cache(maxsize=1)
def environment():
    """Return the one sandboxed, autoescaping, strict Jinja environment, caching compiled templates."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class CachingSandbox(_BoundedSandbox, SandboxedEnvironment):
        compiled: dict = {}

        def from_string(self, source, globals=None, template_class=None):
            if globals is not None or template_class is not None or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            if source not in self.compiled:
                if len(self.compiled) > 64:
                    self.compiled.clear()
                self.compiled[source] = super().from_string(source)
            return self.compiled[source]

    env = CachingSandbox(autoescape=True, undefined=StrictUndefined)
    env.filters = {name: _bounded(function) for name, function in env.filters.items()}
    return env


class _BoundedSandbox:
    """Sandbox hooks that bound time and size where Python cannot interrupt.

    Every call a template makes checks the render's deadline, which bounds
    nested loops in any thread. `*` and `**` are intercepted, which also stops
    Jinja from folding `'a' * 10**9` or `9 ** 10**9` while it compiles.
    """

    intercepted_binops = frozenset({"*", "**", "%"})

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        _deadline.check()
        _check_arguments(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj, attribute):
        _check_attribute(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        _check_attribute(obj, argument)
        return super().getitem(obj, argument)

    def call_binop(self, context, operator, left, right):
        _deadline.check()
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left).bit_length() * right > 10_000:
            raise _TooBig(f"{left} ** {right} is too large")
        if operator == "*" and _repeat_size(left, right) > MAX_REPEAT:
            raise _TooBig(f"repeating a {type(left).__name__} to {_repeat_size(left, right)} items")
        if operator == "%" and isinstance(left, str):
            _check_format(left)
        return super().call_binop(context, operator, left, right)


def _bounded(function):
    """Wrap a Jinja filter so that huge size parameters are refused before it runs."""

    value_at = 1 if hasattr(function, "jinja_pass_arg") else 0  # after the context or environment, if passed

    @functools.wraps(function)
    def bounded(*args, **kwargs):
        _deadline.check()
        _check_arguments(args[value_at + 1:], kwargs)
        if function.__name__ == "do_format" and len(args) > 0 and isinstance(args[0], str):
            _check_format(args[0])
        return function(*args, **kwargs)

    return bounded


def _check_attribute(obj, name) -> None:
    _deadline.check()
    if name in ("format", "format_map") and isinstance(obj, str):
        _check_format(obj)


def _check_arguments(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and abs(value) > MAX_REPEAT:
            raise _TooBig(f"the number {value} is too large for a template")


def _check_format(text: str) -> None:
    if _HUGE_WIDTH.search(text):
        raise _TooBig("a format width of seven digits or more")


def _repeat_size(left, right) -> int:
    """Return how many items `left * right` makes when it repeats a sequence, else 0."""
    if isinstance(right, int) and hasattr(left, "__len__"):
        return len(left) * right
    if isinstance(left, int) and hasattr(right, "__len__"):
        return len(right) * left
    return 0


class _TooBig(Exception):
    """Raise when a template computes something too large to finish."""


class _Deadline:
    """The end of the current render, per thread; `check` raises once it has passed."""

    def __init__(self) -> None:
        import threading

        self.local = threading.local()

    def check(self) -> None:
        end = getattr(self.local, "end", None)
        if end is not None and time.monotonic() > end:
            self.local.end = None
            raise RenderTimeout(f"template rendering took longer than {RENDER_SECONDS:g} s")


class RenderTimeout(RenderError):
    """Raise when rendering a template runs past its time limit."""


_deadline = _Deadline()


class _time_limit:
    """Interrupt template rendering that runs longer than `seconds`.

    In the main thread (also a worker process's) SIGALRM interrupts anything
    Python runs. In other threads the sandbox checks the deadline at every
    call, and a trace function checks it on every line of template code, so
    a loop without calls ends too.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.armed = self.tracing = False

    def __enter__(self):
        import signal
        import sys
        import threading

        _deadline.local.end = time.monotonic() + self.seconds
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            self.previous = signal.signal(signal.SIGALRM, self._expired)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self.armed = True
        elif sys.gettrace() is None:
            sys.settrace(_trace_templates)
            self.tracing = True
        return self

    def _expired(self, *_):
        raise RenderTimeout(f"template rendering took longer than {self.seconds:g} s")

    def __exit__(self, *_):
        import signal
        import sys

        _deadline.local.end = None
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous if self.previous is not None else signal.SIG_DFL)
        if self.tracing:
            sys.settrace(None)
        return False


def _trace_templates(frame, event, _):
    """Check the deadline at each call; trace the lines of code Jinja compiled from a template."""
    _deadline.check()
    return _trace_lines if frame.f_code.co_filename == "<template>" else None


def _trace_lines(frame, event, _):
    _deadline.check()
    return _trace_lines
