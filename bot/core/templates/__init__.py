"""Role templates: the schema HR writes (schema.py) and reading files with line-exact errors
(files.py)."""
