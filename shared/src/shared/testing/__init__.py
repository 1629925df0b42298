"""Test support: the pytest plugin that starts the embedded stack, and helpers for tests."""
