"""The CLI end to end, in process: analyze, ingest (twice), search, show, failures, export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from newsgraph.interfaces.cli.main import main
from newsgraph.json_schema import article_json_schema
from newsgraph.store.tables import LAYERS

ROOT = Path(__file__).resolve().parents[2]
SEED = str(ROOT / "samples" / "seed-article.txt")
SAMPLE = str(ROOT / "samples" / "wikinews-de.jsonl")


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_analyze_seed_prints_schema_valid_json(runner: CliRunner) -> None:
    result = runner.invoke(main, ["analyze", SEED, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    jsonschema.validate(data, article_json_schema())
    assert len(data["sentences"]) == 16 and data["language"] == "de"


def test_analyze_stdin_text(runner: CliRunner) -> None:
    result = runner.invoke(main, ["analyze", "-"], input="Der Kreml bestätigte das Gespräch. Trump schwieg.")
    assert result.exit_code == 0
    assert "2 sentences" in result.stdout


def test_ingest_twice_then_search_show_export(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    sample = tmp_path / "sample.jsonl"  # 20 sample articles: the CLI's path is the same for 20 as for 120
    sample.write_text("\n".join(Path(SAMPLE).read_text(encoding="utf-8").splitlines()[:20]) + "\n", encoding="utf-8")
    first = runner.invoke(main, ["ingest", str(sample), SEED, "--db", db])
    assert first.exit_code == 0, first.output
    assert "added 21, duplicates skipped 0, failures 0" in first.stdout
    second = runner.invoke(main, ["ingest", str(sample), SEED, "--db", db])
    assert second.exit_code == 0
    assert "added 0, duplicates skipped 21" in second.stdout and "corpus now has 21 articles" in second.stdout

    hits = runner.invoke(main, ["search", "Putin", "--db", db, "--json"])
    assert hits.exit_code == 0
    ids = [json.loads(line)["id"] for line in hits.stdout.splitlines()]
    seed_id = json.loads(runner.invoke(main, ["analyze", SEED, "--format", "json"]).stdout)["id"]
    assert seed_id in ids

    shown = runner.invoke(main, ["show", seed_id, "--db", db, "--format", "json"])
    assert json.loads(shown.stdout)["id"] == seed_id

    out = tmp_path / "all.jsonl"
    assert runner.invoke(main, ["export", "--db", db, "--format", "jsonl", "--out", str(out)]).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 21
    jsonschema.validate(json.loads(lines[0]), article_json_schema())
    as_csv = runner.invoke(main, ["export", "--db", db, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == 21 and rows[0]["sentences"].isdigit()
    by_id = {r["id"]: r for r in rows}
    assert "gestern=2005-09-16" in by_id["0b0333a05e09339a"]["time_values"]
    assert by_id["0b0333a05e09339a"]["times"] == "5"
    exported = {json.loads(line)["id"]: json.loads(line) for line in lines}
    assert {"text": "gestern", "value": "2005-09-16", "kind": "DATE", "anchor": "published"}.items() <= \
        next(t for t in exported["0b0333a05e09339a"]["times"] if t["text"] == "gestern").items()

    listed = runner.invoke(main, ["times", "0b0333a05e09339a", "--db", db])
    assert listed.exit_code == 0
    assert any("DATE" in line and "2005-09-16" in line and "from published" in line and line.endswith("gestern")
               for line in listed.stdout.splitlines())
    as_json = [json.loads(x) for x in runner.invoke(main, ["times", "0b0333a05e09339a", "--db", db,
                                                            "--json"]).stdout.splitlines()]
    assert as_json[1]["interval"] == ["2005-09-16", "2005-09-16"]
    phone = runner.invoke(main, ["events", "--db", db, "--type", "CONSULT", "--actor", "Trump"])
    assert phone.exit_code == 0
    assert any("Donald Trump (USA/GOV) -> CONSULT phone -> Russlands Präsident Wladimir Putin (RUS/GOV)" in line
               for line in phone.stdout.splitlines())
    as_rows = [json.loads(x) for x in runner.invoke(main, ["events", "--db", db, "--country", "UKR", "--json"]
                                                    ).stdout.splitlines()]
    countries = [((r["event"]["source"] or {}).get("country"), (r["event"]["target"] or {}).get("country"))
                 for r in as_rows]
    assert countries and all("UKR" in pair for pair in countries)
    plover = [json.loads(x) for x in runner.invoke(main, ["export", "--db", db, "--format", "events-jsonl"]
                                                   ).stdout.splitlines()]
    call = next(r for r in plover if r["event_type"] == "CONSULT" and r["mode"] == "phone")
    assert (call["source"]["name"], call["source"]["country"], call["target"]["name"]) == \
        ("Donald Trump", "USA", "Wladimir Putin")
    assert call["text"].startswith("In einem überraschenden") and call["modality"] == "happened"
    events_csv = list(csv.DictReader(io.StringIO(runner.invoke(main, ["export", "--db", db, "--format",
                                                                       "events-csv"]).stdout)))
    assert len(events_csv) == len(plover) and events_csv[0]["event_type"]
    missing = runner.invoke(main, ["times", "0000000000000000", "--db", db])
    assert missing.exit_code != 0 and "no article" in missing.output


def test_ingest_with_failures_exits_1_and_records_them(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ok.txt").write_text("Der Kreml bestätigte das Gespräch.", encoding="utf-8")
    db = str(tmp_path / "c.db")
    result = runner.invoke(main, ["ingest", str(tmp_path / "empty.txt"), str(tmp_path / "ok.txt"), "--db", db])
    assert result.exit_code == 1
    assert "added 1" in result.stdout and "failures 1" in result.stdout
    assert "NG002" in result.stderr and "empty.txt" in result.stderr
    listed = runner.invoke(main, ["failures", "--db", db, "--json"])
    assert json.loads(listed.stdout)[0]["code"] == "NG002"


def test_reingesting_a_bad_input_counts_its_failure_and_clear_forgets_it(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    db = str(tmp_path / "c.db")
    for _ in range(3):
        assert runner.invoke(main, ["ingest", str(tmp_path / "empty.txt"), "--db", db]).exit_code == 1
    rows = json.loads(runner.invoke(main, ["failures", "--db", db, "--json"]).stdout)
    assert len(rows) == 1 and rows[0]["count"] == 3 and rows[0]["code"] == "NG002"
    assert "×3" in runner.invoke(main, ["failures", "--db", db]).stdout
    cleared = runner.invoke(main, ["failures", "--db", db, "--clear"])
    assert cleared.exit_code == 0 and "cleared 1 failure" in cleared.stdout
    assert json.loads(runner.invoke(main, ["failures", "--db", db, "--json"]).stdout) == []


def test_failures_json_is_an_empty_array_when_there_are_none(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Der Kreml bestätigte das Gespräch.", encoding="utf-8")
    db = str(tmp_path / "c.db")
    assert runner.invoke(main, ["ingest", str(tmp_path / "ok.txt"), "--db", db]).exit_code == 0
    listed = runner.invoke(main, ["failures", "--db", db, "--json"])
    assert listed.exit_code == 0 and json.loads(listed.stdout) == []


def test_counts_are_singular_for_one(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Putin sagte: „Wir sind bereit.“ Der Kreml bestätigte das Gespräch.",
                                     encoding="utf-8")
    db = str(tmp_path / "c.db")
    ingested = runner.invoke(main, ["ingest", str(tmp_path / "ok.txt"), "--db", db])
    assert "corpus now has 1 article " in ingested.stdout
    exported = runner.invoke(main, ["export", "--db", db, "--format", "jsonl"])
    assert "exported 1 article\n" in exported.stderr
    said = runner.invoke(main, ["statements", "--db", db])
    assert said.stderr.strip() == "1 statement"


def test_statements_offset_pages(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    assert runner.invoke(main, ["ingest", SEED, "--db", db]).exit_code == 0
    first = runner.invoke(main, ["statements", "--db", db, "--json", "--limit", "2"]).stdout.splitlines()
    second = runner.invoke(main, ["statements", "--db", db, "--json", "--limit", "2", "--offset", "2"]
                           ).stdout.splitlines()
    assert len(first) == 2 and len(second) == 2 and not set(first) & set(second)


def test_help_texts_for_ingest_and_failures(runner: CliRunner) -> None:
    ingest_help = runner.invoke(main, ["ingest", "--help"]).stdout
    assert "Worker processes" in ingest_help and "guessing it from the file name" in ingest_help
    assert "JSON array" in runner.invoke(main, ["failures", "--help"]).stdout


def test_unknown_format_hint_names_the_real_option(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "notes.xyz").write_text("Text.", encoding="utf-8")
    result = runner.invoke(main, ["ingest", str(tmp_path / "notes.xyz"), "--db", str(tmp_path / "c.db")])
    assert "NG010" in result.stderr and "--input-format" in result.stderr


def test_ingesting_a_folder_skips_documentation_files(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Der Kreml bestätigte das Gespräch am Mittwoch.", encoding="utf-8")
    (folder / "ATTRIBUTION.md").write_text("# Sources\n\nWikinews.", encoding="utf-8")
    (folder / "LICENSE-CC-BY-2.5.md").write_text("Creative Commons", encoding="utf-8")
    (folder / "README").write_text("What this is.", encoding="utf-8")
    db = str(tmp_path / "c.db")
    result = runner.invoke(main, ["ingest", str(folder), "--db", db])
    assert result.exit_code == 0, result.output
    assert "added 1, duplicates skipped 0, failures 0" in result.stdout
    assert "skipped 3 documentation files" in result.stderr and "ATTRIBUTION.md" in result.stderr
    assert json.loads(runner.invoke(main, ["failures", "--db", db, "--json"]).stdout) == []
    # named explicitly, a file is read (and a .md is not a format newsgraph reads)
    named = runner.invoke(main, ["ingest", str(folder / "ATTRIBUTION.md"), "--db", db])
    assert named.exit_code == 1 and "NG010" in named.stderr


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    assert runner.invoke(main, ["ingest"]).exit_code == 2
    assert runner.invoke(main, ["search", "x", "--limit", "0"]).exit_code == 2
    assert runner.invoke(main, ["export", "--format", "xml"]).exit_code == 2


def test_malformed_query_is_a_message_not_a_traceback(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    runner.invoke(main, ["ingest", SEED, "--db", db])
    result = runner.invoke(main, ["search", '"Putin', "--db", db])
    assert result.exit_code == 1
    assert "NG202" in result.stderr and "Traceback" not in result.output


def test_db_from_environment(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    result = runner.invoke(main, ["ingest", SEED], env={"NEWSGRAPH_DB": str(db)})
    assert result.exit_code == 0 and db.exists()


def test_search_on_missing_db_says_what_to_do(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["search", "Putin", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "newsgraph ingest" in result.stderr


def test_search_sql(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    runner.invoke(main, ["ingest", SEED, "--db", db])
    result = runner.invoke(main, ["search", "Putin", "--db", db, "--sql"])
    assert "MATCH ?" in result.stdout and "'Putin'" in result.stdout


def test_statements_command(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    runner.invoke(main, ["ingest", SEED, "--db", db])
    putin = runner.invoke(main, ["statements", "--speaker", "PER:wladimir-putin", "--db", db, "--json"])
    assert putin.exit_code == 0
    rows = [json.loads(line) for line in putin.stdout.splitlines()]
    assert any("russische Forderung" in " ".join(m["text"] for m in r["statement"]["message"]) for r in rows)
    direct = runner.invoke(main, ["statements", "--kind", "Direct", "--db", db])
    assert "lang und sehr produktiv" in direct.stdout
    assert runner.invoke(main, ["statements", "--kind", "Shouted", "--db", db]).exit_code == 2


def test_train_commands_are_documented(runner: CliRunner) -> None:
    for model in ("ner", "statements"):
        result = runner.invoke(main, ["train", model, "--help"])
        assert result.exit_code == 0 and "--out" in result.stdout


def test_export_layers_as_csv_and_parquet(runner: CliRunner, demo_db: Path, tmp_path: Path) -> None:
    db = str(demo_db)
    times = runner.invoke(main, ["export", "--db", db, "--format", "csv", "--layer", "times"])
    assert times.exit_code == 0, times.output
    rows = list(csv.DictReader(io.StringIO(times.stdout)))
    assert rows and {"article_id", "value", "first_day"} <= set(rows[0])
    assert f"exported {len(rows)} rows" in times.stderr
    parquet = runner.invoke(main, ["export", "--db", db, "--format", "parquet", "--out", str(tmp_path / "t")])
    assert parquet.exit_code == 0, parquet.output
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == sorted(
        [*(f"{layer}.parquet" for layer in LAYERS), "manifest.json"])


def test_export_usage_errors(runner: CliRunner, demo_db: Path) -> None:
    no_folder = runner.invoke(main, ["export", "--db", str(demo_db), "--format", "parquet"])
    assert no_folder.exit_code != 0 and "--out DIR" in no_folder.output
    wrong = runner.invoke(main, ["export", "--db", str(demo_db), "--format", "jsonl", "--layer", "times"])
    assert wrong.exit_code != 0 and "--layer applies to --format csv or parquet" in wrong.output


def test_progress_off_a_terminal_prints_plain_lines(capsys: pytest.CaptureFixture[str]) -> None:
    from newsgraph.interfaces.cli.progress import progress

    with progress("ingest", 5, every=2) as advance:
        for _ in range(5):
            advance(1)
    err = capsys.readouterr().err.splitlines()
    assert [line.split(" (")[0] for line in err] == ["ingest: 2 of 5 items", "ingest: 4 of 5 items"]


def test_network_command(runner: CliRunner, demo_db: Path, tmp_path: Path) -> None:
    table = runner.invoke(main, ["network", "--db", str(demo_db), "--kind", "events", "--top", "50"])
    assert table.exit_code == 0, table.output
    assert any(line.endswith("Donald Trump acts on Wladimir Putin (AGREE, CONSULT)") or
               "Donald Trump acts on Wladimir Putin (CONSULT" in line for line in table.stdout.splitlines())
    out = tmp_path / "net.graphml"
    saved = runner.invoke(main, ["network", "--db", str(demo_db), "--format", "graphml", "--out", str(out)])
    assert saved.exit_code == 0 and out.read_bytes().startswith(b"<?xml") and b"<graphml" in out.read_bytes()
    assert runner.invoke(main, ["network", "--db", str(demo_db), "--kind", "likes"]).exit_code == 2


def test_load_an_export_into_a_new_store(runner: CliRunner, demo_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    assert runner.invoke(main, ["export", "--db", str(demo_db), "--format", "parquet", "--out", str(folder)]).exit_code == 0
    copy = str(tmp_path / "copy.db")
    loaded = runner.invoke(main, ["load", str(folder), "--db", copy])
    assert loaded.exit_code == 0, loaded.output
    again = runner.invoke(main, ["load", str(folder), "--db", copy])
    assert "added 0," in again.stdout
    before = json.loads(runner.invoke(main, ["export", "--db", str(demo_db), "--format", "jsonl"]).stdout.splitlines()[0])
    after = json.loads(runner.invoke(main, ["export", "--db", copy, "--format", "jsonl"]).stdout.splitlines()[0])
    assert before == after
    failures = json.loads(runner.invoke(main, ["failures", "--db", copy, "--json"]).stdout)
    assert [f["code"] for f in failures] == ["NG009"] and failures[0]["count"] == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = runner.invoke(main, ["load", str(empty), "--db", copy])
    assert missing.exit_code != 0 and "no documents table" in missing.output


def test_duplicates_command(runner: CliRunner, tmp_path: Path) -> None:
    source = json.loads(Path(SAMPLE).read_text(encoding="utf-8").splitlines()[0])["text"]
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(source, encoding="utf-8")
    (inputs / "b.txt").write_text("HAMBURG (AFP) – " + source.replace(". ", ". Ein eingeschobener Satz steht hier. ", 1),
                                    encoding="utf-8")
    db = str(tmp_path / "d.db")
    assert runner.invoke(main, ["ingest", "--db", db, str(inputs)]).exit_code == 0
    pairs = json.loads(runner.invoke(main, ["duplicates", "--db", db, "--json"]).stdout)
    assert len(pairs) == 1 and pairs[0]["share"] > 0.5
    one = runner.invoke(main, ["duplicates", pairs[0]["id"], "--db", db])
    assert one.exit_code == 0 and "shared with" in one.stdout


def test_entities_curation_commands(runner: CliRunner, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("Bundeskanzler Olaf Scholz (SPD) sprach in Berlin.", encoding="utf-8")
    (inputs / "b.txt").write_text("Scholz widersprach am Abend. Der Kanzler blieb hart.", encoding="utf-8")
    db = str(tmp_path / "e.db")
    assert runner.invoke(main, ["ingest", "--db", db, str(inputs)]).exit_code == 0
    listed = [json.loads(x) for x in runner.invoke(main, ["entities", "list", "--db", db, "--label", "PER",
                                                          "--json"]).stdout.splitlines()]
    assert listed[0]["id"] == "PER:olaf-scholz" and listed[0]["articles"] == 2
    split = runner.invoke(main, ["entities", "split", "PER:scholz", "--db", db])
    assert split.exit_code == 0 and "1 entity row changed" in split.stdout
    merged = runner.invoke(main, ["entities", "merge", "PER:scholz", "PER:olaf-scholz", "--db", db])
    assert merged.exit_code == 0
    history = runner.invoke(main, ["entities", "curation", "--db", db]).stdout
    assert "merge  PER:scholz → PER:olaf-scholz" in history and "split" not in history  # the merge replaced it
    rebuilt = runner.invoke(main, ["entities", "rebuild", "--db", db])
    assert rebuilt.exit_code == 0 and "1 entity row joined" in rebuilt.stdout
    again = runner.invoke(main, ["ingest", "--reanalyze", "--db", db, str(inputs)])
    assert again.exit_code == 0 and "added 2" in again.stdout
    listed = [json.loads(x) for x in runner.invoke(main, ["entities", "list", "--db", db, "--label", "PER",
                                                          "--json"]).stdout.splitlines()]
    assert listed[0]["articles"] == 2  # the merge survived re-analysis
    wrong = runner.invoke(main, ["entities", "merge", "PER:olaf-scholz", "ORG:spd", "--db", db])
    assert wrong.exit_code == 1 and "different types" in wrong.stderr
    assert runner.invoke(main, ["entities", "merge", "PER:nobody", "PER:olaf-scholz", "--db", db]).exit_code == 1


def test_stories_command(runner: CliRunner, tmp_path: Path) -> None:
    seed = Path(SEED).read_text(encoding="utf-8").split("\n")
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("\n".join(seed), encoding="utf-8")
    (inputs / "b.txt").write_text(f"Washington (dpa) – {seed[0]}\n{seed[1]}\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert runner.invoke(main, ["ingest", "--db", db, str(inputs)]).exit_code == 0
    listed = runner.invoke(main, ["stories", "--db", db, "--json"])
    [story] = json.loads(listed.stdout)["stories"]
    shown = runner.invoke(main, ["stories", str(story["id"]), "--db", db])
    assert shown.exit_code == 0 and "2 articles" in shown.stdout and "said: Donald Trump" in shown.stdout
    rebuilt = runner.invoke(main, ["stories", "--rebuild", "--db", db])
    assert rebuilt.exit_code == 0 and "1 story after clustering" in rebuilt.stderr
    missing = runner.invoke(main, ["stories", "999", "--db", db])
    assert missing.exit_code == 1 and "no story 999" in missing.stderr


def test_statements_min_confidence(runner: CliRunner, demo_db: Path) -> None:
    rows = [json.loads(x) for x in runner.invoke(main, ["statements", "--db", str(demo_db), "--limit", "100",
                                                        "--json"]).stdout.splitlines()]
    sure = [json.loads(x) for x in runner.invoke(main, ["statements", "--db", str(demo_db), "--limit", "100",
                                                        "--min-confidence", "0.6", "--json"]).stdout.splitlines()]
    assert len(sure) < len(rows) and all(r["statement"]["confidence"] >= 0.6 for r in sure)
    text = runner.invoke(main, ["statements", "--db", str(demo_db), "--limit", "3"]).stdout
    assert "confidence 0." in text
    assert runner.invoke(main, ["statements", "--db", str(demo_db), "--min-confidence", "2"]).exit_code == 2
