"""Role templates, one floor above the core: the schema HR writes (schema.py), reading files
with line-exact errors (files.py, budget.py) and the interviewer's fixed words (script.py).
The core machine reads the validated templates through its own protocols."""
