"""The candidate's interview as a small JSON API beside the pages: the same service, the same
checks (the invite token says whose interview it is), for other front ends and load tests.

    POST /api/interview/open   {"invite": T}                               -> the conversation
    POST /api/interview/reply  {"invite": T, "text": S, "seen": V, "key": K} -> the reply

Requests are pydantic models, strictly typed: `text` is a string, `seen` (the version the
client showed, so that a message is never stored as the answer to a later question) is a
required integer, `key` (idempotency) an optional string. Anything else is refused with 422
and a message naming the field.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.core.errors import AccessDenied, BotError, InputError, TurnConflict
from bot.core.messages import plain_text
from bot.invites import EXPIRED
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
    status = (
        403
        if isinstance(exc, AccessDenied)
        else 409
        if isinstance(exc, TurnConflict)
        else (422 if isinstance(exc, InputError) else 503)
    )
    return status, {"error": exc.public(), "code": exc.code}


class OpenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    invite: str = Field(max_length=200)


class ReplyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    invite: str = Field(max_length=200)
    text: str
    seen: int = Field(ge=-1)
    key: str | None = Field(None, max_length=64)

    @field_validator("text", "key")
    @classmethod
    def _plain(cls, value: str | None) -> str | None:
        """A lone surrogate (valid JSON, not valid UTF-8) would break every later encoding."""
        return None if value is None else plain_text(value)


def add_routes(api: Any, service: InterviewService) -> None:
    """Add the candidate API to a FastAPI app."""
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse

    @api.exception_handler(RequestValidationError)
    async def refused(request: Any, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'] if p != 'body') or 'body'}: {e['msg']}"
            for e in exc.errors()
        )
        return JSONResponse(
            {"error": f"the request was refused: {problems}", "code": InputError.code}, 422
        )

    @api.post("/api/interview/open")
    def open_interview(body: OpenRequest) -> JSONResponse:
        try:
            page = service.desk.open(body.invite)
            if page.now is None:  # the link's time is over; the rights are on the page
                raise AccessDenied(EXPIRED)
        except BotError as exc:
            return JSONResponse(_error(exc)[1], _error(exc)[0])
        return JSONResponse(_result(page.now, list(page.history)))

    @api.post("/api/interview/reply")
    def reply(body: ReplyRequest) -> JSONResponse:
        key = body.key or message_key(body.seen, body.text)
        try:
            result = service.desk.reply(body.invite, body.text, key=key[:64], seen=body.seen)
        except BotError as exc:
            return JSONResponse(_error(exc)[1], _error(exc)[0])
        return JSONResponse(_result(result))
