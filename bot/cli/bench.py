"""`interviewer bench ...`: each benchmark parses the words after its name itself."""

from __future__ import annotations


def bench_answers(args, rest) -> int:
    """`interviewer bench answers ...`."""
    from bot.bench.answers import main as answers_main

    return answers_main(rest)


def bench_generator(args, rest) -> int:
    """`interviewer bench generator ...`."""
    from bot.bench.generator import main as generator_main

    return generator_main(rest)


def bench_load(args, rest) -> int:
    """`interviewer bench load ...`."""
    from bot.bench.load import main as load_main

    return load_main(rest)


def bench_scoring(args, rest) -> int:
    """`interviewer bench scoring ...`."""
    from bot.bench.scoring import scoring_main

    return scoring_main(rest)
