"""Ingest: sources (text, HTML, feeds, WARC, JSONL) to ``Article`` records or recorded ``Failure``s."""

from newsgraph.ingest.sources import FORMATS, detect_format, expand_paths, read_file, read_inputs
from newsgraph.model import Failure

__all__ = ["FORMATS", "Failure", "detect_format", "expand_paths", "read_file", "read_inputs"]
