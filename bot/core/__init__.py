"""The interview's own logic: state machine, messages, policy, errors, template problems.

Standard library and the project's own types only; never a framework, a model, a database or a
file format (reading HR's YAML into validated templates is bot/roles/, one floor up): a test
keeps them out.
"""
