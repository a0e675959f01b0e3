"""Resumes: read, made blind, matched against a role's requirements with evidence.

The path of one resume:

    file (PDF, DOCX, TXT, Markdown)  --reading.py-->  plain text, line by line
    plain text                       --blind.py---->  the name, contacts, age, gender words,
                                                      nationality, marital status and
                                                      graduation years masked (what was
                                                      masked is kept for the recruiter)
    masked text                      --sections.py->  sections (experience, education, skills,
                                                      other) and dated experience entries
    masked text + requirements       --matching.py->  per requirement: met / partly / not shown,
                                                      the resume line that carries it, years
                                                      from the dates; a coverage score with
                                                      its confidence

Models read the masked text only: a name, a pronoun or a school year cannot move a score. A
match never rejects anyone; it is shown beside the interview score for a person to weigh.
"""
