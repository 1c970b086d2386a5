"""REST API (FastAPI) over the corpus; ``create_app`` also mounts the web UI."""

from newsgraph.interfaces.api.app import create_app

__all__ = ["create_app"]
