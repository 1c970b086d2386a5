"""Server-rendered web UI; every page has a JSON twin at the same path plus ``.json``."""
