"""The chat model the writer speaks through: a local transformers pipeline inside LangChain.

Never touches a model hub: the tokenizer is handed to ChatHuggingFace, and generation is
bounded per prompt (a probe stops at its '?', an acknowledgement at its '.').
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from bot.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


# For tokenizers without a chat template (GPT-Neo and other base models): plain labelled turns.
PLAIN_CHAT_TEMPLATE = (
    "{% for m in messages %}{% if m['role'] == 'system' %}{{ m['content'] }}\n\n"
    "{% elif m['role'] == 'user' %}{{ m['content'] }}\n{% else %}Interviewer: {{ m['content'] }}\n"
    "{% endif %}{% endfor %}{% if add_generation_prompt %}Interviewer:{% endif %}"
)


def build_chat_model(model: Any, tokenizer: Any, version: str, settings: Settings) -> BaseChatModel:
    """ChatHuggingFace over a local transformers text-generation pipeline; never touches the hub."""
    from langchain_huggingface import ChatHuggingFace, HuggingFacePipeline
    from transformers import pipeline

    if not getattr(tokenizer, "chat_template", None):
        tokenizer.chat_template = PLAIN_CHAT_TEMPLATE
    sampling: dict[str, Any] = (
        {"do_sample": True, "temperature": 0.7, "top_p": 0.9}
        if settings.generator_do_sample
        else {"do_sample": False}
    )
    generate = pipeline(
        "text-generation",
        model=model,
        tokenizer=tokenizer,
        max_new_tokens=settings.generator_max_new_tokens,
        return_full_text=False,
        **sampling,
    )
    llm = HuggingFacePipeline(pipeline=generate, model_id=version)
    # Handing over the tokenizer keeps ChatHuggingFace from fetching one by model_id.
    return ChatHuggingFace(llm=llm, tokenizer=tokenizer, model_id=version)


def pipeline_options(settings: Settings, tokenizer: Any = None) -> dict[str, dict[str, Any]]:
    """Per-prompt generation bounds: a probe stops at its '?', an acknowledgement at its '.'."""
    cap = settings.generator_max_new_tokens

    def bounded(tokens: int, stops: tuple[str, ...]) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"max_new_tokens": min(cap, tokens)}
        if tokenizer is not None:
            kwargs["stopping_criteria"] = _stop_on_text(tokenizer, stops)
        return {"pipeline_kwargs": kwargs}

    return {
        "probe": bounded(40, ("?", "\n\n")),
        "acknowledge": bounded(24, (".", "!", "\n")),
        "draft_questions": {"pipeline_kwargs": {"max_new_tokens": max(cap, 400)}},
    }


def _stop_on_text(tokenizer: Any, stops: tuple[str, ...]) -> Any:
    """Stop as soon as the newest tokens spell a stop string; works with any vocabulary.

    (transformers' own stop_strings precomputes over the whole vocabulary on every call, and
    refuses strings a vocabulary cannot spell, such as a newline in WordPiece.)
    """
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class StopOnText(StoppingCriteria):
        def __init__(self) -> None:
            self.seen = threading.local()  # one generation per thread: where its new text starts

        def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
            length = input_ids.shape[1]
            if getattr(self.seen, "length", None) != length - 1:  # first step of a new generation
                self.seen.start = length - 1
            self.seen.length = length
            tails = tokenizer.batch_decode(input_ids[:, max(self.seen.start, length - 2) :])
            done = [any(stop in tail for stop in stops) for tail in tails]
            return torch.tensor(done, dtype=torch.bool, device=input_ids.device)

    return StoppingCriteriaList([StopOnText()])
