"""Evaluation metrics shared by the benchmarks and the accuracy-floor tests."""
