"""Tests of nnlib.data (mirrors the package)."""
