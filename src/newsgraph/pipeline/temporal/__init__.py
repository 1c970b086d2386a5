"""Temporal expressions: German rules and lexicon (``resources/de/time_*.txt``), TIMEX3 values, resolution."""
