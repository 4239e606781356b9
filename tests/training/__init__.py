"""Tests of nnlib.training (mirrors the package)."""
