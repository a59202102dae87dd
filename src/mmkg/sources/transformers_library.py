"""Read the installed Hugging Face ``transformers`` library into ``data/raw/transformers/``.

The library's configuration classes say which sub-models each architecture is made of
(``vision_config``, ``audio_config``, ``text_config`` ...), its auto-class tables say which
task each model class serves, and its modelling source names the projector modules. The
raw layer keeps exactly that, one YAML file per model type, plus ``_library.yaml`` with
the version read. Nothing is interpreted here; curation in ``data/`` links the model types
to models. Importing the same version twice writes the same bytes.

Reading needs ``transformers`` (``pip install -e '.[sources]'``) but not PyTorch: only
configuration classes are instantiated and modelling files are read as text.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import re
import warnings
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mmkg.errors import MmkgError
from mmkg.records import RawLibrary, RawModelType, RawSubModel

__all__ = [
    "TransformersImportError",
    "TransformersImportReport",
    "read_library",
    "import_library",
    "MULTIMODAL_TASKS",
    "curated_types",
    "is_multimodal_candidate",
]

#: The auto-class tables read, by the task name they are recorded under.
TASK_TABLES = {
    "MODEL_MAPPING_NAMES": "base-model",
    "MODEL_FOR_CAUSAL_LM_MAPPING_NAMES": "causal-lm",
    "MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING_NAMES": "seq2seq-lm",
    "MODEL_FOR_MASKED_LM_MAPPING_NAMES": "masked-lm",
    "MODEL_FOR_TEXT_ENCODING_MAPPING_NAMES": "text-encoding",
    "MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING_NAMES": "image-text-to-text",
    "MODEL_FOR_MULTIMODAL_LM_MAPPING_NAMES": "multimodal-lm",
    "MODEL_FOR_SPEECH_SEQ_2_SEQ_MAPPING_NAMES": "speech-seq2seq",
    "MODEL_FOR_TEXT_TO_WAVEFORM_MAPPING_NAMES": "text-to-waveform",
    "MODEL_FOR_IMAGE_MAPPING_NAMES": "image-feature-extraction",
    "MODEL_FOR_ZERO_SHOT_IMAGE_CLASSIFICATION_MAPPING_NAMES": "zero-shot-image-classification",
}
#: Tasks whose models read another modality beside text and write text.
MULTIMODAL_TASKS = ("image-text-to-text", "multimodal-lm")
_PROJECTOR_CLASS = re.compile(
    r"^class (\w*(?:Projector|Connector|Adapter|Merger|Resampler|Perceiver|Aligner)\w*)\(",
    re.M,
)


class TransformersImportError(MmkgError):
    """The ``transformers`` library cannot be read (missing, or of an unexpected shape)."""


@dataclass
class TransformersImportReport:
    """What an import wrote, and which multimodal architectures no curated record covers."""

    version: str
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)


def _quietly(call: Any, *args: Any) -> Any:
    """Call a library function with its warnings and log lines silenced."""
    logger = logging.getLogger("transformers")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(), redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            with redirect_stdout(io.StringIO()):
                return call(*args)
    finally:
        logger.setLevel(level)


def _sub_models(config_class: type) -> list[RawSubModel]:
    """The sub-model keys of a composite configuration and the model type each defaults to."""
    declared = getattr(config_class, "sub_configs", None) or {}
    try:
        default = _quietly(config_class)
    except Exception:  # noqa: BLE001 - a configuration that needs arguments has no default
        default = None
    out = []
    for key in sorted(declared):
        sub_type = getattr(declared[key], "model_type", "") or None
        if default is not None:
            value = getattr(default, key, None)
            sub_type = getattr(value, "model_type", None) or sub_type
        out.append(RawSubModel(key=key, model_type=sub_type or None))
    return out


def _projector_classes(module_name: str) -> list[str]:
    """Projector-like classes defined in the architecture's modelling file, read as text."""
    spec = importlib.util.find_spec("transformers")
    if spec is None or not spec.submodule_search_locations:
        return []
    root = Path(next(iter(spec.submodule_search_locations)))
    path = root / "models" / module_name / f"modeling_{module_name}.py"
    if not path.is_file():
        return []
    return sorted(set(_PROJECTOR_CLASS.findall(path.read_text(encoding="utf-8"))))


def read_library() -> tuple[RawLibrary, dict[str, RawModelType]]:
    """Read the installed library: its version and one raw record per relevant model type.

    The relevant model types are the composite ones (with sub-model configurations),
    those of the multimodal task tables, and every type they name as a sub-model.
    """
    try:
        import transformers

        # imported by module path: the package's lazy attribute asks for PyTorch
        configuration_auto = importlib.import_module("transformers.models.auto.configuration_auto")
        modeling_auto = importlib.import_module("transformers.models.auto.modeling_auto")
    except ImportError as error:
        raise TransformersImportError(
            "the 'transformers' library is not installed: pip install -e '.[sources]'"
        ) from error
    config_names: dict[str, str] = dict(configuration_auto.CONFIG_MAPPING_NAMES)
    modules = {t: configuration_auto.model_type_to_module_name(t) for t in config_names}
    classes: dict[str, dict[str, set[str]]] = {}
    for table, task in TASK_TABLES.items():
        mapping = getattr(modeling_auto, table, None)
        if mapping is None:
            raise TransformersImportError(f"transformers has no table {table}")
        for model_type, names in mapping.items():
            for name in (names,) if isinstance(names, str) else names:
                classes.setdefault(model_type, {}).setdefault(name, set()).add(task)

    def record(model_type: str) -> RawModelType:
        config_class = configuration_auto.CONFIG_MAPPING[model_type]
        return RawModelType(
            model_type=model_type,
            config_class=config_names[model_type],
            module=f"transformers.models.{modules[model_type]}",
            model_classes={
                name: sorted(tasks) for name, tasks in sorted(classes.get(model_type, {}).items())
            },
            sub_models=_sub_models(config_class),
            projector_classes=_projector_classes(modules[model_type]),
        )

    wanted = {
        t
        for t, by_class in classes.items()
        if t in config_names and any(set(MULTIMODAL_TASKS) & ts for ts in by_class.values())
    }
    wanted |= {
        t
        for t in config_names
        if getattr(configuration_auto.CONFIG_MAPPING[t], "sub_configs", None)
    }
    records: dict[str, RawModelType] = {}
    queue = sorted(wanted)
    while queue:
        model_type = queue.pop()
        if model_type in records or model_type not in config_names:
            continue
        records[model_type] = record(model_type)
        queue.extend(s.model_type for s in records[model_type].sub_models if s.model_type)
    library = RawLibrary(
        package="transformers",
        version=transformers.__version__,
        tables=sorted(TASK_TABLES.values()),
        model_types=len(records),
    )
    return library, dict(sorted(records.items()))


def _dump(record: Any) -> str:
    data = record.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def import_library(raw_dir: Path, covered: set[str]) -> TransformersImportReport:
    """Write the raw layer for the installed library; list the uncovered multimodal types.

    *covered* is the set of model types that curated records already name. A raw file of
    a model type that the library no longer has is removed (the layer is machine-written).
    """
    library, records = read_library()
    report = TransformersImportReport(version=library.version)
    raw_dir.mkdir(parents=True, exist_ok=True)
    texts = {"_library.yaml": _dump(library)}
    texts |= {f"{t}.yaml": _dump(r) for t, r in records.items()}
    for name, text in texts.items():
        path = raw_dir / name
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if old == text:
            report.unchanged.append(name)
            continue
        tmp = path.with_name(f".{name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        (report.created if old is None else report.changed).append(name)
    for path in sorted(raw_dir.glob("*.yaml")):
        if path.name not in texts:
            path.unlink()
            report.removed.append(path.name)
    report.uncovered = sorted(
        t for t, r in records.items() if is_multimodal_candidate(r) and t not in covered
    )
    return report


def is_multimodal_candidate(record: RawModelType) -> bool:
    """The library files a model class of this type under a multimodal text-generation task."""
    return any(set(MULTIMODAL_TASKS) & set(tasks) for tasks in record.model_classes.values())


def curated_types(data_dir: Path) -> set[str]:
    """The model types that data/curation/transformers-types.yaml already curates."""
    path = data_dir / "curation" / "transformers-types.yaml"
    if not path.is_file():
        return set()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise TransformersImportError(f"{path}: cannot be read ({error})") from error
    entries = data.get("types", []) if isinstance(data, dict) else []
    return {e["model_type"] for e in entries if isinstance(e, dict) and "model_type" in e}
