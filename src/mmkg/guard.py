"""Run one query of `mmkg query` or `mmkg sparql` safely: refuse what a read-only graph
must not run, and evaluate the rest in a child process with a time limit and a memory cap.

An engine busy in native code does not see Ctrl-C, and a cartesian product can take all the
memory, so the query runs in a forked child that the command can stop by its process id.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import re
import resource
import signal
from pathlib import Path

from mmkg.endpoint import query_form, strip_noise
from mmkg.queries import Query, QueryError, Table, load_store, run_query, run_sparql

__all__ = ["check_request", "run_guarded", "MAX_QUERY_BYTES", "MAX_NESTING"]

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


def _child(
    connection: multiprocessing.connection.Connection,
    graph: Path,
    request: Query | str,
    params: dict[str, str],
    memory_bytes: int,
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides
    faulthandler.disable()  # an abort under the memory cap is reported by the parent
    # every outcome goes to the parent through the pipe; what the engine prints as it aborts
    # (Rust's "memory allocation failed", a backtrace) would only repeat it, untidily
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 2)
    os.close(quiet)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        store = load_store(graph)
        if isinstance(request, Query):
            table = run_query(store, request, params)
        else:
            table = run_sparql(store, request)
        connection.send(("ok", table))
    except QueryError as error:
        connection.send(("error", str(error)))
    except MemoryError:
        message = f"the query needed more than {memory_bytes >> 20} MB; stopped"
        connection.send(("error", message + _index_hint(graph)))
    except Exception as error:  # noqa: BLE001 - reported to the parent as a message
        connection.send(("error", f"the query failed: {type(error).__name__}: {error}"))
    finally:
        connection.close()


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
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(sender, graph, request, dict(params or {}), memory_mb << 20)
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryError(
                f"the query ran longer than {timeout:g} s and was stopped (raise --timeout)"
            )
        try:
            status, value = receiver.recv()
        except EOFError:
            child.join(5)
            code = child.exitcode
            if code == -signal.SIGABRT:  # Rust aborts when an allocation fails under the cap
                raise QueryError(
                    f"the query needed more than {memory_mb} MB of memory and was stopped"
                    + _index_hint(graph)
                ) from None
            raise QueryError(
                "the engine stopped without an answer"
                + (f" (signal {-code})" if code is not None and code < 0 else "")
                + ": the query is too large or too deeply nested for it"
            ) from None
    finally:  # on Ctrl-C too: the child is stopped before the interrupt goes on
        if child.is_alive():
            child.kill()
        child.join(10)
        receiver.close()
    if status != "ok":
        raise QueryError(value)
    return value
