"""Read the tracking website's Markdown posts into the raw layer (data/raw/mm-llms-site).

The raw layer holds what a post says, strings verbatim, one YAML file per post.
Nothing here normalises or interprets: that is curation, kept in ``data/`` apart
from this layer, so importing the same posts again leaves every file unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from mmkg.errors import Problem, SiteImportError
from mmkg.records import RawPaper, RawPost
from mmkg.safe_yaml import load_data_yaml

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
# a post's file name: its date, then its name (letters of any script, digits, . + - _)
_POST_NAME = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2})-[\w.+-]+")
_LIST_MARKER = re.compile(r"(- |  \+ |    \* )")
MAX_POST_BYTES = 1_000_000  # the website's posts are a few kB; a larger file is not a post


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


def _fail(path: Path, message: str, fld: str = "", hint: str = "") -> SiteImportError:
    return SiteImportError(str(Problem(str(path), path.stem, fld, message, hint)))


def _read_post_text(path: Path) -> str:
    """The text of a post file, read only if it is a regular file of a post's size."""
    name = _POST_NAME.fullmatch(path.stem)
    real_date = True
    if name:
        try:
            dt.date.fromisoformat(name["date"])
        except ValueError:
            real_date = False
    if not name or not real_date:
        raise _fail(
            path,
            "the file name is not a post name",
            hint="name it YYYY-MM-DD-Name.md with a real date and a name of letters, digits, "
            "'.', '+', '-' or '_'",
        )
    if not path.is_file():  # a FIFO, a device or a folder: reading it could block or never end
        raise _fail(path, "is not a regular file", hint="a post is a Markdown file")
    if path.stat().st_size > MAX_POST_BYTES:
        raise _fail(path, f"is larger than {MAX_POST_BYTES:,} bytes; a post is a few kB")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def _front_matter(path: Path, text: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not match:
        raise _fail(path, "no YAML front matter between '---' lines")
    try:  # the data files' reader: no anchors (no alias bomb), no duplicate keys, bounded
        front = load_data_yaml(match.group(1)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""  # the front matter's first line is 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _fail(
            path, f"front matter is not valid YAML{where}: {problem}", hint=getattr(exc, "hint", "")
        ) from exc
    if not isinstance(front, dict):
        raise _fail(path, f"front matter must be a mapping of fields, not {type(front).__name__}")
    return front, match.group(2)


def _joined_lines(text: str) -> list[str]:
    """The body's lines, a value that runs over several lines (a line with no list marker)
    joined to the line it continues: in one pass, so a long post costs linear time."""
    lines: list[list[str]] = []
    for line in text.splitlines():
        if lines and line.strip() and not _LIST_MARKER.match(line):
            lines[-1].append(line.strip())
        else:
            lines.append([line])
    return [" ".join(parts) for parts in lines]


def parse_post(path: Path) -> RawPost:
    """Parse one website post into a raw record, strings kept as the site has them."""
    front, text = _front_matter(path, _read_post_text(path))
    tags = front.get("tags") or []
    if not isinstance(tags, list):
        tags = [tags]
    kinds = [KIND_BY_TAG[t] for t in tags if isinstance(t, str) and t in KIND_BY_TAG]
    if len(kinds) != 1:
        raise _fail(path, f"is {tags!r}; expected exactly one of {sorted(KIND_BY_TAG)}", "tags")
    categories = front.get("categories") or []
    if not isinstance(categories, list):
        categories = [categories]
    if not front.get("title") or not front.get("date") or not categories:
        raise _fail(path, "front matter needs 'title', 'date' and 'categories'")
    if not isinstance(front["title"], str | int | float):
        raise _fail(path, f"must be text, not {type(front['title']).__name__}", "title")

    date_text = str(front["date"]).strip()
    try:  # the website writes "YYYY-MM-DD HH:MM:SS +ZZZZ"; the day must be on the calendar
        dt.date.fromisoformat(date_text[:10])
    except ValueError:
        raise _fail(
            path, f"is not a real date: '{date_text}'", "date", "write YYYY-MM-DD HH:MM:SS +ZZZZ"
        ) from None

    data: dict = {
        "post": path.stem,
        "kind": kinds[0],
        "title": str(front["title"]).strip(),
        "date": str(front["date"]),
        "category": str(categories[0]),
    }
    body = _joined_lines(text)
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
    try:
        return RawPost(**data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise _fail(path, first["msg"], where) from exc


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
    parsed, problems = [], []
    for path in paths:
        try:
            parsed.append(parse_post(path))
        except SiteImportError as exc:
            problems.append(str(exc))
    if problems:  # nothing is written while any post cannot be read
        head = f"{len(problems)} post(s) cannot be read:" if len(problems) > 1 else ""
        raise SiteImportError("\n".join([head, *problems] if head else problems))
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
