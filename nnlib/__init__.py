"""nnlib: a small, fully gradient-checked NumPy neural-network library.

It is the library behind the book *Neural Networks from First Principles*.
Only NumPy is imported here; the chapter helpers in :mod:`nnlib.book` need the
``book`` extra (SymPy, matplotlib, ipywidgets).
"""

__version__ = "0.1.0"
