"""Synthetic data at N models, in the project's own record format (issue 12, part 1).

`generate(n, out)` copies data/ to *out* and adds *n* made-up models that every check of
`mmkg build` accepts, shaped like a model hub rather than like the survey:

- components reused with a heavy tail (the k-th most used component of a role is picked
  with weight 1/k: a few encoders and backbones carry most models, as CLIP and LLaMA do);
- a lineage forest: about 60% of the models derive from one earlier model (fine-tune,
  adapter, quantisation; parents chosen with preferential attachment, so some have
  thousands of descendants), and 5% merge two earlier ones, as the Hugging Face hub's
  model trees do;
- an organisation each (heavy-tailed over the real ones) and the survey's two divisions,
  so the data-gap warnings are those of a hub (no paper), one per model, not four;
- one to three variants per model with an LLM backbone, a quarter of them with scores on
  the real Table 2 benchmarks (appended to the scratch copy's table2.csv).

Nothing here is a fact: the models, their source ("synthetic") and their scores exist only in
the scratch folder, for benchmarks. The same n and seed give the same bytes.

    python benchmarks/synthetic.py 1000 /tmp/mmkg-1k [--jsonl]
"""

from __future__ import annotations

import contextlib
import csv
import json
import random
import shutil
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mmkg.paths import DATA_DIR  # noqa: E402

SOURCE = {
    "slug": "synthetic",
    "label": "Synthetic benchmark data (benchmarks/synthetic.py)",
    "kind": "repository",
    "url": "https://example.org/mmkg/synthetic",
}
LINEAGE = [("fine-tuned-from", 0.35), ("adapter-of", 0.15), ("quantized-from", 0.10)]
MERGED = 0.05
#: The file that marks a data folder as written here: only such a folder is ever replaced.
MARKER = ".synthetic"
SCORED = 0.25
FIRST_DAY, DAYS = date(2024, 1, 1), 700
SHAPES = [
    (["image", "text"], ["text"]),
    (["video", "text"], ["text"]),
    (["image", "text"], ["image", "text"]),
    (["audio", "text"], ["text"]),
]


@dataclass
class Pools:
    """The real components of each role, most reused first, and the real benchmarks."""

    by_role: dict[str, list[str]]
    benchmarks: list[tuple[str, float, float]]  # column, lowest and highest real score
    organisations: list[str]


def _pools(data: Path) -> Pools:
    by_role: dict[str, list[str]] = {}
    for path in sorted((data / "components").glob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        for role in record.get("roles", []):
            by_role.setdefault(role, []).append(path.stem)
    scores: dict[str, list[float]] = {}
    with (data / "external" / "survey" / "table2.csv").open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            scores.setdefault(row["benchmark"], []).append(float(row["score"]))
    organisations = sorted(path.stem for path in (data / "organisations").glob("*.yaml"))
    return Pools(by_role, [(c, min(s), max(s)) for c, s in sorted(scores.items())], organisations)


def _zipf(rng: random.Random, items: list[str]) -> str:
    weights = [1 / (k + 1) for k in range(len(items))]
    return rng.choices(items, weights)[0]


def _model(i: int, n: int, rng: random.Random, pools: Pools, parents: list[int]) -> dict:
    slug = f"syn-{i:07d}"
    day = FIRST_DAY + timedelta(days=i * DAYS // max(n, 1))
    inputs, outputs = SHAPES[rng.choices(range(len(SHAPES)), [70, 15, 10, 5])[0]]
    architecture = {
        "modality-encoder": [{"component": _zipf(rng, pools.by_role["modality-encoder"])}],
        "input-projector": [{"component": _zipf(rng, pools.by_role["input-projector"])}],
        "llm-backbone": [{"component": _zipf(rng, pools.by_role["llm-backbone"])}],
    }
    if "image" in outputs:
        architecture["modality-generator"] = [
            {"component": _zipf(rng, pools.by_role["modality-generator"])}
        ]
    record: dict = {
        "name": f"Syn-{i:07d}",
        "stated": [
            {
                "source": "synthetic",
                "locator": f"model {i}",
                "released": day.isoformat(),
                "input_modalities": inputs,
                "output_modalities": outputs,
                "functional_division": "generation" if "image" in outputs else "understanding",
                "design_division": "end-to-end",
                "organisations": [_zipf(rng, pools.organisations)],
                "architecture": architecture,
            }
        ],
    }
    links = []
    draw = rng.random()
    if parents and draw < MERGED and len(parents) > 1:
        for target in sorted(set(rng.sample(parents, 2))):
            links.append({"target": f"syn-{target:07d}", "kind": "merged-from"})
    elif parents:
        edge = draw - MERGED
        for kind, share in LINEAGE:
            if edge < share:
                # preferential attachment: a parent already picked is likely to be picked again
                links.append({"target": f"syn-{rng.choice(parents):07d}", "kind": kind})
                break
            edge -= share
    for link in links:
        link.update(confidence="paper", sources=[{"source": "synthetic", "locator": slug}])
    if links:
        record["derived_from"] = links
    backbones = pools.by_role["llm-backbone"]
    record["variants"] = [
        {
            "slug": f"{slug}-v{v}",
            "name": f"Syn-{i:07d} v{v}",
            "llm_backbone": _zipf(rng, backbones),
            "sources": [{"source": "synthetic", "locator": f"{slug} variant {v}"}],
        }
        for v in range(1, rng.choice([1, 1, 2, 3]) + 1)
    ]
    return record


def generate(n: int, out: Path, seed: int = 2401, jsonl: bool = False) -> Path:
    """Copy data/ to *out*/data and add *n* synthetic models; return the data folder.

    With *jsonl*, the models are lines of one ``models/synthetic.jsonl`` (the bulk path)
    instead of one YAML file each: the same records, and the same graph.
    """
    rng = random.Random(seed)
    data = out / "data"
    if data.exists():
        if not (data / MARKER).is_file():
            raise SystemExit(
                f"{data}: exists and was not written by benchmarks/synthetic.py (no {MARKER}); "
                "choose another folder or remove it yourself"
            )
        shutil.rmtree(data)
    shutil.copytree(DATA_DIR, data)
    (data / MARKER).write_text(f"synthetic data: {n} models, seed {seed}\n", encoding="utf-8")
    pools = _pools(data)
    with (data / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(yaml.safe_dump([SOURCE], sort_keys=False))
    table2 = (data / "external" / "survey" / "table2.csv").open("a", encoding="utf-8")
    writer = csv.writer(table2, lineterminator="\n")
    parents: list[int] = []  # one entry per child: preferential attachment
    bulk = (data / "models" / "synthetic.jsonl").open("w", encoding="utf-8") if jsonl else None
    with table2, bulk or contextlib.nullcontext():
        for i in range(1, n + 1):
            record = _model(i, n, rng, pools, parents)
            for link in record.get("derived_from", []):
                parents.append(int(link["target"].split("-")[1]))
            parents.append(i)
            for variant in record["variants"]:
                if rng.random() >= SCORED:
                    continue
                key = {"model": record["name"], "llm_backbone": variant["name"]}
                variant["table2"] = key
                for column, low, high in rng.sample(pools.benchmarks, 4):
                    score = round(rng.uniform(low, high), 1)
                    writer.writerow(
                        [key["model"], key["llm_backbone"], column, score, "", "synthetic"]
                    )
            if bulk is not None:
                line = {"slug": f"syn-{i:07d}", **record}
                bulk.write(json.dumps(line, ensure_ascii=False) + "\n")
                continue
            text = yaml.safe_dump(record, sort_keys=False, allow_unicode=True)
            (data / "models" / f"syn-{i:07d}.yaml").write_text(text, encoding="utf-8")
    return data


if __name__ == "__main__":
    bulk = "--jsonl" in sys.argv[1:]
    size, folder = (a for a in sys.argv[1:] if a != "--jsonl")
    target = generate(int(size), Path(folder), jsonl=bulk)
    form = "lines of models/synthetic.jsonl" if bulk else "YAML files"
    print(f"wrote {target} ({size} synthetic models beside the real ones, as {form})")
