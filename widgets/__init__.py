"""ipywidgets built on toolkit."""
