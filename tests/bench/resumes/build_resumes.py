#!/usr/bin/env python3
"""Assemble resumes.jsonl from the hand-written sources in src/.

src/jobs/*.md          job texts (three copied unchanged from the product's knowledge/jobs,
                       ar-clerk.md written for this set)
src/resumes/*          one hand-written resume per file (Markdown or plain text)
src/manifest.tsv       resume_id, job_id, relevance, the writer's note on the grade
"""
import csv
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
DATASET = "fresh-resumes-v1"

JOBS = {
    "backend-python": {
        "title": "Backend Python Engineer",
        "requirements": [
            "I have at least 3 years of professional experience building backend services, "
            "with Python as my main language for at least 2 of them",
            "I have designed and maintained HTTP APIs that other teams or customers use",
            "I work confidently with relational databases and SQL, including indexes, "
            "transactions and reading query plans",
            "I write automated tests as a normal part of my work",
            "I write clear English in technical discussions and documents",
        ],
    },
    "customer-support": {
        "title": "Customer Support Specialist",
        "requirements": [
            "I have at least 1 year of experience in customer support, customer service or "
            "another customer-facing role",
            "I have answered customer questions and problems by email, chat or phone",
            "I write clear, friendly English",
            "I learn software in depth and explain it to customers in simple terms",
            "I handle a busy queue of requests calmly and in an organised way",
        ],
    },
    "data-analyst": {
        "title": "Data Analyst",
        "requirements": [
            "I have at least 2 years of experience working as an analyst",
            "I write SQL with joins, aggregations and window functions, and I check my own "
            "results",
            "I use statistics in my analyses, such as distributions and confidence intervals",
            "I have designed or analysed experiments such as A/B tests",
            "I explain my findings clearly to people who are not analysts, in writing and "
            "in person",
        ],
    },
    "ar-clerk": {
        "title": "Accounts Receivable Clerk",
        "requirements": None,  # the matcher derives them from job_text
    },
}


def job_text(job_id):
    with open(os.path.join(SRC, "jobs", job_id + ".md"), encoding="utf-8") as f:
        return f.read()


def resume_text(resume_id):
    d = os.path.join(SRC, "resumes")
    (name,) = [n for n in os.listdir(d) if os.path.splitext(n)[0] == resume_id]
    with open(os.path.join(d, name), encoding="utf-8") as f:
        return f.read()


def main():
    with open(os.path.join(SRC, "manifest.tsv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    out = os.path.join(HERE, "resumes.jsonl")
    with open(out, "w", encoding="utf-8") as f:
        for r in rows:
            job = JOBS[r["job_id"]]
            rec = {
                "id": f"{DATASET}:{r['job_id']}:{r['resume_id']}",
                "dataset": DATASET,
                "job_id": r["job_id"],
                "job_title": job["title"],
                "job_text": job_text(r["job_id"]),
                "requirements": job["requirements"],
                "resume_id": r["resume_id"],
                "resume_text": resume_text(r["resume_id"]),
                "resume_file": None,
                "relevance": int(r["relevance"]),
                "annotator": "writer",
                "draw": None,
                "group": None,
            }
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {out}")


if __name__ == "__main__":
    main()
