"""The YAML reader for data files: plain YAML 1.2 data, nothing else, with bounded work.

``yaml.safe_load`` reads YAML 1.1 and allows more than data files need, some of it harmful:

- duplicate keys (the last one silently wins);
- anchors and aliases, so a small file can expand to billions of values ("billion laughs");
- explicit tags (``!!binary``, ``!!timestamp``, ...), which build bytes, dates or sets;
- YAML 1.1 scalars: ``4_4.7`` and ``1:20`` are numbers, ``yes`` and ``off`` booleans,
  ``017`` octal, and an unquoted ``2023-02-30`` raises ``ValueError`` instead of a YAML error;
- unbounded nesting (``RecursionError``) and unbounded integers (``ValueError`` past 4300
  digits, Python's limit on converting text to int).

This reader refuses each of those with a :class:`DataYamlError` that carries the line and
column and a hint, and reads scalars as YAML 1.2's core schema does, restricted to what
``yaml.safe_dump`` writes unquoted: a string that PyYAML would quote is never read back as
anything but a string.

>>> load_data_yaml("score: 4_4.7\\nok: true\\n")
{'score': '4_4.7', 'ok': True}
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, MappingStartEvent, NodeEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

__all__ = ["MAX_DEPTH", "MAX_INT_DIGITS", "DataYamlError", "load_data_yaml"]

#: The deepest nesting of lists and mappings a data file may have. The deepest real record
#: nests 5 (a model's statement -> architecture -> role -> usage -> modalities); 20 leaves
#: room and stays far below Python's recursion limit.
MAX_DEPTH = 20
#: The most digits an integer may have. Parameter counts, the largest numbers in the data,
#: have 12 digits (their bound, 10^13, has 14), so a longer number is still read and its
#: field's bound names it; but reading stays far below Python's limit of 4300 digits.
MAX_INT_DIGITS = 100

_STANDARD_TAG = "tag:yaml.org,2002:"


class DataYamlError(yaml.MarkedYAMLError):
    """A data file uses YAML that data files never need; ``problem_mark`` says where."""

    def __init__(self, problem: str, mark: yaml.Mark | None, hint: str) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.hint = hint


class _Resolver(BaseResolver):
    """YAML 1.2 core-schema scalars, limited to what ``yaml.safe_dump`` leaves unquoted."""


# Each pattern matches a subset of what PyYAML's YAML 1.1 resolver types the same way, so
# text that safe_dump writes unquoted as a string is never read here as a number or boolean.
_Resolver.add_implicit_resolver(
    _STANDARD_TAG + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver(
    _STANDARD_TAG + "int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Resolver.add_implicit_resolver(
    _STANDARD_TAG + "float",
    re.compile(r"^(?:[-+]?[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?|\.[0-9]+(?:[eE][-+][0-9]+)?)$"),
    list("-+0123456789."),
)
_Resolver.add_implicit_resolver(
    _STANDARD_TAG + "null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


class _Composer(Composer):
    """Builds the node tree, refusing anchors, aliases and tags, and bounding the depth."""

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:  # noqa: ANN401
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise DataYamlError(
                f"uses the alias '*{event.anchor}'",
                event.start_mark,
                "data files use no anchors or aliases: write the value out in full",
            )
        if isinstance(event, NodeEvent) and event.anchor is not None:
            raise DataYamlError(
                f"defines the anchor '&{event.anchor}'",
                event.start_mark,
                "data files use no anchors or aliases: write the value out in full",
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = "!!" + tag.removeprefix(_STANDARD_TAG) if tag.startswith(_STANDARD_TAG) else tag
            raise DataYamlError(
                f"has the tag '{shown}'",
                event.start_mark,
                "remove the tag: data files hold plain text, numbers, lists and mappings "
                "(quote a value to make it text)",
            )
        if not isinstance(event, (SequenceStartEvent, MappingStartEvent)):
            return super().compose_node(parent, index)
        if self._depth >= MAX_DEPTH:
            raise DataYamlError(
                f"nests lists and mappings more than {MAX_DEPTH} deep",
                event.start_mark,
                "flatten the structure: no record needs that much nesting",
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Constructor(SafeConstructor):
    """Builds Python values, refusing duplicate keys, huge integers and lone surrogates."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key: PyYAML's own error says so
                break
            if first is not None:
                raise DataYamlError(
                    f"the key '{key}' is given twice (first at line {first})",
                    key_node.start_mark,
                    "remove one of the two: with both, one value would be lost silently",
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: ScalarNode) -> int:
        text = self.construct_scalar(node)
        digits = len(text.lstrip("+-"))
        if digits > MAX_INT_DIGITS:
            raise DataYamlError(
                f"has a number of {digits} digits; numbers in data files have at most "
                f"{MAX_INT_DIGITS}",
                node.start_mark,
                "check the value for a typing slip (or quote it if it is text)",
            )
        return int(text)

    def construct_yaml_float(self, node: ScalarNode) -> float:
        return float(self.construct_scalar(node))

    def construct_yaml_str(self, node: ScalarNode) -> str:
        text = self.construct_scalar(node)
        for char in text:
            if "\ud800" <= char <= "\udfff":
                raise DataYamlError(
                    f"has a lone surrogate (U+{ord(char):04X}), which is not a character",
                    node.start_mark,
                    "remove the '\\u' escape, or write the character itself in UTF-8",
                )
        return text


_Constructor.add_constructor(_STANDARD_TAG + "int", _Constructor.construct_yaml_int)
_Constructor.add_constructor(_STANDARD_TAG + "float", _Constructor.construct_yaml_float)
_Constructor.add_constructor(_STANDARD_TAG + "str", _Constructor.construct_yaml_str)
for _tag in ("binary", "timestamp", "omap", "pairs", "set"):  # unreachable: tags are refused
    _Constructor.yaml_constructors.pop(_STANDARD_TAG + _tag, None)


class _PythonDataLoader(Reader, Scanner, Parser, _Composer, _Constructor, _Resolver):
    """PyYAML's pure-Python pipeline with the data-file composer, constructor and resolver."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _Composer.__init__(self)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


if yaml.__with_libyaml__:
    from yaml.cyaml import CParser

    class _LibyamlDataLoader(_Composer, CParser, _Constructor, _Resolver):
        """libyaml's scanner and parser (C, about 5 times faster) feeding the same composer.

        The composer comes first in the method order, so the nodes are still built here,
        event by event, with every refusal above; only the events come from C.
        """

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Composer.__init__(self)
            _Constructor.__init__(self)
            _Resolver.__init__(self)

    _DataLoader: type = _LibyamlDataLoader
else:  # PyYAML built without libyaml
    _DataLoader = _PythonDataLoader


def load_data_yaml(text: str) -> Any:  # noqa: ANN401 - whatever the document holds
    """Read one YAML document of a data file; raise a located ``yaml.YAMLError`` if it is bad.

    >>> try:
    ...     load_data_yaml("a: 1\\nb: &x 2")
    ... except DataYamlError as error:
    ...     print(error.problem, "at line", error.problem_mark.line + 1)
    defines the anchor '&x' at line 2
    """
    try:
        return _read(_DataLoader, text)
    except yaml.YAMLError as fast:
        if _DataLoader is _PythonDataLoader:
            raise
        # a bad file: the pure-Python reader says what is wrong in this module's own words
        # (libyaml words a lone surrogate or deep nesting its own way, without a snippet)
        _read(_PythonDataLoader, text)
        raise fast from None  # both refuse it, so this is not reached in practice


def _read(loader_class: type, text: str) -> Any:  # noqa: ANN401
    loader = loader_class(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
