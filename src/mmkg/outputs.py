"""Outputs that are safe and repeatable: folders written all at once (a failed step never
leaves a half-written folder), and graphs written the same way every time.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> with staged_folder(root / "out") as staging:
...     _ = (staging / "a.txt").write_text("a")
>>> sorted(p.name for p in (root / "out").iterdir())
['a.txt']
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.term import Node

__all__ = ["staged_folder", "canonical_graph", "write_graph"]


@contextmanager
def staged_folder(out_dir: Path, carry_over: bool = False) -> Iterator[Path]:
    """Yield an empty folder beside *out_dir* that replaces it when the block succeeds.

    On an error the staging folder is removed and *out_dir* stays as it was. With
    *carry_over*, entries of the old *out_dir* that the block did not write are moved into
    the new one (the build keeps the release and other steps' outputs this way).
    """
    out_dir = Path(out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=out_dir.parent))
    staging.chmod(0o755)
    try:
        yield staging
        if carry_over and out_dir.is_dir():
            for entry in out_dir.iterdir():
                if not (staging / entry.name).exists():
                    shutil.move(str(entry), staging / entry.name)
        if not out_dir.exists():
            staging.rename(out_dir)
            return
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-old-", dir=out_dir.parent))
        old.rmdir()
        out_dir.rename(old)
        try:
            staging.rename(out_dir)
        except OSError:
            old.rename(out_dir)
            raise
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


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
