"""PLOVER events: German trigger and actor lexicons (``resources/de/event_*.txt``), clause rules, actor coding."""
