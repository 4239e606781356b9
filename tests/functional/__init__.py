"""Tests of nnlib.functional (mirrors the package)."""
