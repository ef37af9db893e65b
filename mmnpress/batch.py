"""Build many statements (found by `pipeline.discovery`): skip the unchanged, build the rest in parallel.

One statement builds in this process, as before. Several build in a pool of
processes, as many as pay for their start (see `workers_worth_starting`), each
keeping its renderers (the PDF renderer's fonts and compilers) and one
long-lived pandoc (`pandocworker`) for all the statements it builds. A
failing statement never stops the others; every failure is reported at the end.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from .build import Request, output_dir
from .pipeline.cache import Cache
from .render import Renderers, file_name


@dataclass
class Outcome:
    """How the build of one statement ended: "built", "fresh" (up to date) or "failed"."""

    path: Path
    status: str
    outputs: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    lines: list[str] = field(default_factory=list)
    key: str = ""
    hashes: dict[Path, str] = field(default_factory=dict)
    inputs: list[Path] = field(default_factory=list)  # what the build read, when it got that far
    profile: str = ""  # where the organisation profile came from
    stamps: dict[str, list] = field(default_factory=dict)  # of what the build read, taken as its key was (`cache.stamps`)


def cache_folder(request: Request) -> Path:
    """Return the output folder of `request`, where its cache lives."""
    from .pipeline.project import find_root

    return output_dir(request, find_root(request.path)).resolve()


def build_one(request: Request, cache: Cache, force: bool = False, renderers: Renderers | None = None,
              documents: dict | None = None) -> Outcome:
    """Build `request` unless its outputs are up to date; never raise for bad input.

    `documents`, when given, keeps the last render model of each statement, so a
    rebuild after a change of templates only renders again (the watcher uses it).
    """
    from .errors import MmnpressError, display_path

    started = time.perf_counter()
    try:
        return _build_or_skip(request, cache, force, renderers, started, documents)
    except MmnpressError as error:
        return Outcome(request.path, "failed", seconds=time.perf_counter() - started, lines=error.lines())
    except Exception as error:  # a bug must not stop the other statements
        line = f"{display_path(request.path)}: internal error: {type(error).__name__}: {error}"
        return Outcome(request.path, "failed", seconds=time.perf_counter() - started, lines=[line])


def _build_or_skip(request: Request, cache: Cache, force: bool, renderers: Renderers | None, started: float,
                   documents: dict | None) -> Outcome:
    from .build import output_files, resolve_request
    from .pipeline.cache import build_inputs, build_key, stamps

    resolved = resolve_request(request)
    key, inputs = build_key(resolved, request), build_inputs(resolved)
    read = stamps(inputs)
    outputs = output_files(request, resolved.root)
    if not force and cache.fresh(outputs, key):
        return Outcome(request.path, "fresh", outputs, time.perf_counter() - started, key=key, inputs=inputs, stamps=read)
    result = _build_reusing(request, resolved, renderers, started, documents)
    return Outcome(request.path, "built", result.outputs, result.seconds, key=key, hashes=result.hashes, inputs=inputs,
                   profile=resolved.organisation.describe(), stamps=read)


def _build_reusing(request: Request, resolved, renderers: Renderers | None, started: float, documents: dict | None):
    """Build, reusing the render model kept in `documents` while what it depends on is unchanged."""
    from .build import build_resolved

    if documents is None:
        return build_resolved(request, resolved, renderers, started)
    from .pipeline.cache import document_key

    key, path = document_key(resolved, request), request.path.resolve()
    kept_key, kept = documents.get(path, ("", None))
    result = build_resolved(request, resolved, renderers, started, kept if kept_key == key else None)
    documents[path] = (key, result.document)
    return result


class Batch:
    """The caches of a set of requests, and the loop that builds them."""

    def __init__(self, requests: list[Request], force: bool = False):
        from .pipeline import cache

        self.requests = requests
        self.force = force
        self.folders = {id(r): cache_folder(r) for r in requests}
        self.caches = {folder: cache.load(folder) for folder in set(self.folders.values())}

    def cache_for(self, request: Request) -> Cache:
        """Return the entries of the outputs of `request` only (small enough to send to a worker)."""
        full = self.caches[self.folders[id(request)]]
        names = {file_name(request.path.stem, fmt) for fmt in request.formats}
        return Cache(full.path, {n: e for n, e in full.entries.items() if n in names})

    def record(self, request: Request, outcome: Outcome) -> None:
        """Remember the outputs of a successful build."""
        if outcome.status == "built":
            self.caches[self.folders[id(request)]].record(outcome.hashes, outcome.key)

    def save(self) -> None:
        """Write every cache that changed."""
        for cache in self.caches.values():
            cache.save()

    def run(self, on_done: Callable[[Outcome], None], jobs: int | None = None) -> list[Outcome]:
        """Build every request, calling `on_done` as each ends; return the outcomes in request order."""
        outcomes = {id(r): o for r, o in self._clashes()}
        for outcome in outcomes.values():
            on_done(outcome)
        todo = [r for r in self.requests if id(r) not in outcomes]
        jobs = min(jobs or workers_worth_starting(len(todo)), len(todo))
        try:
            runner = self._serial(todo) if jobs <= 1 else self._parallel(todo, jobs)
            for request, outcome in runner:
                outcomes[id(request)] = outcome
                self.record(request, outcome)
                on_done(outcome)
        finally:
            self.save()
        return [outcomes[id(r)] for r in self.requests if id(r) in outcomes]

    def _clashes(self) -> Iterator[tuple[Request, Outcome]]:
        """Yield a failure for each request that would write over the outputs of an earlier one."""
        from .errors import display_path

        first: dict[tuple[Path, str], Request] = {}
        for request in self.requests:
            earlier = first.setdefault((self.folders[id(request)], request.path.stem), request)
            if earlier is not request:
                line = f"{display_path(request.path)}: writes the same files as {display_path(earlier.path)}; build it on its own or with -o"
                yield request, Outcome(request.path, "failed", lines=[line])

    def _serial(self, requests: list[Request]) -> Iterator[tuple[Request, Outcome]]:
        from contextlib import nullcontext

        from .pipeline import pandocworker
        from .render import kept

        renderers = kept() or Renderers()
        try:
            # one statement: starting the long-lived pandoc would cost what it saves
            with pandocworker.kept() if len(requests) > 1 else nullcontext():
                for request in requests:
                    yield request, build_one(request, self.cache_for(request), self.force, renderers)
        finally:
            if renderers is not kept():
                renderers.close()

    def _parallel(self, requests: list[Request], jobs: int) -> Iterator[tuple[Request, Outcome]]:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        formats = tuple(sorted({f for r in requests for f in r.formats}))
        import multiprocessing

        # Fresh interpreters, not forks: a fork of a process that has run Typst (whose
        # threads hold locks) can hang in the child for ever.
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(formats,), mp_context=spawn) as pool:
            # a worker is told nothing as it renders (`Request.on_rendered` stays in this process)
            futures = {pool.submit(_work, replace(r, on_rendered=None), self.cache_for(r), self.force): r for r in requests}
            try:
                for future in as_completed(futures):
                    yield futures[future], _result(future, futures[future])
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise


def _result(future, request: Request) -> Outcome:
    from .errors import display_path

    try:
        return future.result()
    except Exception as error:  # the worker process died (out of memory, killed)
        return Outcome(request.path, "failed", lines=[f"{display_path(request.path)}: build process failed: {error}"])


# A worker is a fresh interpreter that imports the pipeline and loads the fonts: about 0.8 s
# of CPU, as much as 2 to 3 statements take (12 statements: 3.8 s of CPU in this process,
# 5.3 to 5.7 s in 2 workers). Below 6 statements per worker, starting it gains nothing.
STATEMENTS_PER_WORKER = 6


def workers_worth_starting(statements: int) -> int:
    """Return how many workers pay for their start: one per core left idle by other load, one per 6 statements."""
    idle = cpu_count() - int(os.getloadavg()[0]) if hasattr(os, "getloadavg") else cpu_count()
    return max(1, min(idle, statements // STATEMENTS_PER_WORKER))


def cpu_count() -> int:
    """Return the number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


_WORKER_RENDERERS: Renderers | None = None


def _start_worker(formats: tuple[str, ...]) -> None:
    """Import the pipeline and make this worker's renderers, closed when the worker exits."""
    global _WORKER_RENDERERS
    from multiprocessing.util import Finalize

    from .build import warm_up
    from .pipeline import pandocworker

    warm_up(formats).join()
    _WORKER_RENDERERS = Renderers()
    Finalize(_WORKER_RENDERERS, _WORKER_RENDERERS.close, exitpriority=10)
    pandocworker.start()
    Finalize(None, pandocworker.stop, exitpriority=10)


def _work(request: Request, cache: Cache, force: bool) -> Outcome:
    return build_one(request, cache, force, _WORKER_RENDERERS)
