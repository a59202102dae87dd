"""Outputs that are safe and repeatable: folders written all at once (a failed or interrupted
step never leaves a half-written folder), only where the same command wrote before, and graphs
written the same way every time.

Every folder :func:`staged_folder` writes holds a :data:`MARKER` file naming the command that
wrote it; a folder is replaced only by that command, and a folder that holds anything else
(notes, the data, the project itself) is refused with a message.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> with staged_folder(root / "out", "site") as staging:
...     _ = (staging / "a.txt").write_text("a")
>>> sorted(p.name for p in (root / "out").iterdir())
['.mmkg-output', 'a.txt']
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.term import Node

from mmkg.errors import OutputError, relative
from mmkg.paths import PROJECT_ROOT

__all__ = [
    "MARKER",
    "UNMARKED_OUTPUTS",
    "check_output_folder",
    "check_output_file",
    "staged_folder",
    "staged_file",
    "canonical_graph",
    "write_graph",
]

MARKER = ".mmkg-output"
# What each command wrote at the top of its folder up to mmkg 0.4.0, before folders were
# marked: an unmarked folder that holds nothing else is taken as that command's, so the
# outputs already on disk are replaced after an upgrade; anything else inside means refuse.
UNMARKED_OUTPUTS: dict[str, frozenset[str]] = {
    "build": frozenset(
        {"mmkg.ttl", "mmkg.owl", "mmkg.nt", "mmkg.jsonld", "mmkg-inferred.ttl", "release"}
    ),
    "release": frozenset(
        {
            *("mmkg-ontology.owl", "mmkg-ontology.ttl", "mmkg-data.owl", "mmkg-data.ttl"),
            *("mmkg.owl", "mmkg.ttl", "mmkg.jsonld", "shapes.ttl", "mmkg.sssom.tsv"),
            *("catalog-v001.xml", "docs", "VERSION", "CHANGELOG.md", "void.ttl"),
        }
    ),
    "site": frozenset(
        {
            *(".mmkg-site", "index.html", "queries.html", "analyses.html"),
            *("models", "components", "benchmarks", "graphs", "charts"),
        }
    ),
}
# the site marked its folders before: an unmarked site is taken only if it holds that marker
_UNMARKED_MARKERS = {"site": ".mmkg-site"}
_OUTPUT_NAMES = {
    "build": "build folder",
    "release": "release",
    "site": "site",
    "index": "graph index",
}
# the project's own folders: read by mmkg, never written
_SOURCE_FOLDERS = ("data", "ontology", "queries", "src", "tests", "scripts", ".git", ".venv")


def check_output_folder(path: Path, command: str) -> None:
    """Refuse *path* as the output folder of ``mmkg <command>`` unless mmkg may replace it.

    A folder may be new, empty, marked by the same command (:data:`MARKER`), or unmarked but
    holding only what that command wrote before the marker (:data:`UNMARKED_OUTPUTS`). Never
    the project's folder, its data, ontology, queries or sources, a folder holding the project,
    the home folder, ``/`` or a file.

    >>> try:
    ...     check_output_folder(PROJECT_ROOT / "data" / "models", "build")
    ... except OutputError as error:
    ...     print(str(error).split(": ", 1)[1])
    is inside the project's data/, which mmkg reads and never writes; choose another --out
    """
    folder = Path(path).resolve()
    _refuse_project_places(folder, relative(folder))
    # under a shared lock on the parent, which a swap holds exclusively: a folder is seen
    # before or after another run replaces it, never half-way
    try:
        with _locked_folder(folder.parent, shared=True, create=False):
            _check_folder_contents(folder, command)
    except FileNotFoundError:  # no parent yet: nothing there to refuse
        return
    except NotADirectoryError:
        above = next(p for p in folder.parents if p.exists())
        raise OutputError(
            f"{relative(folder)}: {relative(above)} is a file, not a folder; choose another --out"
        ) from None


def _check_folder_contents(folder: Path, command: str) -> None:
    """:func:`check_output_folder` on what *folder* holds (the caller holds the locks)."""
    shown = relative(folder)
    if not folder.exists():
        return
    if not folder.is_dir():
        raise OutputError(f"{shown}: is a file, not a folder; choose another --out")
    entries = sorted(entry.name for entry in folder.iterdir())
    if not entries:
        return
    what = f"not a {_OUTPUT_NAMES.get(command, f'{command} folder')} written by mmkg"
    if MARKER in entries:
        owner = _owner(folder / MARKER)
        if owner == command:
            return
        if owner is None:
            raise OutputError(
                f"{shown}/: {what}: its {MARKER} marker cannot be read; "
                "choose another --out or remove it yourself"
            )
        raise OutputError(
            f"{shown}/: {what}: its {MARKER} marker says `mmkg {owner}` wrote it, and a folder "
            "belongs to one command; choose another --out"
        )
    foreign = [name for name in entries if name not in UNMARKED_OUTPUTS.get(command, ())]
    old_marker = _UNMARKED_MARKERS.get(command)
    if not foreign and (old_marker is None or old_marker in entries):
        return
    why = (
        f"it holds {_listed(foreign)}, which `mmkg {command}` does not write"
        if foreign
        else f"no {old_marker} either"
    )
    raise OutputError(
        f"{shown}/: {what} (no {MARKER} marker, and {why}); "
        "choose another --out or remove it yourself"
    )


def check_output_file(path: Path) -> None:
    """Refuse *path* as an output file if it is a folder or inside the project's sources.

    >>> try:
    ...     check_output_file(PROJECT_ROOT / "data" / "models")
    ... except OutputError as error:
    ...     print(str(error).split(": ", 1)[1])
    is inside the project's data/, which mmkg reads and never writes; choose another --out
    """
    file = Path(path).resolve()
    shown = relative(file)
    _refuse_project_places(file, shown)
    if file.is_dir():
        raise OutputError(f"{shown}: is a folder, not a file; choose another --out")


def _refuse_project_places(path: Path, shown: str) -> None:
    """Raise if *path* is ``/``, the home folder, the project, a folder above it or its sources."""
    if path.parent == path:
        raise OutputError(f"{shown}: is the root of the file system; choose another --out")
    if path == Path.home().resolve():
        raise OutputError(f"{shown}: is the home folder; choose another --out")
    if path == PROJECT_ROOT or path in PROJECT_ROOT.parents:
        where = "is the project's folder" if path == PROJECT_ROOT else "holds the project"
        raise OutputError(f"{shown}: {where} ({PROJECT_ROOT}); choose another --out")
    for name in _SOURCE_FOLDERS:
        source = PROJECT_ROOT / name
        if path == source or source in path.parents:
            where = "is" if path == source else "is inside"
            raise OutputError(
                f"{shown}: {where} the project's {name}/, which mmkg reads and never writes; "
                "choose another --out"
            )


def _owner(marker: Path) -> str | None:
    """The command a :data:`MARKER` file names, or None if it cannot be read."""
    try:
        command = json.loads(marker.read_text(encoding="utf-8"))["command"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return command if isinstance(command, str) else None


def _listed(names: Iterable[str], shown: int = 3) -> str:
    names = list(names)
    return ", ".join(names[:shown]) + (
        f" and {len(names) - shown} more" if len(names) > shown else ""
    )


@contextmanager
def staged_folder(out_dir: Path, command: str, *, carry_over: bool = False) -> Iterator[Path]:
    """Yield a new folder beside *out_dir* that replaces it when the block succeeds.

    *command* (``build``, ``release``, ``site``) is the command that writes the folder:
    :func:`check_output_folder` refuses an *out_dir* it may not replace, and the new folder
    holds a :data:`MARKER` naming *command* from the start (a release describes it in its
    VoID with the other files). On an error or a Ctrl-C the staging folder is
    removed and *out_dir* stays as it was. With *carry_over*, entries of the old *out_dir*
    that the block did not write are moved into the new one (the build keeps the release and
    the inferred graph this way).

    Runs at the same time are safe: the swap holds an exclusive lock (``flock``) on the parent
    folder and on *out_dir*, so they replace the folder one after the other, and the block
    holds a shared lock on the parent, so a run that replaces the parent (the build, around
    ``build/release``) waits for it. The locks are on the folders themselves: no lock file is
    left behind. A Ctrl-C during the swap is held back until the swap is done.
    """
    out_dir = Path(out_dir).resolve()
    check_output_folder(out_dir, command)
    parent = out_dir.parent
    staging: Path | None = None
    try:
        with _locked_folder(parent, shared=True):
            staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=parent))
            staging.chmod(0o755)
            note = f"written by `mmkg {command}`, which replaces this whole folder on its next run"
            marker = json.dumps({"command": command, "note": note})
            (staging / MARKER).write_text(marker + "\n", encoding="utf-8")
            yield staging
        with ExitStack() as held:
            held.enter_context(_locked_folder(parent))
            if out_dir.is_dir():
                held.enter_context(_locked_folder(out_dir, create=False))
            held.enter_context(_interrupts_held())
            _check_folder_contents(out_dir, command)  # another run may have written it since
            _swap(staging, out_dir, carry_over)
    finally:
        if staging is not None:
            _discard(staging)


def _discard(staging: Path) -> None:
    """Remove *staging* if it is still there (the run failed or was interrupted)."""
    with suppress(FileNotFoundError):  # its folder is gone, and the staging folder with it
        with _locked_folder(staging.parent, shared=True, create=False), _interrupts_held():
            shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, out_dir: Path, carry_over: bool) -> None:
    """Put *staging* in the place of *out_dir* (the caller holds the locks)."""
    carried: list[str] = []
    try:
        if carry_over and out_dir.is_dir():
            for entry in sorted(out_dir.iterdir()):
                if not os.path.lexists(staging / entry.name):
                    os.rename(entry, staging / entry.name)
                    carried.append(entry.name)
        if not out_dir.exists():
            os.rename(staging, out_dir)
            return
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-old-", dir=out_dir.parent))
        old.rmdir()
        os.rename(out_dir, old)
        try:
            os.rename(staging, out_dir)
        except OSError:
            os.rename(old, out_dir)
            raise
    except BaseException:
        for name in carried:  # the swap failed: what was carried over goes back
            os.rename(staging / name, out_dir / name)
        raise
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def staged_file(path: Path) -> Iterator[Path]:
    """Yield a temporary file beside *path* that replaces it when the block succeeds.

    :func:`check_output_file` refuses a *path* that is a folder or inside the project's
    sources. The block holds a shared lock on the folder of *path*, so a build that replaces
    that folder (``build/`` for ``build/mmkg-inferred.ttl``) waits and carries the file over.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "report.txt"
    >>> with staged_file(target) as staging:
    ...     _ = staging.write_text("done")
    >>> target.read_text(), [p.name for p in target.parent.iterdir()]
    ('done', ['report.txt'])
    """
    path = Path(path).resolve()
    check_output_file(path)
    with _locked_folder(path.parent, shared=True):
        descriptor, name = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
        os.close(descriptor)
        staging = Path(name)
        try:
            staging.chmod(0o644)
            yield staging
            with _interrupts_held():
                check_output_file(path)
                os.replace(staging, path)
        finally:
            with _interrupts_held():
                staging.unlink(missing_ok=True)


@contextmanager
def _locked_folder(folder: Path, *, shared: bool = False, create: bool = True) -> Iterator[None]:
    """Hold a lock on *folder* itself: shared to write inside it, exclusive to change it.

    A missing *folder* is made (with *create*) under a shared lock on its parent, so never in
    the instant a run swaps it. A folder swapped away while waiting is locked again as it
    is now.
    """
    while True:
        try:
            descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            if not create:
                raise
            with _locked_folder(folder.parent, shared=True):
                folder.mkdir(exist_ok=True)
            continue
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
            try:
                current = os.stat(folder)
            except FileNotFoundError:
                continue
            if os.path.samestat(os.fstat(descriptor), current):
                yield
                return
        finally:
            os.close(descriptor)  # and the lock with it


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold a Ctrl-C (SIGINT) back until the block is done, then deliver it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
        if caught:
            signal.raise_signal(signal.SIGINT)


def canonical_graph(graph: Graph) -> Graph:
    """A copy of *graph* that every rdflib serialiser writes byte for byte the same.

    Blank nodes get names made from what they hold (their triples, down to the leaves) and
    from where they hang (the subject and property that point to them), and the triples are
    added in sorted order, so neither the parser's random blank-node names nor the order of
    Python's sets reach the files. Two blank nodes with the same content under the same
    subject and property are one class expression said twice, and are written once.

    >>> g = Graph().parse(data="<urn:a> <urn:p> [ <urn:q> 1 ] .", format="turtle")
    >>> [str(o) for o in canonical_graph(g).objects()] == [str(o) for o in canonical_graph(
    ...     Graph().parse(data="<urn:a> <urn:p> [ <urn:q> 1 ] .", format="turtle")).objects()]
    True
    """
    held: dict[BNode, list[tuple[Node, Node]]] = defaultdict(list)
    holders: dict[BNode, list[tuple[Node, Node]]] = defaultdict(list)
    for s, p, o in graph:
        if isinstance(s, BNode):
            held[s].append((p, o))
        if isinstance(o, BNode):
            holders[o].append((s, p))
    content: dict[BNode, str] = {}
    names: dict[BNode, BNode] = {}

    def digest(parts: list[str]) -> str:
        return hashlib.sha1("\n".join(sorted(parts)).encode()).hexdigest()

    def content_of(node: BNode, path: frozenset[BNode]) -> str:
        if node not in content:
            parts = [
                f"{p.n3()} "
                + (
                    content_of(o, path | {node})
                    if isinstance(o, BNode) and o not in path
                    else o.n3()
                )
                for p, o in held[node]
            ]
            content[node] = digest(parts)
        return content[node]

    def name_of(node: BNode, path: frozenset[BNode] = frozenset()) -> BNode:
        if node not in names:
            refs = []
            for s, p in holders[node]:
                holder = name_of(s, path | {node}) if isinstance(s, BNode) and s not in path else s
                refs.append(f"{holder.n3()} {p.n3()}")
            names[node] = BNode("b" + digest([*refs, content_of(node, frozenset())])[:20])
        return names[node]

    def rename(term: Node) -> Node:
        return name_of(term) if isinstance(term, BNode) else term

    out = Graph(store="SimpleMemory")  # dicts all the way down: iterates in insertion order
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=True, replace=True)
    triples = {(rename(s), p, rename(o)) for s, p, o in graph}
    for triple in sorted(triples, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3())):
        out.add(triple)
    return out


def write_graph(graph: Graph, destination: Path, fmt: str) -> None:
    """Serialise a :func:`canonical_graph` to *destination*; JSON-LD nodes sorted by ``@id``.

    rdflib's JSON-LD serialiser walks the subjects through a Python set, so their order
    changes from run to run; the nodes are put in the order of their ``@id``.
    """
    if fmt != "json-ld":
        graph.serialize(destination=destination, format=fmt, encoding="utf-8")
        return
    document = json.loads(graph.serialize(format="json-ld"))
    nodes = document["@graph"] if isinstance(document, dict) else document
    if isinstance(nodes, list):
        nodes.sort(key=lambda node: str(node.get("@id", "")))
    destination.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
