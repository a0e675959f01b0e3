"""Recruiters screen resumes for a role: one invite per readable file, the masked text and the
match kept with it, a bad file named with its reason, and the resume erased with the session."""

from __future__ import annotations

import pytest

from bot.core.errors import AccessDenied, InputError
from bot.resumes.matching import ResumeMatcher
from tests.unit.test_resumes import RESUME, WordJudge
from tests.unit.test_service import write_role
from tests.unit.test_staff import make_parts

REQUIREMENTS = [
    {"text": "I have built and ran HTTP APIs in Python", "must": True, "years": None},
    {"text": "I have moved billing to a message queue", "must": False, "years": None},
]


@pytest.fixture
def parts(tmp_path, database_url):
    p = make_parts(tmp_path, database_url)
    write_role(p.settings.roles_dir, version=2, requirements=REQUIREMENTS)
    p.service.catalog.publish_role_files()
    p.staff.matcher = ResumeMatcher(WordJudge())
    return p


def test_each_resume_gets_an_invite_its_match_and_a_bad_file_its_reason(parts):
    seen: list[tuple[int, int]] = []
    files = [("maria.md", RESUME.encode()), ("photo.png", b"\x89PNG"),
             ("other.txt", RESUME.replace("Maria Kowalska", "Jo Bloggs").encode())]  # fmt: skip
    done = parts.staff.screen_resumes(parts.recruiter, "test-role", files,
                                      lambda n, total: seen.append((n, total)))  # fmt: skip
    assert seen == [(1, 3), (2, 3), (3, 3)]  # progress for every file
    first, bad, third = done
    assert "PDF, DOCX, TXT or Markdown" in bad.problem and bad.invite is None
    assert first.invite and third.invite and first.invite.token != third.invite.token
    assert first.invite.email == "maria.kowalska@example.com"  # kept with the invite
    row = first.resume
    assert row is not None and "Maria" not in row.blind_text
    assert ["name", "Maria Kowalska"] in row.masked["items"]  # the recruiter sees what went
    verdicts = [r["verdict"] for r in row.match["requirements"]]
    assert verdicts[0] == "met" and row.score > 0.5
    assert [r.file_name for r in parts.staff.role_resumes(parts.recruiter, "test-role")] == [
        "other.txt", "maria.md"]  # fmt: skip


def test_only_recruiters_screen_and_a_role_without_requirements_says_how_to_add_them(parts):
    with pytest.raises(AccessDenied):
        parts.staff.screen_resumes(parts.hr, "test-role", [("a.md", RESUME.encode())])
    write_role(parts.settings.roles_dir, version=3, requirements=[])
    parts.service.catalog.publish_role_files()
    with pytest.raises(InputError, match="requirements:"):
        parts.staff.screen_resumes(parts.recruiter, "test-role", [("a.md", RESUME.encode())])


def test_a_resume_goes_with_the_candidate_s_erasure(parts):
    (done,) = parts.staff.screen_resumes(parts.recruiter, "test-role", [("a.md", RESUME.encode())])
    assert done.invite is not None
    sid = parts.service.desk.open_invite(done.invite.token)
    assert parts.store.resume_of_session(sid) is not None
    removed = parts.store.erase_session(sid, "candidate", "candidate request")
    assert removed["resumes"] == 1 and parts.store.resume_of_session(sid) is None
    assert parts.staff.role_resumes(parts.recruiter, "test-role") == []


def test_other_open_roles_are_ranked_for_a_screened_resume(parts):
    (done,) = parts.staff.screen_resumes(parts.recruiter, "test-role", [("a.md", RESUME.encode())])
    assert done.resume is not None
    other = (parts.settings.roles_dir / "test-role.yaml").read_text(encoding="utf-8")
    other = other.replace("id: test-role", "id: queue-role").replace(
        "I have built and ran HTTP APIs in Python", "I have supported customers by phone")
    (parts.settings.roles_dir / "queue-role.yaml").write_text(other, encoding="utf-8")
    parts.service.catalog.publish_role_files()
    ranked = parts.staff.other_roles(parts.recruiter, done.resume.id)
    assert [r.role_id for r in ranked] == ["queue-role"]  # never the resume's own role
    verdicts = [r["verdict"] for r in ranked[0].match["requirements"]]
    assert verdicts[0] == "not shown" and ranked[0].score < done.resume.score


def test_the_recruiter_s_transcript_shows_the_resume_match_beside_the_interview(parts):
    from ui.review_html import transcript_html

    (done,) = parts.staff.screen_resumes(parts.recruiter, "test-role", [("cv.md", RESUME.encode())])
    assert done.invite is not None and done.resume is not None
    sid = parts.service.desk.open_invite(done.invite.token)
    view = parts.staff.transcript(parts.recruiter, sid)
    assert view.resume is not None and view.resume["score"] == done.resume.score
    page = transcript_html(view)
    assert "Resume match" in page and "1 of 1 must-haves met" in page and "cv.md" in page
    assert "not part of its score" in page


def test_a_candidate_attaches_a_resume_through_their_invite(parts):
    invite = parts.staff.create_invite(parts.recruiter, "test-role")
    desk = parts.service.desk
    desk._matcher = ResumeMatcher(WordJudge())
    with pytest.raises(AccessDenied, match="not been opened"):
        desk.attach_resume(invite.token, "cv.md", RESUME.encode())
    sid = desk.open_invite(invite.token)
    with pytest.raises(InputError, match="agree to the interview first"):
        desk.attach_resume(invite.token, "cv.md", RESUME.encode())
    desk.reply(invite.token, "yes")
    said = desk.attach_resume(invite.token, "cv.md", RESUME.encode())
    assert "masked" in said and "cv.md" in said
    kept = parts.store.resume_of_session(sid)
    assert kept is not None and kept.added_by == "candidate" and "Maria" not in kept.blind_text
    with pytest.raises(InputError, match="not UTF-8"):
        desk.attach_resume(invite.token, "cv.txt", "Résumé".encode("latin-1") * 30)
    assert parts.store.resume_of_session(sid) == kept  # a bad file loses nothing


def test_a_role_without_requirements_takes_no_resume(parts):
    write_role(parts.settings.roles_dir, version=3, requirements=[])
    parts.service.catalog.publish_role_files()
    invite = parts.staff.create_invite(parts.recruiter, "test-role")
    parts.service.desk.open_invite(invite.token)
    parts.service.desk.reply(invite.token, "yes")
    with pytest.raises(InputError, match="does not take a resume"):
        parts.service.desk.attach_resume(invite.token, "cv.md", RESUME.encode())
