"""The score distribution of a role as a plain inline SVG: no plotting library, no CDN.

One row per competency (and Overall): how many sessions scored in each fifth of 0..1, with the
count written on each bar, so it reads without colour and prints as it shows.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

from ui.shown import e

BINS = 5
LABEL_W, BAR_W, ROW_H, GAP = 240, 70, 46, 6
LABEL_CHARS = 34


def bin_counts(scores: Sequence[float], bins: int = BINS) -> list[int]:
    """How many scores fall in each equal slice of 0..1 (1.0 counts in the last)."""
    counts = [0] * bins
    for s in scores:
        counts[min(int(max(s, 0.0) * bins), bins - 1)] += 1
    return counts


def distribution_svg(title: str, scores: Mapping[str, Sequence[float]]) -> str:
    """An SVG histogram per competency, with a table of the same numbers for screen readers."""
    if not scores:
        return f'<p class="muted">No scored answers for {e(title)} yet.</p>'
    names = [n for n in scores if n != "Overall"] + (["Overall"] if "Overall" in scores else [])
    tallest = max(max(bin_counts(scores[n])) for n in names) or 1
    width = LABEL_W + BINS * (BAR_W + GAP) + 20
    height = 30 + len(names) * ROW_H + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="chart-title">'
        f'<title id="chart-title">Score distribution for {e(title)}</title>'
    ]
    for i in range(BINS):
        x = LABEL_W + i * (BAR_W + GAP)
        parts.append(
            f'<text x="{x + BAR_W / 2}" y="18" class="axis" text-anchor="middle">'
            f"{i / BINS:.1f}–{(i + 1) / BINS:.1f}</text>"
        )
    for row, name in enumerate(names):
        parts.append(_row(name, bin_counts(scores[name]), 30 + row * ROW_H, tallest))
    parts.append("</svg>")
    return f'<figure class="chart">{"".join(parts)}{_table(names, scores)}</figure>'


def _row(name: str, counts: list[int], y: int, tallest: int) -> str:
    inner = ROW_H - 12
    label = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
    out = [f'<text x="0" y="{y + inner / 2 + 5}" class="label">{e(label)}</text>']
    for i, count in enumerate(counts):
        x = LABEL_W + i * (BAR_W + GAP)
        h = round(inner * count / tallest)
        out.append(
            f'<rect x="{x}" y="{y}" width="{BAR_W}" height="{inner}" class="slot"/>'
            f'<rect x="{x}" y="{y + inner - h}" width="{BAR_W}" height="{h}" class="bar"/>'
            f'<text x="{x + BAR_W / 2}" y="{y + inner - 4}" text-anchor="middle" '
            f'class="count">{count}</text>'
        )
    return "".join(out)


def _table(names: list[str], scores: Mapping[str, Sequence[float]]) -> str:
    rows = "".join(
        f"<tr><td>{e(n)}</td><td>{len(scores[n])}</td>"
        f"<td>{statistics.fmean(scores[n]):.2f}</td>"
        f"<td>{min(scores[n]):.2f}</td><td>{max(scores[n]):.2f}</td></tr>"
        for n in names
    )
    return (
        '<table class="chart-table"><tr><th>Competency</th><th>Sessions</th><th>Mean</th>'
        f"<th>Lowest</th><th>Highest</th></tr>{rows}</table>"
    )
