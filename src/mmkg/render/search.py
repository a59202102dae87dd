"""The site-wide search: an index of every entity that has a page, cut into small shards.

Each row is ``[label, kind, url, other names]``, the URL relative to the site root. A row goes in
the shard of each of its word starts: for every name (the label and the other names), every
place a word begins (after a space, hyphen, dot or other non-letter, or at a lower-to-upper case
change: "MiniGPT-4" begins words at "MiniGPT-4", "GPT-4" and "4", "MMBench" at "Bench"), the
normalised text from there to the end of the name ("gpt4") keys the shard by its first two
characters ("gp"), if it has two (a name of one character, "V*", keys on it; these few rows are
in :data:`SHARDS_FILE`, so a one-character query finds them, loads no shard and asks for a
second character). A shard over
:data:`SHARD_BYTES` is split by one more character ("syn" -> "syn0", "syn1", ...; names that are
exactly "syn" go to the shard ``"syn" + EXACT``), so every shard stays small however many
models share a start. Shards are scripts, ``assets/search/<key>.js``, calling
``MMKG_SEARCH_SHARD(key, rows)``, and :data:`SHARDS_FILE` lists the split keys and the shards, so
the search works from ``file://`` with no fetch.

The search script (:mod:`mmkg.render.search_script`) loads the shard list when the box gets
focus and then only the shard of the query's first word (:func:`query_shard`), and ranks it as
before: an exact name first, then names starting with the query, then names holding it, then
names holding every word of it, shorter names first within each, then by kind and label (so
"gpt-4" gives GPT-4 before GPT-4V, and "blip 2", "BLIP2" and "blip-2" all find BLIP-2).

What a query finds: every name it is the start of, or that it starts a word of ("vit-l" finds
"CLIP ViT-L", "gpt" finds "MiniGPT-4", "lava" finds "LLaVA" at its case change "LaVA"), and,
among those, the same order as a search of every row would give. Not found: a query starting
mid-word ("lip" for "BLIP-2", "ingo" for "OpenFlamingo"; "bench" finds "MMBench", its case
change), and, for several words, a name that holds them all but has no word starting with the
first (e.g. "2 blip" keys on "2b"). A query that is exactly a split key
("syn" among a thousand "Syn-..." models) finds the names whose word is exactly that ("Syn")
and asks for more; where those are too many ("family", the last word of every lineage family's
name), the shard keeps only the ones the search would list first.
"""

from __future__ import annotations

import json
import shutil
import string
import unicodedata
from pathlib import Path

from mmkg.render.html import js_literal
from mmkg.render.search_script import SEARCH_CSS, search_script
from mmkg.render.sitedata import SiteData, select

__all__ = [
    "EXACT",
    "KINDS",
    "SEARCH_CSS",
    "SEARCH_JS",
    "SHARDS_FILE",
    "SHARD_BYTES",
    "SHARD_FOLDER",
    "normalise",
    "query_shard",
    "search_entries",
    "search_shards",
    "shard_file",
    "shard_key",
    "word_keys",
    "write_search_index",
]

#: The list of shards and the rows of one-character names
#: (``window.MMKG_SEARCH_SHARDS = {"split": [...], "keys": [...], "short": [...]}``).
SHARDS_FILE = "assets/search-shards.js"
#: The folder of the shards, relative to the site root.
SHARD_FOLDER = "assets/search"
#: A shard whose rows' JSON is bigger than this is split by one more character.
SHARD_BYTES = 40_000
#: Ends the key of a split key's own shard: the names that are exactly the split key.
EXACT = "="
_KEY_LENGTH = 2
_FILE_CHARS = frozenset(string.ascii_lowercase + string.digits)

#: The kind of entity each folder of pages holds, in the order results of equal rank are shown
#: (a page in another folder, or no page, leaves the entity out of the index).
KINDS = {
    "models": "model",
    "components": "component",
    "component-families": "component family",
    "families": "lineage family",
    "benchmarks": "benchmark",
    "datasets": "dataset",
    "organisations": "organisation",
    "modalities": "modality",
}


def search_entries(site: SiteData) -> list[list]:
    """One ``[label, kind, url, other names]`` row per entity with a page, sorted by kind and
    label: the label the site shows, and the graph's other labels and skos:altLabels."""
    names: dict[str, set[str]] = {}
    shown: dict[str, str] = {}
    for iri, name, alternative in select(
        site.store,
        """SELECT ?s ?name ?alt WHERE {
            { ?s rdfs:label ?name BIND(false AS ?alt) }
            UNION { ?s skos:altLabel ?name BIND(true AS ?alt) } FILTER(isIRI(?s)) }
          ORDER BY ?s ?alt ?name""",
    ):
        names.setdefault(iri, set()).add(str(name))
        if not alternative:
            shown.setdefault(iri, str(name))  # the first label, as the entity pages take it
    shown.update({iri: info["label"] for iri, info in site.benchmarks.items()})
    shown.update({iri: info["label"] for iri, info in site.component_info.items()})
    shown.update({iri: data["label"] for iri, data in site.facts.items()})
    order = list(dict.fromkeys(KINDS.values()))
    rows = []
    for iri, label in shown.items():
        url = site.url(iri)
        kind = KINDS.get(url.split("/", 1)[0]) if url and "/" in url else None
        if kind is not None:
            rows.append([label, kind, url, sorted(names.get(iri, set()) - {label})])
    # a lineage family's page is keyed by its root model, whose own page url() gives
    rows += [
        [site.family_name(root), "lineage family", site.family_page(root), []]
        for root, _ in site.families
    ]
    rows.sort(key=lambda row: (order.index(row[1]), row[0].casefold(), row[2]))
    return rows


def normalise(text: str) -> str:
    """*text* as the search script compares it: lower case, no accents, letters and digits."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isalnum() and not 0x300 <= ord(c) <= 0x36F)


def _word_starts(name: str) -> list[int]:
    """Where words begin in *name*: after a non-letter or the start, at a lower-to-upper case
    change ("MiniGPT" at "GPT") and at the last capital of a run followed by a lower-case letter
    ("MMBench" at "Bench", "LLaVA" at "LaVA" and "VA")."""
    starts = []
    for i, char in enumerate(name):
        if not char.isalnum():
            continue
        before = name[i - 1] if i else ""
        after = name[i + 1] if i + 1 < len(name) else ""
        if (
            not before.isalnum()
            or (before.islower() and char.isupper())
            or (before.isupper() and char.isupper() and after.islower())
        ):
            starts.append(i)
    return starts


def word_keys(name: str) -> set[str]:
    """The normalised text from each word start of *name* to its end, two characters or more
    (a name of one character: that character)."""
    whole = normalise(name)
    keys = {normalise(name[i:]) for i in _word_starts(name)}
    return {key for key in keys if len(key) >= _KEY_LENGTH} or ({whole} if whole else set())


def shard_key(text: str, split: set[str]) -> str:
    """The shard of normalised *text*: its first two characters, one more while that is split
    (*text* exactly a split key: that key's own shard, ending in :data:`EXACT`)."""
    key = text[:_KEY_LENGTH]
    while key in split:
        if len(text) == len(key):
            return key + EXACT
        key = text[: len(key) + 1]
    return key


def query_shard(query: str, split: set[str]) -> str:
    """The one shard the search script loads for *query*: its first word's (a first word under
    two characters: the whole query's), as the script's ``queryShard``."""
    whole = normalise(query)
    word = normalise((query.split() or [""])[0])
    word = word if len(word) >= _KEY_LENGTH else whole
    key = shard_key(word, split)
    return shard_key(whole, split) if key.endswith(EXACT) and word != whole else key


def shard_file(key: str) -> str:
    """The shard file of *key*, relative to the site root (a character other than a-z, 0-9 is
    written as its hexadecimal code between underscores)."""
    name = "".join(c if c in _FILE_CHARS else f"_{ord(c):x}_" for c in key)
    return f"{SHARD_FOLDER}/{name}.js"


def _first_found(
    rows: list[list], indices: list[int], query: str, sizes: list[int], limit: int
) -> list[int]:
    """Of *indices*, the rows the search script ranks first for normalised *query* (exact name,
    prefix, substring; shorter; kind; label), as many as *limit* bytes hold (at least one)."""
    order = list(dict.fromkeys(KINDS.values()))

    def best(index: int) -> tuple:
        keys = [normalise(name) for name in [rows[index][0], *rows[index][3]]]
        ranked = [
            (0 if key == query else 1 if key.startswith(query) else 2, len(key))
            for key in keys
            if query in key  # a word of the name is the query: one key at least holds it
        ]
        return (*min(ranked), order.index(rows[index][1]), rows[index][0].casefold())

    kept, total = [], 0
    for index in sorted(indices, key=best):
        total += sizes[index]
        if kept and total > limit:
            break
        kept.append(index)
    return kept


def search_shards(
    rows: list[list], limit: int = SHARD_BYTES
) -> tuple[dict[str, list[list]], set[str]]:
    """The shards of *rows* by key (each row in the shard of each of its word keys, rows in
    their given order) and the split keys: a shard whose rows are over *limit* bytes of JSON
    is split by one more character until only names equal to its key would be left."""
    sizes = [len(json.dumps(row, ensure_ascii=False).encode()) + 1 for row in rows]
    pending: dict[str, set[tuple[str, int]]] = {}
    for index, row in enumerate(rows):
        for name in [row[0], *row[3]]:
            for text in word_keys(name):
                pending.setdefault(text[:_KEY_LENGTH], set()).add((text, index))
    shards: dict[str, list[list]] = {}
    split: set[str] = set()
    while pending:
        key, members = pending.popitem()
        indices = sorted({index for _, index in members})
        if key.endswith(EXACT):  # the rows the search would show first, as many as fit
            kept = _first_found(rows, indices, key.removesuffix(EXACT), sizes, limit)
            shards[key] = [rows[i] for i in sorted(kept)]
            continue
        if sum(sizes[i] for i in indices) <= limit:
            shards[key] = [rows[i] for i in indices]
            continue
        split.add(key)
        for text, index in members:
            child = text[: len(key) + 1] if len(text) > len(key) else key + EXACT
            pending.setdefault(child, set()).add((text, index))
    return shards, split


def write_search_index(out: Path, site: SiteData) -> Path:
    """Write the search's shards and their list under *out* (the site's root); returns the
    list's path."""
    shards, split = search_shards(search_entries(site))
    # one-character names go in the list itself: a one-character query loads no shard
    short = {row[2]: row for key in shards if len(key.rstrip(EXACT)) == 1 for row in shards[key]}
    shards = {key: rows for key, rows in shards.items() if len(key.rstrip(EXACT)) > 1}
    folder = out / SHARD_FOLDER
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for key, rows in shards.items():
        text = f"MMKG_SEARCH_SHARD({js_literal(key)}, {js_literal(rows)});\n"
        (out / shard_file(key)).write_text(text, "utf-8")
    listing = {"split": sorted(split), "keys": sorted(shards), "short": list(short.values())}
    path = out / SHARDS_FILE
    path.write_text(f"window.MMKG_SEARCH_SHARDS = {js_literal(listing)};\n", "utf-8")
    return path


#: The search box's script, ``assets/search.js``.
SEARCH_JS = search_script(
    {
        "KIND_ORDER": list(dict.fromkeys(KINDS.values())),
        "SHARDS_FILE": SHARDS_FILE,
        "SHARD_FOLDER": SHARD_FOLDER + "/",
        "EXACT": EXACT,
    }
)
