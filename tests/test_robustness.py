"""Property-based: whatever the input, a command ends in a result or a located message.

Hypothesis runs with a fixed seed (derandomize) and a bounded number of examples, so CI sees
the same cases every time. Each property asserts: success, or exit 1 with a message naming
what is wrong; never exit 2 (the catch-all for bugs), never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entry_point import run_entry_point
from mmkg.errors import SiteImportError
from mmkg.paths import SITE_POSTS_DIR
from mmkg.records import RawPost
from mmkg.site_posts import parse_post

FIXTURE_GRAPH = Path(__file__).parent / "fixtures" / "cq" / "fixture.ttl"
POST = (SITE_POSTS_DIR / "2023-04-17-LLaVA.md").read_text(encoding="utf-8")
HOSTILE = [
    "",
    " ",
    "\t",
    "---",
    "- ",
    "  + ",
    "    * ",
    "[x]",
    "`",
    ":",
    "{",
    "[",
    "&a",
    "*a",
    "!!python/object:os.system",
    "\x00",
    "\u202e",
    "\u200b",
    "\ud7ff",
    "2023-02-30",
    "\n",
    "\r\n",
    "$\\rightarrow$",
    "<sub>",
    "]()",
]
FUZZ = settings(
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def mutated_posts(draw: st.DrawFn) -> str:
    """The LLaVA post with a few lines dropped, repeated or edited by hostile fragments."""
    lines = POST.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "repeat", "insert", "replace"]))
        fragment = draw(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20)))
        if action == "drop":
            lines.pop(i)
        elif action == "repeat":
            lines.insert(i, lines[i])
        elif action == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + fragment + lines[i][at:]
        else:
            lines[i] = fragment
        if not lines:
            lines = [""]
    return "\n".join(lines)


@FUZZ
@given(text=mutated_posts())
def test_a_mutated_post_parses_or_is_a_located_message(tmp_path: Path, text: str) -> None:
    path = tmp_path / "2023-04-17-LLaVA.md"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        post = parse_post(path)
    except SiteImportError as error:
        assert str(path) in str(error) and str(error).strip()
        return
    assert isinstance(post, RawPost) and post.post == "2023-04-17-LLaVA"


# --- command-line arguments to the reading commands --------------------------------------

OPTIONS = {
    "query": ["--param", "-p", "--format", "--timeout", "--limit", "--list", "--print"],
    "sparql": ["--format", "--timeout", "--limit", "--allow-service"],
    "show": [],
    "compare": ["--format"],
    "analyze": ["--format", "--top"],
}
VALUES = [
    "cq-01",
    "9",
    "cq-99",
    "llava-1.5",
    "LLaVA",
    "model_iri=llava",
    "model_iri=",
    "=x",
    "min_models=two",
    "json",
    "csv",
    "xml",
    "turtle",
    "nope",
    "0",
    "-1",
    "1e309",
    "nan",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
    "ASK {}",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "SELECT ?x WHERE { ?x a }",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "PREFIX : <",
    "trends",
    "reuse",
    "[bold]x[/bold]",
    "--",
    "--nope",
]


@st.composite
def reading_arguments(draw: st.DrawFn) -> list[str]:
    """A reading command with a few options and values drawn from a hostile pool."""
    command = draw(st.sampled_from(sorted(OPTIONS)))
    pool = OPTIONS[command] + VALUES
    words = draw(
        st.lists(st.one_of(st.sampled_from(pool), st.text(min_size=1, max_size=8)), max_size=5)
    )
    return [command, *words, "--graph", str(FIXTURE_GRAPH)]


@settings(FUZZ, max_examples=40)
@given(args=reading_arguments())
def test_any_arguments_to_a_reading_command_end_in_0_or_a_message(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_entry_point(args, capsys)
    assert "Traceback" not in err and "error: unexpected" not in err, (args, err)
    assert code in (0, 1), (args, code, err)
    if code == 1:
        assert err.strip(), args
