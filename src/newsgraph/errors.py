"""Coded errors. Every message says what went wrong and what to do next.

Codes group by layer: NG0xx ingest, NG1xx pipeline, NG2xx store, NG3xx interfaces, NG4xx models and data.
"""

from __future__ import annotations

from typing import ClassVar

from newsgraph.model import Failure


class NewsgraphError(Exception):
    """Base class. ``code`` is stable; ``hint`` tells the user what to do next."""

    code: ClassVar[str] = "NG000"
    default_hint: ClassVar[str] = ""

    def __init__(self, message: str, *, hint: str | None = None, where: str | None = None) -> None:
        self.message = message
        self.hint = hint if hint is not None else self.default_hint
        self.where = where
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f" ({self.where})" if self.where else ""
        hint = f" → {self.hint}" if self.hint else ""
        return f"[{self.code}] {self.message}{where}{hint}"

    def to_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "hint": self.hint, "where": self.where}

    def to_failure(self, *, input: str, stage: str = "ingest") -> Failure:
        """The record a batch keeps for this error: where it happened (or ``input``), code, reason and hint."""
        return Failure(input=self.where or input, code=self.code, reason=self.message, hint=self.hint,
                       stage=stage)


# --- ingest -----------------------------------------------------------------------------------------------


class IngestError(NewsgraphError):
    code = "NG001"


class EmptyInput(IngestError):
    code = "NG002"
    default_hint = "the file has no text; remove it from the batch or check the export that produced it"


class BinaryInput(IngestError):
    code = "NG003"
    default_hint = "this looks like a binary file, not text; pass text, HTML, feeds, WARC or JSONL"


class UndecodableInput(IngestError):
    code = "NG004"
    default_hint = "re-encode the file as UTF-8 (e.g. `iconv -f SOURCE -t UTF-8`) and ingest it again"


class InputTooLarge(IngestError):
    code = "NG005"
    default_hint = "split the text into articles, or raise the `max_article_chars` setting"


class NoArticleText(IngestError):
    code = "NG006"
    default_hint = "the page has no main text (a navigation or login page?); ingest the article page itself"


class MalformedFeed(IngestError):
    code = "NG007"
    default_hint = "check that the file is a complete RSS/Atom document"


class MalformedWarc(IngestError):
    code = "NG008"
    default_hint = "the WARC is truncated or corrupt; records read before the damage were kept"


class MalformedJsonLine(IngestError):
    code = "NG009"
    default_hint = "fix the line so that it is one JSON object with a non-empty \"text\" field"


class UnsupportedFormat(IngestError):
    code = "NG010"
    default_hint = "supported: .txt, .html/.htm, .xml/.rss/.atom, .warc(.gz), .jsonl(.gz); or pass --input-format"


class UnreadableInput(IngestError):
    code = "NG011"
    default_hint = "check that the path exists and is readable"


class DamagedWarcRecord(IngestError):
    code = "NG012"
    default_hint = ("a WARC record is truncated or corrupt and was not stored; the other records were read. "
                    "Fetch the archive again (compare its size or checksum with the source)")


class ReaderFailed(IngestError):
    code = "NG013"
    default_hint = ("the reader broke on this input (a newsgraph bug on malformed data); the rest of the batch "
                    "was read. Report the input, or check that it is well-formed")


class MalformedHtml(IngestError):
    code = "NG014"
    default_hint = "the page nests its tags deeper than any article does; check the page or the tool that wrote it"


# --- pipeline -----------------------------------------------------------------------------------------------


class PipelineError(NewsgraphError):
    code = "NG100"


class UnknownStage(PipelineError):
    code = "NG101"
    default_hint = "run `newsgraph stages` to list the registered stages"


class ContractError(PipelineError):
    code = "NG102"
    default_hint = "add the stage that assigns the missing attribute earlier in the pipeline"


class StageFailed(PipelineError):
    code = "NG103"
    default_hint = "this is a bug in the stage; report it with the article id"


class ArticleTimeout(PipelineError):
    code = "NG105"
    default_hint = ("the article cost more CPU time than the article_time_budget setting allows (or waited past "
                    "article_hang_guard); it was skipped and the batch went on. Raise the budget for very long "
                    "articles, or report the input")


class ModelMissing(PipelineError):
    code = "NG104"
    default_hint = "reinstall newsgraph, or train the model with `newsgraph train`"


# --- store --------------------------------------------------------------------------------------------------


class StoreError(NewsgraphError):
    code = "NG200"


class StoreLocked(StoreError):
    code = "NG201"
    default_hint = "another process is writing; wait for it to finish or use another --db"


class BadQuery(StoreError):
    code = "NG202"
    default_hint = 'put phrases in double quotes ("Weißes Haus") and avoid stray operators such as a lone - or *'


class NotFound(StoreError):
    code = "NG203"
    default_hint = "list what is stored with `newsgraph search` or `newsgraph export`"


class StoreVersionError(StoreError):
    code = "NG204"
    default_hint = "the database was written by a newer newsgraph; upgrade newsgraph"


class QueryTimeout(StoreError):
    code = "NG205"
    default_hint = "narrow the query (add filters or a smaller limit)"


class StoreDamaged(StoreError):
    code = "NG206"
    default_hint = ("the database file is damaged or not a newsgraph database: restore it from a backup, or run "
                    "`newsgraph check --db FILE` to see what is damaged; re-ingesting the inputs rebuilds it")


class LinkingFailed(StoreError):
    code = "NG207"
    default_hint = ("the article was stored with its layers but without corpus links (entities, copies, versions "
                    "or stories); report the input. `newsgraph entities rebuild` and `newsgraph stories --rebuild` "
                    "link it again once fixed")


class IncompleteTables(StoreError):
    code = "NG208"
    default_hint = ("the folder is not a complete set of tables (an export or Spark run was stopped, or files were "
                    "changed since): run `newsgraph export --format parquet` or `newsgraph spark run` again")


class StoreReadOnly(StoreError):
    code = "NG200"
    default_hint = "the database or its folder is read-only: use a writable --db, or run a command that only reads"


# --- interfaces ---------------------------------------------------------------------------------------------


class UsageError(NewsgraphError):
    code = "NG300"


class ServerBusy(NewsgraphError):
    code = "NG308"
    default_hint = "the server is analysing as much as it can; retry in a few seconds, or ingest in bulk with the CLI"


class ClientGone(NewsgraphError):
    """The client closed the connection while its analysis waited or ran: the work was cancelled."""

    code = "NG310"
    default_hint = "the analysis was cancelled because the client left; send the request again to analyse it"


class MissingExtra(NewsgraphError):
    """An optional dependency is not installed: the message names it, the hint the extra that brings it."""

    code = "NG309"

    def __init__(self, package: str, extra: str, *, needed_for: str) -> None:
        super().__init__(f"{needed_for} needs the package {package!r}, which is not installed",
                         hint=f"pip install 'newsgraph[{extra}]'" if extra else
                         "reinstall newsgraph (pip install -e .): it is a core dependency")


# --- models and data ----------------------------------------------------------------------------------------


class MissingData(NewsgraphError):
    code = "NG401"
    default_hint = "put the datasets at ../shared/data or set NEWSGRAPH_DATA"

    def __init__(self, what: str, *, hint: str | None = None) -> None:
        super().__init__(f"dataset not found: {what}", hint=hint)
