"""Model classes for an OpenAI-compatible API, built on the SDK's own ``openai_compatible`` classes.

The SDK classes read ``endpoint_url``, ``mode``, ``context_size``, ``function_calling_type`` ...
from the credentials; ``models/common.py`` adds those a predefined model's YAML already states
and maps HTTP statuses to Dify's invoke errors (the SDK raises one generic error for all of
them). Rerank, speech2text, tts and moderation send their own requests where the SDK's would
lose the status code or normalise scores.
"""

from string import Template

COMMON = Template('''\
"""Shared by the model classes: credentials completed from the model's YAML, and HTTP
failures turned into Dify's invoke errors."""

import re
from collections.abc import Mapping

import requests
from dify_plugin.entities.model import ModelFeature
from dify_plugin.errors.model import (
    CredentialsValidateFailedError,
    InvokeAuthorizationError,
    InvokeBadRequestError,
    InvokeConnectionError,
    InvokeError,
    InvokeRateLimitError,
    InvokeServerUnavailableError,
)

BASE_URL = $base_url
TIMEOUT = (10, 300)

ERROR_MAPPING: dict[type[InvokeError], list[type[Exception]]] = {
    InvokeConnectionError: [
        InvokeConnectionError,
        requests.exceptions.ConnectionError,
        requests.exceptions.Timeout,
    ],
    InvokeServerUnavailableError: [InvokeServerUnavailableError],
    InvokeRateLimitError: [InvokeRateLimitError],
    InvokeAuthorizationError: [InvokeAuthorizationError, requests.exceptions.InvalidHeader],
    InvokeBadRequestError: [
        InvokeBadRequestError,
        requests.exceptions.HTTPError,
        requests.exceptions.InvalidURL,
        requests.exceptions.MissingSchema,
        requests.exceptions.InvalidSchema,
    ],
}

# The SDK's chat model reports every HTTP failure as "... status code 401: ...".
_SDK_STATUS = re.compile(r"status code (\\d{3})")


$error_for_status


def raise_for_status(response: requests.Response) -> None:
    if response.status_code >= 400:
        raise error_for_status(response.status_code, response.text)


def translated(error: Exception) -> Exception:
    """The invoke error an HTTP failure stands for; other errors as they are."""
    if isinstance(error, requests.exceptions.HTTPError) and error.response is not None:
        return error_for_status(error.response.status_code, error.response.text)
    if type(error) is InvokeError:
        match = _SDK_STATUS.search(str(error))
        if match:
            return error_for_status(int(match.group(1)), str(error))
    return error


def endpoint_url(credentials: Mapping) -> str:
    url = credentials.get("endpoint_url") or BASE_URL
    if not url:
        raise CredentialsValidateFailedError("Enter the API endpoint URL in the credentials.")
    return url


def api_headers(credentials: Mapping) -> dict[str, str]:
    headers = {}
    if api_key := credentials.get("api_key"):
        headers["Authorization"] = f"Bearer {api_key}"
    return headers


def join_url(credentials: Mapping, path: str) -> str:
    return f"{endpoint_url(credentials).rstrip('/')}/{path}"


def post(credentials: Mapping, path: str, **request) -> requests.Response:
    """POST to `path` under the endpoint with the API key; HTTP failures as invoke errors."""
    url = join_url(credentials, path)
    response = requests.post(url, headers=api_headers(credentials), timeout=TIMEOUT, **request)
    raise_for_status(response)
    return response


$mapped_errors


$offline_token_count


def completed_credentials(model_instance, model: str, credentials: Mapping) -> dict:
    """The credentials plus what the model's schema says (mode, context size, tool calls ...):
    the SDK's OpenAI-compatible classes read these from the credentials."""
    completed = dict(credentials)
    completed["endpoint_url"] = endpoint_url(credentials)
    schema = model_instance.get_model_schema(model, credentials)
    if schema is None:
        return completed
    for key, value in schema.model_properties.items():
        completed.setdefault(getattr(key, "value", key), value)
    features = schema.features or []
    if ModelFeature.TOOL_CALL in features or ModelFeature.MULTI_TOOL_CALL in features:
        completed.setdefault("function_calling_type", "tool_call")
    if ModelFeature.STREAM_TOOL_CALL in features:
        completed.setdefault("stream_function_calling", "supported")
    if ModelFeature.VISION in features:
        completed.setdefault("vision_support", "support")
    return completed
''')

LLM = Template('''\
from collections.abc import Generator

from dify_plugin.entities.model.llm import LLMResult
from dify_plugin.entities.model.message import PromptMessage, PromptMessageTool
from dify_plugin.interfaces.model.openai_compatible.llm import OAICompatLargeLanguageModel

from models.common import (
    MappedErrors,
    OfflineTokenCount,
    completed_credentials,
    translated,
)


class $cls(MappedErrors, OfflineTokenCount, OAICompatLargeLanguageModel):
    """Chat and completion models, blocking and streaming, with tool calls, vision content, stop
    words and usage priced from the model's YAML (all done by the SDK's OpenAI-compatible class)."""

    def _invoke(
        self,
        model: str,
        credentials: dict,
        prompt_messages: list[PromptMessage],
        model_parameters: dict,
        tools: list[PromptMessageTool] | None = None,
        stop: list[str] | None = None,
        stream: bool = True,
        user: str | None = None,
    ) -> LLMResult | Generator:
        credentials = completed_credentials(self, model, credentials)
        try:
            return super()._invoke(
                model, credentials, prompt_messages, model_parameters, tools, stop, stream, user
            )
        except Exception as error:
            raise translated(error) from error

    def get_num_tokens(
        self,
        model: str,
        credentials: dict,
        prompt_messages: list[PromptMessage],
        tools: list[PromptMessageTool] | None = None,
    ) -> int:
        credentials = completed_credentials(self, model, credentials)
        return super().get_num_tokens(model, credentials, prompt_messages, tools)

    def validate_credentials(self, model: str, credentials: dict) -> None:
        super().validate_credentials(model, completed_credentials(self, model, credentials))
''')

TEXT_EMBEDDING = Template('''\
from dify_plugin.entities.model import EmbeddingInputType
from dify_plugin.entities.model.text_embedding import TextEmbeddingResult
from dify_plugin.interfaces.model.openai_compatible.text_embedding import OAICompatEmbeddingModel

from models.common import (
    MappedErrors,
    OfflineTokenCount,
    completed_credentials,
    translated,
)


class $cls(MappedErrors, OfflineTokenCount, OAICompatEmbeddingModel):
    """Embeddings from `/embeddings`, sent in batches of the model's `max_chunks`."""

    def _invoke(
        self,
        model: str,
        credentials: dict,
        texts: list[str],
        user: str | None = None,
        input_type: EmbeddingInputType = EmbeddingInputType.DOCUMENT,
    ) -> TextEmbeddingResult:
        credentials = completed_credentials(self, model, credentials)
        try:
            return super()._invoke(model, credentials, texts, user, input_type)
        except Exception as error:
            raise translated(error) from error

    def validate_credentials(self, model: str, credentials: dict) -> None:
        super().validate_credentials(model, completed_credentials(self, model, credentials))
''')

RERANK = Template('''\
from dify_plugin.entities.model.rerank import RerankDocument, RerankResult
from dify_plugin.interfaces.model.openai_compatible.rerank import OAICompatRerankModel

from models.common import MappedErrors, completed_credentials, post


class $cls(MappedErrors, OAICompatRerankModel):
    """Reranking with `/rerank` in the Jina/Cohere shape; scores are kept as the API gives them."""

    def _invoke(
        self,
        model: str,
        credentials: dict,
        query: str,
        docs: list[str],
        score_threshold: float | None = None,
        top_n: int | None = None,
        user: str | None = None,
    ) -> RerankResult:
        if not docs:
            return RerankResult(model=model, docs=[])
        credentials = completed_credentials(self, model, credentials)
        payload = {
            "model": credentials.get("endpoint_model_name") or model,
            "query": query,
            "documents": docs,
            "return_documents": False,
        }
        if top_n is not None:
            payload["top_n"] = top_n
        response = post(credentials, "rerank", json=payload)
        ranked = [
            RerankDocument(
                index=result["index"],
                text=docs[result["index"]],
                score=result["relevance_score"],
            )
            for result in response.json()["results"]
        ]
        if score_threshold is not None:
            ranked = [doc for doc in ranked if doc.score >= score_threshold]
        ranked.sort(key=lambda doc: doc.score, reverse=True)
        return RerankResult(model=model, docs=ranked)
''')

SPEECH2TEXT = Template('''\
from typing import IO

from dify_plugin.entities import I18nObject
from dify_plugin.entities.model import AIModelEntity, FetchFrom, ModelType
from dify_plugin.interfaces.model.openai_compatible.speech2text import OAICompatSpeech2TextModel

from models.common import MappedErrors, completed_credentials, post


class $cls(MappedErrors, OAICompatSpeech2TextModel):
    """Transcription with `/audio/transcriptions` (multipart upload of the audio file)."""

    def _invoke(
        self, model: str, credentials: dict, file: IO[bytes], user: str | None = None
    ) -> str:
        credentials = completed_credentials(self, model, credentials)
        response = post(
            credentials,
            "audio/transcriptions",
            data={"model": credentials.get("endpoint_model_name") or model},
            files=[("file", ("audio.mp3", file))],
        )
        return response.json()["text"]

    def get_customizable_model_schema(self, model: str, credentials: dict) -> AIModelEntity:
        return AIModelEntity(
            model=model,
            label=I18nObject(en_us=model),
            model_type=ModelType.SPEECH2TEXT,
            fetch_from=FetchFrom.CUSTOMIZABLE_MODEL,
            model_properties={},
        )
''')

TTS = Template('''\
from collections.abc import Generator

from dify_plugin.interfaces.model.openai_compatible.tts import OAICompatText2SpeechModel
from dify_plugin.interfaces.model.tts_model import TTSModel

from models.common import MappedErrors, completed_credentials, post


class $cls(MappedErrors, OAICompatText2SpeechModel):
    """Speech with `/audio/speech`, streamed back in chunks; voices from the model's YAML."""

    def _invoke(
        self,
        model: str,
        tenant_id: str,
        credentials: dict,
        content_text: str,
        voice: str,
        user: str | None = None,
    ) -> Generator[bytes, None, None]:
        credentials = completed_credentials(self, model, credentials)
        audio_type = self._get_model_audio_type(model, credentials) or "mp3"
        word_limit = self._get_model_word_limit(model, credentials) or 2000
        for sentence in self._split_text_into_sentences(content_text, word_limit):
            response = post(
                credentials,
                "audio/speech",
                json={
                    "model": credentials.get("endpoint_model_name") or model,
                    "input": sentence,
                    "voice": voice,
                    "response_format": audio_type,
                },
                stream=True,
            )
            yield from (chunk for chunk in response.iter_content(chunk_size=4096) if chunk)

    def get_tts_model_voices(
        self, model: str, credentials: dict, language: str | None = None
    ) -> list | None:
        if any(entity.model == model for entity in self.predefined_models()):
            return TTSModel.get_tts_model_voices(self, model, credentials, language)
        return super().get_tts_model_voices(model, credentials, language)
''')

MODERATION = Template('''\
from dify_plugin.entities import I18nObject
from dify_plugin.entities.model import AIModelEntity, FetchFrom, ModelType
from dify_plugin.errors.model import CredentialsValidateFailedError
from dify_plugin.interfaces.model.moderation_model import ModerationModel

from models.common import MappedErrors, completed_credentials, post


class $cls(MappedErrors, ModerationModel):
    """Moderation with `/moderations`: true when the API flags the text."""

    def _invoke(self, model: str, credentials: dict, text: str, user: str | None = None) -> bool:
        credentials = completed_credentials(self, model, credentials)
        model_name = credentials.get("endpoint_model_name") or model
        response = post(credentials, "moderations", json={"model": model_name, "input": text})
        return any(result.get("flagged", False) for result in response.json()["results"])

    def validate_credentials(self, model: str, credentials: dict) -> None:
        try:
            self._invoke(model, credentials, "ping")
        except Exception as error:
            raise CredentialsValidateFailedError(str(error)) from error

    def get_customizable_model_schema(self, model: str, credentials: dict) -> AIModelEntity:
        return AIModelEntity(
            model=model,
            label=I18nObject(en_us=model),
            model_type=ModelType.MODERATION,
            fetch_from=FetchFrom.CUSTOMIZABLE_MODEL,
            model_properties={},
        )
''')

MODEL_TEMPLATES = {
    "llm": LLM,
    "text_embedding": TEXT_EMBEDDING,
    "rerank": RERANK,
    "speech2text": SPEECH2TEXT,
    "tts": TTS,
    "moderation": MODERATION,
}
