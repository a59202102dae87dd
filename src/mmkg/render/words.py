"""People's words for the tables of the queries and analyses pages.

A SPARQL variable or an analysis column becomes a plain heading (``modelLabel`` -> "model",
``pre_training_scale`` -> "pre-training scale"); a large count in a column of data sizes or
parameter counts is written short (``7000000000`` -> "7B"); an ontology property named in a
cell (``fineTunedFrom``, ``-[isTrendSuccessorOf]->`` or its full IRI) is written as its
``rdfs:label``, read from the store.

>>> plain_heading("modelLabel"), plain_heading("variantALabel"), plain_heading("half_year")
('model', 'variant A', 'half-year')
>>> plain_heading("mean_relative_difference_pct"), plain_heading("noPretrainingScale")
('mean relative difference (%)', 'no pre-training scale')
>>> plain_heading("pre_training_scale"), plain_heading("Q-Former family")
('pre-training scale', 'Q-Former family')
>>> plain_heading("in: Video")
'in: Video'
>>> compact_number(7_000_000_000), compact_number(600_000), compact_number(1_250_000)
('7B', '600K', '1.25M')
>>> is_size_column("parameters"), is_size_column("pre_training_scale"), is_size_column("models")
(True, True, False)
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from mmkg.queries import PREFIXES, run_sparql

__all__ = [
    "plain_heading",
    "COMPACT_MIN",
    "compact_number",
    "exact_number",
    "is_size_column",
    "property_labels",
    "PropertyWords",
]

ONTOLOGY = "https://w3id.org/mmkg/ontology#"

#: Words written otherwise than by splitting the variable's name.
_WORDS = {
    "sft": "SFT",
    "rlhf": "RLHF",
    "llm": "LLM",
    "pct": "(%)",
    "iri": "IRI",
    "url": "URL",
    "io": "I/O",
    "pretraining": "pre-training",
}
#: Whole headings written otherwise.
_HEADINGS = {
    "toolUsing": "tool-using",
    "endToEnd": "end-to-end",
    "anyToAny": "any-to-any",
    "half_year": "half-year",
    "trainImagesSeen": "training images seen",
    "half": "half of the year",
}
_PREFIXES = {"pre", "post", "re", "non", "multi", "co", "sub"}
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
#: Columns whose large numbers are sizes: of data (scale, pairs, images...) or of models.
_SIZE_COLUMN = re.compile(
    r"param|scale|tokens|samples|pairs|instances|images|hours|data_?size|dataset_?size",
    re.IGNORECASE,
)
_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


def plain_heading(variable: str) -> str:
    """A column's variable as plain words: no ``Label`` suffix, no camelCase, no snake_case."""
    name = variable.lstrip("?$")
    if not _IDENTIFIER.fullmatch(name):
        return name  # already words ("in: Video", "Q-Former family")
    if name in _HEADINGS:
        return _HEADINGS[name]
    if name.endswith("Label") and len(name) > len("Label"):
        name = name[: -len("Label")]
    words: list[str] = []
    for part in re.split(r"[_\s]+", name):
        for word in _CAMEL.split(part):
            if not word:
                continue
            lower = word.lower()
            if lower in _WORDS:
                words.append(_WORDS[lower])
            elif len(word) == 1 and word.isalpha():
                words.append(word.upper())  # variant_a, scoreB: "variant A", "score B"
            elif word.isupper() and len(word) > 1:
                words.append(word)  # an acronym stays as it is
            else:
                words.append(lower)
    joined: list[str] = []
    for word in words:  # "pre training" -> "pre-training"
        if joined and joined[-1] in _PREFIXES:
            joined[-1] += "-" + word
        else:
            joined.append(word)
    return " ".join(joined) or name


def compact_number(value: float) -> str:
    """A large number as people write sizes: 7B, 600K, 1.25M (three significant digits)."""
    for size, suffix in _SUFFIXES:
        if abs(value) >= size:
            short = f"{value / size:.3g}"
            if "e" in short:  # 1000T and beyond
                short = f"{value / size:,.0f}"
            return short + suffix
    return f"{value:g}"


#: Sizes from this on are written short (7B); below it, as they are (9000)
COMPACT_MIN = 10_000


def exact_number(value: float) -> str:
    """A number with thousands separators, as a short size's title gives it: 7,000,000,000."""
    exact = int(value) if float(value).is_integer() else value
    return f"{exact:,}"


def is_size_column(variable: str) -> bool:
    """Whether a column holds data sizes or parameter counts (by its name)."""
    return bool(_SIZE_COLUMN.search(variable))


def property_labels(store: ox.Store) -> dict[str, str]:
    """The ``rdfs:label`` of every property of the ontology, by local name (English first)."""
    rows = run_sparql(
        store,
        PREFIXES
        + f"""SELECT ?p ?label WHERE {{
            ?p rdfs:label ?label .
            FILTER(STRSTARTS(STR(?p), "{ONTOLOGY}"))
            FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en"))
            FILTER NOT EXISTS {{ ?p a owl:Class }}
        }} ORDER BY ?p DESC(LANG(?label)) ?label""",
    ).rows
    labels: dict[str, str] = {}
    for iri, label in rows:
        local = iri[len(ONTOLOGY) :]
        if local and local[:1].islower():  # a property, not a class or an individual
            labels.setdefault(local, str(label))
    return labels


class PropertyWords:
    """Rewrites the ontology's property names inside a cell as their labels."""

    def __init__(self, labels: dict[str, str]) -> None:
        self.labels = labels
        names = sorted(labels, key=len, reverse=True)
        alternatives = "|".join(re.escape(n) for n in names) or r"(?!x)x"
        self._iri = re.compile(re.escape(ONTOLOGY) + f"({alternatives})\\b")
        self._arrow = re.compile(rf"-\[({alternatives})\]->")
        # a bare name, in parentheses or joined by "+": "linked (initialisedFrom+buildsOn)";
        # only names of two words or more, so "score" or "verbatim" in a sentence stay
        camel = "|".join(re.escape(n) for n in names if _CAMEL.search(n)) or r"(?!x)x"
        self._bare = re.compile(rf"(?<![\w/#.-])({camel})(?![\w-])")

    def __call__(self, text: str) -> str:
        """*text* with every ontology property name written as its label.

        >>> words = PropertyWords({"fineTunedFrom": "fine-tuned from"})
        >>> words("Qwen-VL -[fineTunedFrom]-> Silkie"), words("linked (fineTunedFrom)")
        ('Qwen-VL -[fine-tuned from]-> Silkie', 'linked (fine-tuned from)')
        """
        if not self.labels:
            return text
        text = self._iri.sub(lambda m: self.labels[m.group(1)], text)
        text = self._arrow.sub(lambda m: f"-[{self.labels[m.group(1)]}]->", text)
        return self._bare.sub(lambda m: self.labels[m.group(1)], text)
