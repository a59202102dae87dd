"""The transformers raw layer and its curation: which model type implements which model."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mmkg.load.facts import closest
from mmkg.load.reading import _Collector
from mmkg.records import (
    RawLibrary,
    RawModelType,
    SourceRef,
    TransformersType,
    TransformersTypeTable,
)
from mmkg.sources.transformers_library import is_multimodal_candidate

__all__ = ["Library", "read_library_layer", "library_source"]


@dataclass
class Library:
    """The transformers raw layer, with the curated model type of each architecture."""

    library: RawLibrary | None = None
    types: dict[str, RawModelType] = field(default_factory=dict)
    curated: dict[str, TransformersType] = field(default_factory=dict)

    def candidates(self) -> list[str]:
        """The multimodal text-generation architectures of the layer."""
        return sorted(t for t, r in self.types.items() if is_multimodal_candidate(r))


def read_library_layer(
    col: _Collector, raw_dir: Path, curation: Path, models: set[str], sources: set[str]
) -> Library:
    """Read data/raw/transformers and its curation, checking every reference."""
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
        if entry.model and entry.model not in models:
            near = closest(entry.model, models)
            col.add(
                file,
                entry.model_type,
                f"{where}.model",
                f"refers to unknown model '{entry.model}'",
                f"did you mean '{near}'?" if near else "add the model to data/models",
            )
        for j, ref in enumerate(entry.sources):
            if ref.source not in sources:
                col.add(
                    file,
                    entry.model_type,
                    f"{where}.sources.{j}.source",
                    f"refers to unknown source '{ref.source}'",
                    f"did you mean '{closest(ref.source, sources)}'?",
                )
        lib.curated[entry.model_type] = entry
    return lib


def library_source(lib: Library) -> SourceRef | None:
    """The citation of the library release the raw layer was read from."""
    if lib.library is None:
        return None
    return SourceRef(source="transformers-library", locator=f"transformers {lib.library.version}")
