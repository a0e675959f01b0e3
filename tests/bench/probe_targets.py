"""Which key point a probe would ask for, against a person's labels.

`python -m tests.bench.probe_targets [FILE]`

FILE (default tests/bench/fresh/answers_labelled.yaml, written and labelled by someone who read
only the role templates): per role and question, answers with the key points they really
cover. Each answer is scored by the real evaluator; the probe's target is compared with the
labels for three rules: the first missing point in the template's order, the least supported
one (what the turn uses: `AnswerScore.to_probe`), and the least supported leaving out points
the evaluator is unsure of. Prints, for each, the probes asked, the probes that ask for a point
the answer had said, and the answers that lack a point but are not probed.
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

import yaml

from bot.catalog import RoleCatalog
from bot.evaluator import load_scorer
from bot.settings import Settings
from bot.store import Store

DEFAULT = Path(__file__).parent / "fresh" / "answers_labelled.yaml"


def main(path: Path = DEFAULT) -> dict[str, int]:
    settings = Settings()  # type: ignore[call-arg]
    catalog = RoleCatalog(Store(settings.db_url), settings.roles_dir)
    catalog.publish_role_files()
    scorer = load_scorer(settings)
    counts: collections.Counter[str] = collections.Counter()
    for role_id, questions in yaml.safe_load(path.read_text(encoding="utf-8")).items():
        for question in catalog.role(role_id).questions:
            for answer in questions.get(question.id, []):
                said = set(answer.get("covers") or [])
                lacks = any(k.id not in said for k in question.key_points)
                score = scorer.score(question, answer["text"])
                unsure = {k.key_point_id for k in score.key_points if k.needs_review}
                sure = [i for i in score.to_probe if i not in unsure]
                counts["answers"] += 1
                counts["lacking a point"] += lacks
                for rule, targets in (("first missing", score.missing),
                                      ("least supported", score.to_probe),
                                      ("least supported, sure only", tuple(sure))):  # fmt: skip
                    if targets:
                        counts[f"{rule}: probes"] += 1
                        counts[f"{rule}: asks for what was said"] += targets[0] in said
                    else:
                        counts[f"{rule}: lacking, not probed"] += lacks
    for key, value in counts.items():
        print(f"{key:<50} {value}")
    return dict(counts)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
