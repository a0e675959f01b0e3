"""The candidate's interview as a small JSON API beside the pages: the same service, the same
checks (the invite token says whose interview it is), for other front ends and load tests.

    POST /api/interview/open   {"invite": T}                               -> the conversation
    POST /api/interview/reply  {"invite": T, "text": S, "seen": V, "key": K} -> the reply
"""

from __future__ import annotations

from typing import Any

from bot.core.errors import AccessDenied, BotError, InputError, TurnConflict
from bot.service import InterviewService, TurnResult, message_key
from bot.transcript import Message


def _message(m: Message) -> dict[str, Any]:
    return {
        "speaker": m.speaker,
        "kind": m.kind,
        "text": m.text,
        "sources": [{"source": s.source, "heading": s.heading} for s in m.sources],
    }


def _result(result: TurnResult, messages: list[Message] | None = None) -> dict[str, Any]:
    said = messages if messages is not None else list(result.messages)
    return {
        "messages": [_message(m) for m in said],
        "phase": result.stage.phase,
        "progress": result.stage.progress,
        "version": result.version,
    }


def _error(exc: BotError) -> tuple[int, dict[str, Any]]:
    status = 403 if isinstance(exc, AccessDenied) else 409 if isinstance(exc, TurnConflict) else (
        422 if isinstance(exc, InputError) else 503
    )
    return status, {"error": exc.public(), "code": exc.code}


def add_routes(api: Any, service: InterviewService) -> None:
    """Add the candidate API to a FastAPI app."""
    from fastapi import Body
    from fastapi.responses import JSONResponse

    @api.post("/api/interview/open")
    def open_interview(body: dict[str, Any] = Body(...)) -> JSONResponse:  # noqa: B008
        token = str(body.get("invite", ""))
        try:
            service.open_invite(token)
            history = service.candidate_history(token)
            now = service.candidate_stage(token)
        except BotError as exc:
            return JSONResponse(_error(exc)[1], _error(exc)[0])
        return JSONResponse(_result(now, history))

    @api.post("/api/interview/reply")
    def reply(body: dict[str, Any] = Body(...)) -> JSONResponse:  # noqa: B008
        token, text = str(body.get("invite", "")), str(body.get("text", ""))
        seen = body.get("seen")
        try:
            version = int(seen) if seen is not None else None
        except (TypeError, ValueError):
            return JSONResponse({"error": "seen must be the version number the page showed"}, 422)
        key = str(body.get("key") or message_key(version if version is not None else -1, text))
        try:
            result = service.candidate_reply(token, text, key=key[:64], seen=version)
        except BotError as exc:
            return JSONResponse(_error(exc)[1], _error(exc)[0])
        return JSONResponse(_result(result))
