"""The benchmarks that print the README's figures, one module each, all run through one entry:
`interviewer bench scoring|answers|generator|load ...`; each module declares its own command.

scoring.py    graded-answer files (../shared/bench/FORMAT.md) scored by the evaluator
answers.py    candidates' questions answered from the role's documents (right / deferred / wrong)
generator.py  the interviewer's texts: guard refusals, probes for covered points, latency
load.py       many candidates at once through the served app's HTTP API
"""
