"""Training commands: each reproduces one shipped model from ``../shared/data`` with a fixed seed."""
