"""Run one query of `mmkg query` or `mmkg sparql` safely: refuse what a read-only graph
must not run, and evaluate the rest in a child process with a time limit and a memory cap.

An engine busy in native code does not see Ctrl-C, and a cartesian product can take all the
memory, so the query runs in a forked child that the command can stop by its process id.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import multiprocessing.connection
import os
import re
import resource
import signal
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from mmkg.endpoint import query_form, strip_noise
from mmkg.queries import Query, QueryError, Table, load_store, run_query, run_sparql

__all__ = [
    "ChildStoppedError",
    "MAX_NESTING",
    "MAX_QUERY_BYTES",
    "check_request",
    "in_guarded_child",
    "run_guarded",
]

T = TypeVar("T")

MAX_QUERY_BYTES = 1_000_000
MAX_NESTING = 200


def check_request(text: str, allow_service: bool = False) -> None:
    """Refuse an update, a federated SERVICE (unless allowed) and a huge or deeply nested query."""
    if len(text.encode("utf-8")) > MAX_QUERY_BYTES:
        raise QueryError(f"the query is larger than {MAX_QUERY_BYTES:,} bytes; refused")
    if query_form(text) == "UPDATE":
        raise QueryError(
            "updates are refused: the graph is read-only here; run SELECT, ASK, CONSTRUCT or "
            "DESCRIBE (to change the graph, change data/ and run `mmkg build`)"
        )
    body = strip_noise(text)
    if re.search(r"\bSERVICE\b", body, flags=re.I) and not allow_service:
        raise QueryError(
            "the query calls a remote SERVICE; federated queries reach the network and are "
            "refused unless you give --allow-service"
        )
    depth = deepest = 0
    for char in body:
        if char in "{(":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})":
            depth -= 1
    if deepest > MAX_NESTING:
        raise QueryError(
            f"the query nests groups or expressions {deepest} deep; more than {MAX_NESTING} "
            "is refused (the engine would overflow its stack)"
        )


def _index_hint(graph: Path) -> str:
    """A hint for a query stopped for memory, when the graph was loaded into memory for it."""
    from mmkg.index import index_state

    if index_state(graph) == "fresh":
        return ""
    size = graph.stat().st_size / 2**20
    return (
        f" (the {size:,.0f} MB graph file was loaded into memory first: `mmkg index` lets "
        "the commands read it from disk)"
    )


class ChildStoppedError(QueryError):
    """A guarded child gave no answer: it ran out of *time* or *memory*, or it *crashed*."""

    def __init__(self, reason: str, signal_number: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.signal_number = signal_number


def _mapped_bytes() -> int:
    """The address space this process maps now (what the parent had when it forked)."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _cap_memory(memory_bytes: int, beyond_mapped: bool) -> None:
    """Let this process map *memory_bytes* (more than it maps now, if *beyond_mapped*),
    never more than a hard limit it already runs under (raising one is refused)."""
    cap = memory_bytes + (_mapped_bytes() if beyond_mapped else 0)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _guarded_child(
    connection: multiprocessing.connection.Connection,
    work: Callable[[], T],
    memory_bytes: int,
    beyond_mapped: bool,
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides
    faulthandler.disable()  # an abort under the memory cap is reported by the parent
    # every outcome goes to the parent through the pipe; what the engine prints as it aborts
    # (Rust's "memory allocation failed", a backtrace) would only repeat it, untidily
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 2)
    os.close(quiet)
    try:
        _cap_memory(memory_bytes, beyond_mapped)
        connection.send(("ok", work()))
    except QueryError as error:
        connection.send(("error", str(error)))
    except MemoryError:
        connection.send(("memory", None))
    except Exception as error:  # noqa: BLE001 - reported to the parent as a message
        connection.send(("error", f"the query failed: {type(error).__name__}: {error}"))
    finally:
        connection.close()


def in_guarded_child(
    work: Callable[[], T], timeout: float, memory_mb: int, *, beyond_mapped: bool = False
) -> T:
    """What *work* returns, computed in a forked child stopped by its process id after
    *timeout* seconds or once it maps *memory_mb* MB (more than the parent maps, with
    *beyond_mapped*; within any hard limit the parent runs under).

    A QueryError in the child is raised here with its message; any other error as "the
    query failed: ..."; a child that ran out of time or memory or died raises ChildStoppedError.
    """
    context = multiprocessing.get_context("fork")  # the child shares the parent's store
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_guarded_child,
        args=(sender, work, memory_mb << 20, beyond_mapped),
        daemon=True,
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise ChildStoppedError("time")
        try:
            status, value = receiver.recv()
        except EOFError:
            child.join(5)
            code = child.exitcode
            if code == -signal.SIGABRT:  # Rust aborts when an allocation fails under the cap
                raise ChildStoppedError("memory") from None
            raise ChildStoppedError(
                "crashed", -code if code is not None and code < 0 else None
            ) from None
    finally:  # on Ctrl-C too: the child is stopped before the interrupt goes on
        if child.is_alive():
            child.kill()
        child.join(10)
        receiver.close()
    if status == "memory":
        raise ChildStoppedError("memory")
    if status != "ok":
        raise QueryError(value)
    return value


def run_guarded(
    graph: Path,
    request: Query | str,
    params: dict[str, str] | None = None,
    timeout: float = 60.0,
    memory_mb: int = 4096,
    allow_service: bool = False,
) -> Table:
    """The answer of a named query (with *params*) or of a SPARQL text, or a QueryError."""
    from mmkg.queries import bound_text

    text = bound_text(request, params) if isinstance(request, Query) else request
    check_request(text, allow_service)
    if not graph.exists():
        raise QueryError(f"{graph}: no such graph file; run `mmkg build` first")
    params = dict(params or {})

    def answer() -> Table:
        store = load_store(graph)
        if isinstance(request, Query):
            return run_query(store, request, params)
        return run_sparql(store, request)

    try:
        return in_guarded_child(answer, timeout, memory_mb)
    except ChildStoppedError as stop:
        if stop.reason == "time":
            raise QueryError(
                f"the query ran longer than {timeout:g} s and was stopped (raise --timeout)"
            ) from None
        if stop.reason == "memory":
            raise QueryError(
                f"the query needed more than {memory_mb} MB of memory and was stopped"
                + _index_hint(graph)
            ) from None
        raise QueryError(
            "the engine stopped without an answer"
            + (f" (signal {stop.signal_number})" if stop.signal_number else "")
            + ": the query is too large or too deeply nested for it"
        ) from None
