"""Settings: built once in the entry point and passed down, never a module-level global."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, TomlConfigSettingsSource

# The folders shipped with the code: HR's sample roles, the interviewer's prompts and the
# sample documents. Found from the code's own place, so the commands work from any folder.
SHIPPED = Path(__file__).resolve().parents[1]
SERVING_AT = "serving-at"  # in home: the address `serve` serves on, for the other commands


class Settings(BaseSettings):
    """Everything an operator can change, from INTERVIEWER_* variables or interviewer.toml."""

    model_config = SettingsConfigDict(
        env_prefix="INTERVIEWER_", extra="forbid", toml_file="interviewer.toml"
    )

    home: Path = Field(Path("var"), description="Where the database, index and model caches live.")
    models_dir: Path | None = None  # converted model caches; empty: home/models
    roles_dir: Path = SHIPPED / "prompts" / "roles"
    system_prompts_dir: Path = SHIPPED / "prompts" / "system"
    knowledge_dir: Path = Field(
        Path(""),
        description="Job and company documents; empty: home/knowledge, started from "
        "the shipped samples. HR's uploads land here.",
    )
    database_url: str = ""  # empty: sqlite file under home
    chroma_url: str = ""  # empty: the embedded index under home; else a Chroma server's URL
    generator_backend: Literal["embedded", "openai"] = Field(
        "embedded",
        description="'embedded': the app runs the model itself (llama.cpp in a child process it "
        "supervises; transformers in its own process); 'openai': any OpenAI-compatible server "
        "(vLLM, llama.cpp server, Ollama, `interviewer model-server`) at generator_base_url.",
    )
    generator_engine: Literal["auto", "llama", "transformers"] = Field(
        "auto",
        description="For the embedded backend: llama.cpp for GGUF files and the packaged Qwen, "
        "transformers for model folders and hub names (GPT-Neo, SmolLM2 converted).",
    )
    generator_model: str = Field(
        "qwen2.5-coder-0.5b",
        description="Embedded: 'qwen2.5-coder-0.5b' (packaged, llama.cpp), 'smollm2' (packaged, "
        "transformers), a .gguf file, or any AutoModelForCausalLM name or folder, e.g. "
        "EleutherAI/gpt-neo-125m. openai: the model name the server knows.",
    )
    generator_threads: int = Field(
        1,
        description="llama.cpp threads writing tokens. One: with the evaluator busy on the "
        "other core, two threads wait on each other (measured 11 vs 22 tokens/s).",
    )
    generator_batch_threads: int = Field(
        2, description="llama.cpp threads reading a prompt (twice as fast on two idle cores)."
    )
    generator_memory_mb: int = Field(
        8192,
        description="Address space the model process may take; past it the model process "
        "ends (and is restarted), never the web app. 0: no bound.",
    )
    generator_base_url: str = ""  # openai backend: e.g. http://gpu-box:8000/v1
    generator_api_key: SecretStr = SecretStr("")  # openai backend; empty sends a placeholder
    # Embedded: how long a turn waits while the model writes for other candidates before HR's
    # own words stand (a busy model must not keep a candidate waiting); 0 waits however long.
    generator_wait_s: float = 2.0
    # How long the model may take to rephrase HR's probe for the missing point; past it HR's
    # words stand at once (the candidate never waits on phrasing). 0: HR's words always.
    probe_budget_s: float = Field(1.0, ge=0)
    # Between questions: the script's neutral lines, in turn ("script"), or the model's words
    # about the answer, guarded, with the script's line when they are refused ("model").
    acknowledgements: Literal["script", "model"] = "script"
    generator_timeout_s: float = 20.0  # openai backend: per request, then HR's words stand
    generator_retries: int = 1  # openai backend: retries after a failed request
    generator_max_new_tokens: int = 60
    generator_do_sample: bool = False  # deterministic by default: same answer, same probe
    embedding_model: str = (
        "minilm"  # the packaged all-MiniLM-L6-v2, or a sentence-transformers folder
    )
    evaluator_model: str = ""  # empty: the artifact shipped in bot/evaluator/artifact
    evaluator_precision: Literal["fp32", "int8"] = Field(
        "fp32",
        description="The evaluator's weights on ONNX Runtime: int8 scores about twice as fast "
        "but moved SciEntsBank 3-way F1 by -0.012 (README, Measured); fp32 matches torch.",
    )
    evaluator_threads: int = Field(
        2,
        description="Threads the evaluator and the sentence encoder compute on (ONNX Runtime, "
        "never spinning while idle, so the model process keeps its core when they wait).",
    )
    company_name: str = "Northwind Labs"
    contact: str = Field(
        "accessibility@northwind.example",
        description="Where a candidate asks for a person-led process or an adjustment.",
    )
    torch_threads: int = Field(
        1,
        description="torch threads, for the transformers generator engine and training. One: "
        "on a small shared CPU, two threads spin against each other and every other process "
        "(measured 6x slower generation).",
    )
    answer_char_limit: int = 4000  # longer answers are stored whole, truncated only for models
    answer_max_chars: int = Field(
        10_000,
        description="Longest message a candidate may send; longer ones are refused "
        "with a message and stay in the box.",
    )
    feedback_max_chars: int = 2000  # the candidate's optional comment, given once
    retention_days: int = Field(
        365,
        description="Days after the decision (or the last activity, if undecided) after "
        "which `interviewer retention apply` erases a candidate's data.",
    )
    fairness_min_group: int = Field(
        5,
        description="Groups smaller than this are shown as 'fewer than N' in every fairness "
        "view and export, with no rate: a small group points at a person.",
    )
    scores_to_candidates: bool = False  # a candidate's copy of their data includes the scores
    upload_max_mb: int = 10  # any upload (documents included); larger ones are refused
    uploads_per_window: int = 30  # uploads per client address per window
    upload_window_seconds: int = 600
    upload_max_files: int = Field(
        20, description="Files one upload request may carry (a recruiter's batch of resumes)."
    )
    request_max_kb: int = Field(
        1024, description="Largest body of any other request (a page's call); larger: 413."
    )
    requests_per_minute: int = Field(
        600, description="Requests with a body one client address may send a minute; more: 429."
    )
    trusted_proxies: str = Field(
        "",
        description="Addresses or networks (comma-separated) of reverse proxies whose "
        "X-Forwarded-For names the client; empty: the connection's own address counts.",
    )
    concurrent_turns: int = 8  # requests the web app works on at once
    retrieval_k: int = 12  # passages a candidate's question is answered from
    host: str = "127.0.0.1"
    port: int = 7860
    public_url: str = Field(
        "",
        description="The address candidates and staff open (behind a proxy: the proxy's, e.g. "
        "https://jobs.example.com); empty: where `serve` last said it serves, else host:port.",
    )
    invite_ttl_hours: int = 168

    @model_validator(mode="after")
    def _documents_live_with_the_data(self) -> Settings:
        if self.knowledge_dir == Path(""):
            self.knowledge_dir = self.home / "knowledge"
        return self

    @classmethod
    def settings_customise_sources(
        cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings
    ):  # type: ignore[override]
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.home / 'interviewer.db').resolve()}"

    @property
    def base_url(self) -> str:
        """Where the app is reached: PUBLIC_URL, or the address `serve` recorded at start
        (its --host/--port may differ from the settings), or host:port."""
        if self.public_url:
            return self.public_url.rstrip("/")
        try:
            recorded = (self.home / SERVING_AT).read_text(encoding="utf-8").strip()
        except OSError:
            recorded = ""
        return recorded or f"http://{self.host}:{self.port}"

    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"

    @property
    def model_cache_dir(self) -> Path:
        return self.models_dir or self.home / "models"
