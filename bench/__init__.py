"""Benchmarks: each module is runnable with `uv run python -m bench.<name>` and prints its figures."""
