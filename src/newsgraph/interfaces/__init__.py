"""Interfaces: thin layers (CLI, REST API, web UI) over the library."""
