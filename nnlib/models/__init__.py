"""Model builders: :func:`mlp` (chapter 4's multilayer perceptron); later chapters add theirs here."""

from nnlib.models.mlp import mlp

__all__ = ["mlp"]
