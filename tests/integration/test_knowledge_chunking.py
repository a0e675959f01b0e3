"""How documents are cut before indexing: by heading, then by size, nothing lost (no models)."""

from __future__ import annotations

import re

from bot.knowledge.base import MAX_CHARS, Section, chunk_document, markdown_sections, split_text


def test_sections_follow_the_heading_path_and_ignore_hashes_in_code():
    text = """Preamble line.

# Acme
Intro.

## Benefits
### Leave
27 days.

```bash
# not a heading
```

## Hiring process ##
Two interviews.
"""
    assert markdown_sections(text) == [
        Section("", "Preamble line."),
        Section("Acme", "Intro."),
        Section("Acme > Benefits > Leave", "27 days.\n\n```bash\n# not a heading\n```"),
        Section("Acme > Hiring process", "Two interviews."),
    ]


def test_long_text_is_cut_near_the_size_limit_with_a_sentence_of_overlap():
    sentences = [f"Sentence {i} says the team ships feature number {i} on time." for i in range(60)]
    paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, 60, 4)]
    chunks = split_text("\n\n".join(paragraphs))
    assert len(chunks) > 3
    assert all(len(c) <= MAX_CHARS + 2 for c in chunks)
    assert all(len(c) >= 300 for c in chunks[:-1])  # packed, not one paragraph per chunk
    found = {s for c in chunks for s in re.findall(r"Sentence \d+ says[^.]*\.", c)}
    assert found == set(sentences)  # nothing dropped at a cut
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.split("\n\n")[0] in before  # each chunk opens with its predecessor's end


def test_one_huge_paragraph_without_punctuation_is_still_cut(tmp_path):
    doc = tmp_path / "wall.txt"
    doc.write_text("word " * 1000, encoding="utf-8")
    chunks = chunk_document(doc)
    assert len(chunks) >= 6
    assert all(len(c.text) <= MAX_CHARS + 2 and c.heading == "" for c in chunks)
    assert sum(c.text.count("word") for c in chunks) >= 1000
