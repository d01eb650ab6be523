"""This folder is also the Python package riskkit.data (pyproject.toml maps it), so the
catalogue and the indicators ship inside riskkit's wheel. Edit the YAML files; this file
only marks the folder and holds no data."""
