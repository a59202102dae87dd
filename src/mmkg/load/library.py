"""The transformers raw layer and its curation: which model type implements which model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mmkg.load.facts import closest, did_you_mean
from mmkg.load.reading import _Collector
from mmkg.records import (
    RawLibrary,
    RawModelType,
    SourceRef,
    TransformersSubModel,
    TransformersSubModelTable,
    TransformersType,
    TransformersTypeTable,
)
from mmkg.sources.transformers_library import is_multimodal_candidate

__all__ = ["Library", "read_library_layer", "library_source"]

Reference = Callable[[set[str], str, str, str, str, str], bool]


@dataclass
class Library:
    """The transformers raw layer, with the curated model type of each architecture."""

    library: RawLibrary | None = None
    types: dict[str, RawModelType] = field(default_factory=dict)
    curated: dict[str, TransformersType] = field(default_factory=dict)
    submodels: dict[str, TransformersSubModel] = field(default_factory=dict)

    def candidates(self) -> list[str]:
        """The multimodal text-generation architectures of the layer."""
        return sorted(t for t, r in self.types.items() if is_multimodal_candidate(r))


def read_library_layer(
    col: _Collector,
    raw_dir: Path,
    curation: Path,
    known: dict[str, set[str]],
    ref: Reference,
) -> Library:
    """Read data/raw/transformers and its curation, checking every reference.

    `known` names the slugs a curation may refer to: models, sources, roles, families;
    `ref(known, slug, what, file, record, field)` checks one reference and reports it if wrong
    (naming the kind of record it is, where it is another kind).
    """
    models, sources = known["models"], known["sources"]
    lib = Library()
    if not raw_dir.is_dir():
        return lib
    header = raw_dir / "_library.yaml"
    lib.library = col.validate(
        RawLibrary, col.read_yaml(header, "_library"), col.rel(header), "_library"
    )
    for path in sorted(raw_dir.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        file = col.rel(path)
        record = col.validate(RawModelType, col.read_yaml(path, path.stem), file, path.stem)
        if record is None:
            continue
        if record.model_type != path.stem:
            col.add(file, path.stem, "model_type", f"'{record.model_type}' is not the file name")
            continue
        lib.types[record.model_type] = record
    if not curation.is_file():
        return lib
    file = col.rel(curation)
    table = col.validate(
        TransformersTypeTable, col.read_yaml(curation, "types"), file, "transformers-types"
    )
    for i, entry in enumerate(table.types if table else []):
        where = f"types.{i}"
        if entry.model_type in lib.curated:
            col.add(file, entry.model_type, f"{where}.model_type", "is curated twice")
        if entry.model_type not in lib.types:
            near = closest(entry.model_type, lib.types)
            col.add(
                file,
                entry.model_type,
                f"{where}.model_type",
                "is not a model type of data/raw/transformers",
                f"did you mean '{near}'?" if near else "run `mmkg import-transformers`",
            )
            continue
        if entry.model:
            ref(models, entry.model, "model", file, entry.model_type, f"{where}.model")
        _check_sources(col, entry.sources, sources, file, entry.model_type, where)
        lib.curated[entry.model_type] = entry
    _read_submodels(col, lib, curation.with_name("transformers-submodels.yaml"), known)
    return lib


def _check_sources(
    col: _Collector, refs: list[SourceRef], sources: set[str], file: str, record: str, where: str
) -> None:
    for j, ref in enumerate(refs):
        if ref.source not in sources:
            col.add(
                file,
                record,
                f"{where}.sources.{j}.source",
                f"refers to unknown source '{ref.source}'",
                did_you_mean(ref.source, sources, "add it to data/sources.yaml"),
            )


def _read_submodels(col: _Collector, lib: Library, path: Path, known: dict[str, set[str]]) -> None:
    """The curated component of each sub-model type: its name, role and family."""
    if not path.is_file():
        return
    file = col.rel(path)
    table = col.validate(
        TransformersSubModelTable, col.read_yaml(path, "submodels"), file, "transformers-submodels"
    )
    for i, entry in enumerate(table.submodels if table else []):
        where, record = f"submodels.{i}", entry.model_type
        if entry.model_type in lib.submodels:
            col.add(file, record, f"{where}.model_type", "is curated twice")
        if entry.model_type not in lib.types:
            near = closest(entry.model_type, lib.types)
            col.add(
                file,
                record,
                f"{where}.model_type",
                "is not a model type of data/raw/transformers",
                f"did you mean '{near}'?" if near else "run `mmkg import-transformers`",
            )
            continue
        for fld, kind in (("role", "roles"), ("family", "families")):
            value = getattr(entry, fld)
            if value not in known[kind]:
                near = closest(value, known[kind])
                col.add(
                    file,
                    record,
                    f"{where}.{fld}",
                    f"refers to unknown {fld} '{value}'",
                    f"did you mean '{near}'?" if near else f"add it to data/{kind}",
                )
        _check_sources(col, entry.sources, known["sources"], file, record, where)
        lib.submodels[entry.model_type] = entry


def library_source(lib: Library) -> SourceRef | None:
    """The citation of the library release the raw layer was read from."""
    if lib.library is None:
        return None
    return SourceRef(source="transformers-library", locator=f"transformers {lib.library.version}")
