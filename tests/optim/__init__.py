"""Tests of nnlib.optim (mirrors the package)."""
