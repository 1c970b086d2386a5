"""Ingest: sources (text, HTML, feeds, WARC, JSONL) to ``Article`` records or recorded ``Failure``s."""

from newsgraph.model import Failure
from newsgraph.ingest.sources import FORMATS, detect_format, expand_paths, read_file, read_inputs

__all__ = ["FORMATS", "Failure", "detect_format", "expand_paths", "read_file", "read_inputs"]
