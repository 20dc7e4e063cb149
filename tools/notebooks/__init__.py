"""Notebook sources: one module per notebook, each with NAME and CELLS."""
