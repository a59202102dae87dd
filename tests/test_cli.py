"""The command line: exit codes and the messages people see."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from expected import MODELS
from mmkg.cli import app
from mmkg.paths import ONTOLOGY_FILE, RAW_SITE_DIR, SITE_POSTS_DIR

runner = CliRunner()


def test_build_prints_counts_and_files(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "build"
    result = runner.invoke(app, ["build", "--data", str(data_copy), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "models" in result.output and str(MODELS) in result.output
    assert "triples" in result.output and "built in" in result.output
    assert (out / "mmkg.owl").exists() and (out / "mmkg.jsonld").exists()


def test_build_with_bad_data_exits_1_with_a_message(tmp_path: Path, data_copy: Path) -> None:
    (data_copy / "models" / "llava.yaml").write_text(
        "name: LLaVA\nsite_post: nope\n", encoding="utf-8"
    )
    result = runner.invoke(
        app, ["build", "--data", str(data_copy), "--out", str(tmp_path / "build")]
    )
    assert result.exit_code == 1
    assert "record 'llava'" in result.output and "site_post" in result.output
    assert "Traceback" not in result.output


def test_import_site_twice_reports_nothing_changed(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(RAW_SITE_DIR, raw)
    result = runner.invoke(app, ["import-site", str(SITE_POSTS_DIR), "--raw", str(raw)])
    assert result.exit_code == 0, result.output
    assert "0 new, 0 changed, 215 unchanged" in result.output
    assert "every post is curated" in result.output


def test_import_site_reports_uncurated_posts(tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    shutil.copy(SITE_POSTS_DIR / "2023-04-17-LLaVA.md", posts / "2099-01-01-Future.md")
    result = runner.invoke(app, ["import-site", str(posts), "--raw", str(tmp_path / "raw")])
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output and "model/2099-01-01-Future" in result.output
    assert "not yet curated" in result.output


def test_import_site_prints_post_names_as_text_not_markup(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """Names are printed as text: rich markup in one is shown, not obeyed."""
    import mmkg.site_posts
    from mmkg.site_posts import ImportReport

    name = "model/2099-01-01-[red]Future[/red].yaml"
    report = ImportReport(created=[name], uncurated=[name.removesuffix(".yaml")])
    monkeypatch.setattr(mmkg.site_posts, "import_posts", lambda *_args: report)
    result = runner.invoke(app, ["import-site", str(tmp_path), "--raw", str(tmp_path / "raw")])
    assert result.exit_code == 0, result.output
    assert result.output.count("2099-01-01-[red]Future[/red]") == 2


def test_import_site_missing_folder_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["import-site", str(tmp_path / "missing")])
    assert result.exit_code == 1
    assert "no such directory" in result.output and "Traceback" not in result.output


def test_version_and_help() -> None:
    assert runner.invoke(app, ["--version"]).output.startswith("mmkg ")
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and "build" in result.output and "import-site" in result.output


def test_show_prints_architecture_lineage_results_sources(graph_file: Path) -> None:
    result = runner.invoke(app, ["show", "LLaVA-1.5", "--graph", str(graph_file)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "CLIP ViT-L (image) at 336 px" in out and "Output projector: none" in out
    assert "LLaVA-1.5-13B" in out and "1531.3" in out
    assert "https://arxiv.org/abs/2401.13601v5" in out


def test_show_unknown_model_suggests_the_closest(graph_file: Path) -> None:
    result = runner.invoke(app, ["show", "LLaVA-15", "--graph", str(graph_file)])
    assert result.exit_code == 1
    assert "no model named 'LLaVA-15'" in result.output and "LLaVA-1.5" in result.output


def test_compare_formats(graph_file: Path) -> None:
    result = runner.invoke(
        app, ["compare", "llava-1.5", "VILA", "--format", "csv", "--graph", str(graph_file)]
    )
    assert result.exit_code == 0, result.output
    assert "aspect,LLaVA-1.5,VILA" in result.output
    assert (
        "best MM-Vet,37.6 (LLaVA-1.5-7B + ShareGPT4V data),45.7 (VILA-13B + ShareGPT4V data)"
        in result.output
    )
    latex = runner.invoke(
        app, ["compare", "llava-1.5", "VILA", "-F", "latex", "--graph", str(graph_file)]
    )
    assert latex.exit_code == 0 and "\\begin{tabular}" in latex.output
    single = runner.invoke(app, ["compare", "llava", "--graph", str(graph_file)])
    assert single.exit_code == 1 and "at least two models" in single.output


def test_sparql_inline_and_file(tmp_path: Path, graph_file: Path) -> None:
    text = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a <https://w3id.org/mmkg/ontology#MultimodalLLM> }"
    result = runner.invoke(app, ["sparql", text, "-F", "json", "--graph", str(graph_file)])
    assert result.exit_code == 0 and f'"n":{{"type":"literal","value":"{MODELS}"' in result.output
    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(
        app, ["sparql", "-f", str(path), "-F", "csv", "--graph", str(graph_file)]
    )
    assert result.exit_code == 0 and result.output.splitlines() == ["n", str(MODELS)]


def test_sparql_syntax_error_names_line_and_column(graph_file: Path) -> None:
    result = runner.invoke(app, ["sparql", "SELECT ?x\nWHERE { ?x a }", "--graph", str(graph_file)])
    assert result.exit_code == 1
    assert "line 2, column 15" in result.output and "Traceback" not in result.output


def test_query_without_a_build(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sparql", "ASK {}", "--graph", str(tmp_path / "none.nt")])
    assert result.exit_code == 1 and "run `mmkg build` first" in result.output


def test_query_list_and_run(graph_file: Path) -> None:
    listed = runner.invoke(app, ["query", "--list", "-F", "csv"])
    assert listed.exit_code == 0 and listed.output.count("\ncq-") == 21
    result = runner.invoke(
        app,
        ["query", "9", "--param", "exclude_seen=false", "-F", "csv", "--graph", str(graph_file)],
    )
    assert result.exit_code == 0, result.output
    assert "MM-Vet" in result.output and "45.7" in result.output


def test_query_unknown_name_and_parameter(graph_file: Path) -> None:
    result = runner.invoke(app, ["query", "cq-99-nothing", "--graph", str(graph_file)])
    assert result.exit_code == 1 and "no query named 'cq-99-nothing'" in result.output
    result = runner.invoke(app, ["query", "cq-04", "-p", "model=llava", "--graph", str(graph_file)])
    assert result.exit_code == 1
    assert "has no parameter 'model'" in result.output and "model_iri" in result.output
    result = runner.invoke(app, ["query", "cq-04", "-p", "model_iri", "--graph", str(graph_file)])
    assert result.exit_code == 1 and "is not name=value" in result.output


def test_reason_writes_the_inferred_graph(tmp_path: Path) -> None:
    result = runner.invoke(app, ["reason", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "AnyToAnyModel" in result.output and "QFormerBasedModel" in result.output
    assert (tmp_path / "mmkg-inferred.ttl").stat().st_size > 100_000


def test_reason_on_a_file_as_shipped(tmp_path: Path) -> None:
    """`--file` reasons on a given graph file; a file that is not RDF fails with its name."""
    result = runner.invoke(app, ["reason", "--file", str(ONTOLOGY_FILE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "MediaModality" in result.output  # the ontology alone names image, video and audio
    assert (tmp_path / "mmkg-inferred.ttl").is_file()
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    result = runner.invoke(app, ["reason", "--file", str(bad), "--out", str(tmp_path)])
    assert result.exit_code == 1 and "bad.ttl" in result.output and "Traceback" not in result.output


def _flat(output: str) -> str:
    """The show output with rich's table wrapping undone: one space between words."""
    return " ".join(output.split())


def test_show_prints_the_source_and_locator_of_each_fact(graph_file: Path) -> None:
    result = runner.invoke(app, ["show", "Qwen2.5-VL", "--graph", str(graph_file)])
    assert result.exit_code == 0, result.output
    out = _flat(result.output)
    page = (
        "docs/source/en/model_doc/qwen2_5_vl.md at commit 021f228029d13b48e60f9e2e2711dd654d167250"
    )
    assert f"date 2025-02-19 from hf-transformers-docs: {page}" in out
    assert f"<https://huggingface.co/papers/2502.13923> from hf-transformers-docs: {page}" in out
    assert "qwen2_5_vl_vision (Qwen2.5-VL vision encoder family)" in out


def test_show_cites_the_survey_table_row_and_the_website_post(graph_file: Path) -> None:
    result = runner.invoke(app, ["show", "LLaVA", "--graph", str(graph_file)])
    out = _flat(result.output)
    assert "from mm-llms-site: posts/2023-04-17-LLaVA.md" in out
    assert "survey: Table 1, row 3" in out


def test_query_print_gives_the_text_it_runs(graph_file: Path) -> None:
    result = runner.invoke(app, ["query", "cq-03", "--print", "-p", "model_iri=llava-1.5"])
    assert result.exit_code == 0, result.output
    assert "VALUES ?_model_iri { <https://w3id.org/mmkg/id/model/llava-1.5> }" in result.output
    assert "x-llm" not in result.output and result.output.startswith("#+ summary:")
    printed = runner.invoke(app, ["sparql", result.output, "-F", "csv", "--graph", str(graph_file)])
    ran = runner.invoke(
        app,
        ["query", "cq-03", "-p", "model_iri=llava-1.5", "-F", "csv", "--graph", str(graph_file)],
    )
    assert printed.exit_code == 0 and printed.output == ran.output and "CLIP" in ran.output


def test_query_parameter_that_names_nothing_is_an_error(graph_file: Path) -> None:
    for param, message in [
        ("family_iri=no-such-family", "names nothing in the graph: 'no-such-family'"),
        ("family_iri=q-formr", "closest known: q-former"),
    ]:
        result = runner.invoke(app, ["query", "cq-01", "-p", param, "--graph", str(graph_file)])
        assert result.exit_code == 1 and message in result.output, result.output
    result = runner.invoke(
        app, ["query", "cq-07", "-p", "min_models=two", "--graph", str(graph_file)]
    )
    assert result.exit_code == 1 and "takes an integer, not 'two'" in result.output
    result = runner.invoke(
        app, ["query", "cq-06", "-p", "any_to_any=no", "--graph", str(graph_file)]
    )
    assert result.exit_code == 1 and "takes true or false, not 'no'" in result.output


def test_json_is_sparql_results_json_that_standard_readers_parse(graph_file: Path) -> None:
    import io

    import rdflib
    from rdflib.query import Result

    result = runner.invoke(app, ["query", "cq-03", "-F", "json", "--graph", str(graph_file)])
    assert result.exit_code == 0, result.output
    answer = Result.parse(io.StringIO(result.output), format="json")
    assert [str(v) for v in answer.vars][:3] == ["position", "role", "roleLabel"]
    rows = list(answer)
    assert rows and isinstance(rows[0]["role"], rdflib.URIRef)
    assert rows[0]["position"].datatype == rdflib.XSD.integer
    assert any(r["roleLabel"] is not None and r["roleLabel"].language == "en" for r in rows)
    # SPARQLWrapper's JSON conversion reads the same document
    from SPARQLWrapper.SmartWrapper import Bindings
    from SPARQLWrapper.Wrapper import QueryResult

    bindings = Bindings(QueryResult((io.BytesIO(result.stdout_bytes), "json")))
    assert bindings.variables[:2] == ["position", "role"] and len(bindings.bindings) == len(rows)


def test_csv_tsv_xml_follow_the_sparql_formats(graph_file: Path) -> None:
    import io

    from rdflib.query import Result

    for fmt in ("csv", "tsv", "xml"):
        result = runner.invoke(app, ["query", "cq-03", "-F", fmt, "--graph", str(graph_file)])
        assert result.exit_code == 0, result.output
        parsed = Result.parse(io.BytesIO(result.stdout_bytes), format=fmt)
        assert (
            len(list(parsed))
            == len(
                runner.invoke(
                    app, ["query", "cq-03", "-F", "json", "--graph", str(graph_file)]
                ).output.split('"role":')
            )
            - 1
        )
        if fmt == "csv":
            lines = result.stdout_bytes.split(b"\r\n")
            assert (
                lines[0] == b"position,role,roleLabel,component,componentLabel,family,"
                b"familyLabel,modality,modalityLabel,resolution"
            )
            assert b"\n" not in b"".join(lines)


def test_construct_writes_rdf(graph_file: Path) -> None:
    import rdflib

    text = "CONSTRUCT { ?m rdfs:label ?l } WHERE { ?m a mmkg:MultimodalLLM ; rdfs:label ?l }"
    counts = {}
    for fmt, parser in (("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")):
        result = runner.invoke(app, ["sparql", text, "-F", fmt, "--graph", str(graph_file)])
        assert result.exit_code == 0, result.output
        counts[fmt] = len(rdflib.Graph().parse(data=result.stdout_bytes, format=parser))
    assert len(set(counts.values())) == 1 and counts["turtle"] > 100
    result = runner.invoke(app, ["sparql", text, "-F", "csv", "--graph", str(graph_file)])
    assert result.exit_code == 1 and "is a graph" in result.output


def test_a_long_answer_is_cut_at_the_row_limit_and_says_so(graph_file: Path) -> None:
    """10,000 rows by default (the graph has more triples); --limit N; --limit 0 prints all."""
    import json

    every = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    base = ["sparql", every, "-F", "json", "--graph", str(graph_file)]
    whole = runner.invoke(app, [*base, "--limit", "0"])
    total = len(json.loads(whole.stdout_bytes)["results"]["bindings"])
    assert whole.exit_code == 0 and total > 10_000 and "only the first" not in whole.stderr
    default = runner.invoke(app, base)
    assert default.exit_code == 0
    assert len(json.loads(default.stdout_bytes)["results"]["bindings"]) == 10_000
    assert f"the answer has {total:,} rows; only the first 10,000 are printed" in default.stderr
    three = runner.invoke(app, [*base[:3], "csv", *base[4:], "--limit", "3"])
    assert three.stdout_bytes.count(b"\r\n") == 4  # the header and three rows
    graph = runner.invoke(
        app,
        ["sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "-F", "ntriples", "--limit", "5"]
        + ["--graph", str(graph_file)],
    )
    assert len(graph.stdout_bytes.splitlines()) == 5 and f"{total:,} triples" in graph.stderr
    named = runner.invoke(
        app, ["query", "cq-15", "-F", "csv", "--limit", "2", "--graph", str(graph_file)]
    )
    assert named.exit_code == 0 and named.stdout_bytes.count(b"\r\n") == 3
    assert "only the first 2 are printed" in named.stderr


def test_ctrl_c_during_site_exits_130_with_one_line(graph_file: Path, tmp_path: Path) -> None:
    """SIGINT mid-run: exit 130, one line on stderr, no traceback, no site folder left."""
    import signal
    import subprocess
    import sys
    import time

    out_dir = tmp_path / "site"
    command = [sys.executable, "-m", "mmkg", "site", "--graph", str(graph_file)]
    process = subprocess.Popen(
        [*command, "--out", str(out_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # interrupt while pages are being written: the staging folder holds its first pages
    deadline = time.monotonic() + 60
    while not any(len(list(p.iterdir())) > 2 for p in tmp_path.glob(".site-new-*")):
        assert process.poll() is None and time.monotonic() < deadline, "no staging folder"
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.strip() == "mmkg: interrupted"
    assert not out_dir.exists() and list(tmp_path.iterdir()) == []


INTERRUPT_IN_A_CALLBACK = """
import signal, sys, weakref
from mmkg.cli import run
from mmkg.cli.common import app

@app.command("callback-test")
def callback_test() -> None:
    class Thing:
        pass
    thing = Thing()
    watch = weakref.ref(thing, lambda _: signal.raise_signal(signal.SIGINT))
    del thing
    print("went on", watch() is None)

sys.argv = ["mmkg", "callback-test"]
run()
"""


def test_ctrl_c_in_a_weakref_callback_is_one_line() -> None:
    """An interrupt Python cannot raise (in a callback) leaves no 'Exception ignored' text."""
    import subprocess
    import sys

    process = subprocess.run(
        [sys.executable, "-c", INTERRUPT_IN_A_CALLBACK], capture_output=True, text=True, timeout=120
    )
    assert process.returncode == 130, process.stderr
    assert process.stderr.strip() == "mmkg: interrupted"
    assert process.stdout.strip() == "went on True"


def test_exit_status_of_the_real_entry_point() -> None:
    """Bad usage is bad input (1, Click's message); a bug alone would be 2."""
    import subprocess
    import sys

    for args, message in (
        (["nosuch"], "No such command 'nosuch'"),
        (["query", "--limit", "-1"], "Invalid value for '--limit'"),
        (["show"], "Missing argument"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "mmkg", *args], capture_output=True, text=True, check=False
        )
        assert done.returncode == 1 and message in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and "unexpected" not in done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "mmkg", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stdout.startswith("mmkg ")
