"""Tests of nnlib.models (mirrors the package)."""
