"""Read the tracking website's Markdown posts into the raw layer (data/raw/mm-llms-site).

The raw layer holds what a post says, strings verbatim, one YAML file per post.
Nothing here normalises or interprets: that is curation, kept in ``data/`` apart
from this layer, so importing the same posts again leaves every file unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mmkg.errors import SiteImportError
from mmkg.records import RawPaper, RawPost

__all__ = ["ImportReport", "parse_post", "import_posts", "raw_path", "dump_raw"]

KIND_BY_TAG = {
    "MM-LLMs": "model",
    "IT Dataset": "it-dataset",
    "Evaluation Benchmark": "benchmark",
    "Related Survey": "survey",
}
ROLE_BY_HEADING = {
    "Modality Encoder": "modality-encoder",
    "Input Projector": "input-projector",
    "LLM Backbone": "llm-backbone",
    "Output Projector": "output-projector",
    "Modality Generator": "modality-generator",
}
NOT_STATED = {"None", "Not report", ""}

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)
_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]*)\)")
_CODE = re.compile(r"`([^`]*)`")


@dataclass
class ImportReport:
    """What an import wrote: files created, changed, unchanged, and posts not yet curated."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    uncurated: list[str] = field(default_factory=list)


def _io_text(line: str) -> str:
    """Normalise the website's I/O notation: LaTeX arrow to '→', <sub>X</sub> to '_X'."""
    text = line.replace("$\\rightarrow$", "→")
    text = re.sub(r"<sub>([^<]*)</sub>", r"_\1", text)
    return re.sub(r"\s+", " ", text).strip()


def _split_codes(side: str) -> list[str]:
    """Split 'I+A(Speech+Music)+T' on the '+' signs outside parentheses."""
    return [c.strip() for c in re.split(r"\+(?![^()]*\))", side) if c.strip()]


def _split_io(io: str) -> tuple[list[str], list[str]]:
    left, _, right = io.partition("→")
    return _split_codes(left), _split_codes(right)


def _code_or_none(text: str) -> str | None:
    match = _CODE.search(text)
    value = (match.group(1) if match else text).strip()
    return None if value in NOT_STATED else value


def parse_post(path: Path) -> RawPost:
    """Parse one website post into a raw record, strings kept as the site has them."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SiteImportError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    match = _FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not match:
        raise SiteImportError(f"{path}: no YAML front matter between '---' lines")
    try:
        front = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise SiteImportError(f"{path}: front matter is not valid YAML: {exc}") from exc
    tags = front.get("tags") or []
    kinds = [KIND_BY_TAG[t] for t in tags if t in KIND_BY_TAG]
    if len(kinds) != 1:
        raise SiteImportError(
            f"{path}: field 'tags' is {tags!r}; expected exactly one of {sorted(KIND_BY_TAG)}"
        )
    categories = front.get("categories") or []
    if not front.get("title") or not front.get("date") or not categories:
        raise SiteImportError(f"{path}: front matter needs 'title', 'date' and 'categories'")

    data: dict = {
        "post": path.stem,
        "kind": kinds[0],
        "title": str(front["title"]).strip(),
        "date": str(front["date"]),
        "category": str(categories[0]),
    }
    body: list[str] = []
    for line in match.group(2).splitlines():
        # a value that runs over several lines continues on a line with no list marker
        if body and line.strip() and not re.match(r"^(- |  \+ |    \* )", line):
            body[-1] = f"{body[-1]} {line.strip()}"
        else:
            body.append(line)
    section = ""
    subsection = ""
    architecture: dict[str, list[str]] = {}
    it_scale: dict[str, str] = {}
    for line in body:
        stripped = line.strip()
        if not stripped:
            continue
        if line.startswith("- "):
            section, subsection = stripped[2:], ""
            if section.startswith("Paper:"):
                link = _LINK.search(section)
                if link:
                    data["paper"] = RawPaper(title=link["text"].strip(), url=link["url"])
            elif (
                "Link" in section.split(":")[0]
                or section.startswith("[GitHub Link]")
                or (section.startswith("[Project Link]"))
            ):
                link = _LINK.search(section)
                if link and link["url"]:
                    data["project_url"] = link["url"]
            elif section.startswith("Publisher:"):
                data["publisher"] = _code_or_none(section.split(":", 1)[1])
            elif section.startswith("Author Affiliation:"):
                data["affiliation"] = _code_or_none(section.split(":", 1)[1])
            elif section.startswith("Dialog Turn") or section.startswith("Instance Scale"):
                pass
            continue
        if line.startswith("  + "):
            item = stripped[2:]
            subsection = item
            checked = item.startswith("[x]")
            label = re.sub(r"^\[[ x]\]\s*", "", item).strip()
            if section == "Functional Division" and checked:
                data.setdefault("functional", []).append(label)
            elif section == "Design Division" and checked:
                data.setdefault("design", []).append(label)
            elif section == "Type" and checked:
                data.setdefault("it_type", []).append(label)
            elif section == "Multi-turn" and checked:
                data["multi_turn"] = "2714" in label
            elif section.startswith("Input Modalities"):
                data["io"] = _io_text(item)
                if kinds[0] == "model":
                    data["inputs"], data["outputs"] = _split_io(data["io"])
            elif section == "Source":
                data.setdefault("it_source", []).append(_CODE.sub(r"\1", item).strip())
            elif section == "Method":
                data.setdefault("it_method", []).append(_CODE.sub(r"\1", item).strip())
            elif section == "Dialog Turn":
                data["dialog_turns"] = _code_or_none(item)
            elif section == "Instance Scale":
                data["instance_scale"] = _code_or_none(item)
            continue
        if line.startswith("    * "):
            value = _code_or_none(stripped[2:])
            if section.startswith("Model Architecture") and subsection in ROLE_BY_HEADING:
                role = ROLE_BY_HEADING[subsection]
                items = architecture.setdefault(role, [])
                if value is not None:
                    items.append(value)
            elif section == "Datasets Scale" and value is not None:
                key = (
                    "pretraining_scale"
                    if subsection.startswith("Pre-training")
                    else "instruction_tuning_scale"
                )
                data[key] = value
            elif section == "I/V/A Scale" and value is not None:
                previous = it_scale.get(subsection)
                it_scale[subsection] = f"{previous}; {value}" if previous else value
    if architecture:
        data["architecture"] = architecture
    if it_scale:
        data["it_scale"] = it_scale
    return RawPost(**data)


def raw_path(raw_dir: Path, post: RawPost) -> Path:
    """Where the raw record of *post* is written."""
    return raw_dir / post.kind / f"{post.post}.yaml"


def dump_raw(post: RawPost) -> str:
    """Serialise a raw record as stable YAML (same post, same bytes)."""
    data = post.model_dump(exclude_defaults=True)
    header = (
        "# Written by `mmkg import-site` from the website post of the same name. Do not edit:\n"
        "# curation lives in data/models, data/datasets and data/curation.\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def import_posts(posts_dir: Path, raw_dir: Path, curated: set[str]) -> ImportReport:
    """Read every post of *posts_dir* into *raw_dir*; report posts with no curated record."""
    if not posts_dir.is_dir():
        raise SiteImportError(f"{posts_dir}: no such directory of posts")
    paths = sorted(posts_dir.glob("*.md"))
    if not paths:
        raise SiteImportError(f"{posts_dir}: holds no .md posts")
    parsed = [parse_post(p) for p in paths]
    report = ImportReport()
    for post in parsed:
        target = raw_path(raw_dir, post)
        text = dump_raw(post)
        rel = f"{post.kind}/{target.name}"
        if target.exists():
            if target.read_text(encoding="utf-8") == text:
                report.unchanged.append(rel)
                continue
            report.changed.append(rel)
        else:
            report.created.append(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".yaml.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    report.uncurated = [
        f"{p.kind}/{p.post}" for p in parsed if p.kind != "survey" and p.post not in curated
    ]
    return report
