"""The interview's own logic: state machine, role templates, policy, errors.

Standard library and the project's own types (plus pydantic and PyYAML for HR's files); never
a framework, a model or a database: a test keeps them out.
"""
