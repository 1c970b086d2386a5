"""The ``newsgraph`` command."""
