"""Tests of nnlib.layers (mirrors the package)."""
