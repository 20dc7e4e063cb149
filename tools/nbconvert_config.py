"""nbconvert settings for ``make notebooks``: execute a notebook in place, the same way every time.

Used as ``jupyter nbconvert --config tools/nbconvert_config.py --to notebook --execute --inplace``
after jupytext has updated the notebook's cells from its ``.py`` twin (see the Makefile).
"""

c = get_config()  # noqa: F821  (traitlets defines get_config when it loads this file)

# A fresh python3 kernel (the ipykernel of .venv), no timestamps in the cells' metadata. A cell
# that raises fails the run unless it is tagged raises-exception.
c.ExecutePreprocessor.kernel_name = "python3"
c.ExecutePreprocessor.record_timing = False

# After execution, nbconvert's default chain ends with ClearMetadataPreprocessor: keep every cell's
# metadata (tags drive nbval) and, of the notebook's, the kernelspec, the jupytext settings and the
# language's name (nbconvert's default), not the rest of language_info, whose version would change
# with the Python patch release that ran the notebook.
c.ClearMetadataPreprocessor.enabled = True
c.ClearMetadataPreprocessor.clear_cell_metadata = False
c.ClearMetadataPreprocessor.preserve_nb_metadata_mask = {
    "kernelspec",
    "jupytext",
    ("language_info", "name"),
}

# Then merge consecutive stdout (or stderr) outputs of a cell, as nbval does before comparing: the
# kernel may split one print into several stream messages, and merged they rewrite byte-identically.
c.NotebookExporter.preprocessors = ["nbconvert.preprocessors.CoalesceStreamsPreprocessor"]
