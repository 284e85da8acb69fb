"""Model classes for a custom API: complete skeletons that follow Dify's guides point by point.

Everything Dify needs is written (invoke dispatching to streaming and blocking handlers, token
counts, credential checks, error mapping, customizable-model schemas); the one thing left to the
developer is the API call in ``models/common.py``, which says so plainly and raises a clear
error until it is written. The plugin loads and its own tests pass as generated.
"""

from string import Template

COMMON = Template('''\
"""Shared by the model classes. TODO: write `call_api` for your provider's API."""

from collections.abc import Mapping

import requests
from dify_plugin.errors.model import (
    InvokeAuthorizationError,
    InvokeBadRequestError,
    InvokeConnectionError,
    InvokeError,
    InvokeRateLimitError,
    InvokeServerUnavailableError,
)

BASE_URL = $base_url
TIMEOUT = (10, 300)
NOT_WRITTEN = $not_written

ERROR_MAPPING: dict[type[InvokeError], list[type[Exception]]] = {
    InvokeConnectionError: [
        InvokeConnectionError,
        requests.exceptions.ConnectionError,
        requests.exceptions.Timeout,
    ],
    InvokeServerUnavailableError: [InvokeServerUnavailableError],
    InvokeRateLimitError: [InvokeRateLimitError],
    InvokeAuthorizationError: [InvokeAuthorizationError, requests.exceptions.InvalidHeader],
    InvokeBadRequestError: [InvokeBadRequestError, requests.exceptions.InvalidURL],
}


class ApiCallNotWrittenError(NotImplementedError):
    """The generated skeleton does not call the provider's API yet."""


$error_for_status


$mapped_errors


def call_api(path: str, credentials: Mapping, payload: dict, stream: bool = False) -> dict:
    """Send `payload` to your API and return its JSON answer (or, with `stream`, the response).

    TODO: call your API here. For example:

        url = f"{(credentials.get('endpoint_url') or BASE_URL).rstrip('/')}/{path}"
        headers = {"Authorization": f"Bearer {credentials['api_key']}"}
        response = requests.post(url, headers=headers, json=payload, timeout=TIMEOUT,
                                 stream=stream)
        if response.status_code >= 400:
            raise error_for_status(response.status_code, response.text)
        return response if stream else response.json()
    """
    raise ApiCallNotWrittenError(NOT_WRITTEN)


$offline_token_count''')

LLM = Template('''\
from collections.abc import Generator

from dify_plugin.entities import I18nObject
from dify_plugin.entities.model import (
    AIModelEntity,
    DefaultParameterName,
    FetchFrom,
    ModelFeature,
    ModelPropertyKey,
    ModelType,
    ParameterRule,
    ParameterType,
)
from dify_plugin.entities.model.llm import LLMMode, LLMResult, LLMResultChunk, LLMResultChunkDelta
from dify_plugin.entities.model.message import (
    AssistantPromptMessage,
    PromptMessage,
    PromptMessageTool,
    UserPromptMessage,
)
from dify_plugin.errors.model import CredentialsValidateFailedError
from dify_plugin.interfaces.model.large_language_model import LargeLanguageModel

from models.common import MappedErrors, OfflineTokenCount, call_api


class $cls(MappedErrors, OfflineTokenCount, LargeLanguageModel):
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
        payload = {
            "model": credentials.get("endpoint_model_name") or model,
            "messages": [{"role": m.role.value, "content": m.content} for m in prompt_messages],
            "parameters": model_parameters,
            "stop": stop or [],
            "tools": [tool.model_dump() for tool in tools or []],
        }
        if stream:
            return self._handle_stream_response(model, credentials, prompt_messages, payload)
        return self._handle_sync_response(model, credentials, prompt_messages, payload)

    def _handle_sync_response(
        self, model: str, credentials: dict, prompt_messages: list[PromptMessage], payload: dict
    ) -> LLMResult:
        answer = call_api("chat", credentials, payload)
        # TODO: read your API's answer; this expects {"text": ...}.
        message = AssistantPromptMessage(content=answer["text"])
        usage = self._usage(model, credentials, prompt_messages, answer["text"])
        return LLMResult(model=model, message=message, usage=usage)

    def _handle_stream_response(
        self, model: str, credentials: dict, prompt_messages: list[PromptMessage], payload: dict
    ) -> Generator[LLMResultChunk, None, None]:
        response = call_api("chat", credentials, payload, stream=True)
        # TODO: read your API's stream; this expects one piece of text per line.
        text, index = "", 0
        for index, piece in enumerate(response.iter_lines(decode_unicode=True)):
            text += piece
            delta = LLMResultChunkDelta(index=index, message=AssistantPromptMessage(content=piece))
            yield LLMResultChunk(model=model, delta=delta)
        yield LLMResultChunk(
            model=model,
            delta=LLMResultChunkDelta(
                index=index + 1,
                message=AssistantPromptMessage(content=""),
                finish_reason="stop",
                usage=self._usage(model, credentials, prompt_messages, text),
            ),
        )

    def _usage(self, model, credentials, prompt_messages, completion: str):
        prompt_tokens = self.get_num_tokens(model, credentials, prompt_messages)
        completion_tokens = self._get_num_tokens_by_gpt2(completion)
        return self._calc_response_usage(model, credentials, prompt_tokens, completion_tokens)

    def get_num_tokens(
        self,
        model: str,
        credentials: dict,
        prompt_messages: list[PromptMessage],
        tools: list[PromptMessageTool] | None = None,
    ) -> int:
        # The GPT-2 tokenizer is an approximation: use your API's count if it has one.
        text = "".join(str(m.content or "") for m in prompt_messages)
        text += "".join(tool.model_dump_json() for tool in tools or [])
        return self._get_num_tokens_by_gpt2(text)

    def validate_credentials(self, model: str, credentials: dict) -> None:
        try:
            messages = [UserPromptMessage(content="ping")]
            self._invoke(model, credentials, messages, {"max_tokens": 5}, stream=False)
        except Exception as error:
            raise CredentialsValidateFailedError(str(error)) from error

    def get_customizable_model_schema(self, model: str, credentials: dict) -> AIModelEntity:
        """The schema of a model the user adds, from the model credential form."""
        features = []
        if credentials.get("function_calling_type", "no_call") != "no_call":
            features.append(ModelFeature.TOOL_CALL)
        if credentials.get("vision_support") == "support":
            features.append(ModelFeature.VISION)
        max_tokens = int(credentials.get("max_tokens_to_sample") or 4096)
        return AIModelEntity(
            model=model,
            label=I18nObject(en_us=credentials.get("display_name") or model),
            model_type=ModelType.LLM,
            fetch_from=FetchFrom.CUSTOMIZABLE_MODEL,
            features=features,
            model_properties={
                ModelPropertyKey.MODE: credentials.get("mode") or LLMMode.CHAT.value,
                ModelPropertyKey.CONTEXT_SIZE: int(credentials.get("context_size") or 4096),
            },
            parameter_rules=[
                ParameterRule(
                    name=DefaultParameterName.TEMPERATURE.value,
                    use_template=DefaultParameterName.TEMPERATURE.value,
                    label=I18nObject(en_us="Temperature"),
                    type=ParameterType.FLOAT,
                ),
                ParameterRule(
                    name=DefaultParameterName.TOP_P.value,
                    use_template=DefaultParameterName.TOP_P.value,
                    label=I18nObject(en_us="Top P"),
                    type=ParameterType.FLOAT,
                ),
                ParameterRule(
                    name=DefaultParameterName.MAX_TOKENS.value,
                    use_template=DefaultParameterName.MAX_TOKENS.value,
                    label=I18nObject(en_us="Max Tokens"),
                    type=ParameterType.INT,
                    default=min(512, max_tokens),
                    min=1,
                    max=max_tokens,
                ),
            ],
        )
''')

TEXT_EMBEDDING = Template("""\
import time

from dify_plugin.entities import I18nObject
from dify_plugin.entities.model import (
    AIModelEntity,
    EmbeddingInputType,
    FetchFrom,
    ModelPropertyKey,
    ModelType,
    PriceType,
)
from dify_plugin.entities.model.text_embedding import EmbeddingUsage, TextEmbeddingResult
from dify_plugin.errors.model import CredentialsValidateFailedError
from dify_plugin.interfaces.model.text_embedding_model import TextEmbeddingModel

from models.common import MappedErrors, OfflineTokenCount, call_api


class $cls(MappedErrors, OfflineTokenCount, TextEmbeddingModel):
    def _invoke(
        self,
        model: str,
        credentials: dict,
        texts: list[str],
        user: str | None = None,
        input_type: EmbeddingInputType = EmbeddingInputType.DOCUMENT,
    ) -> TextEmbeddingResult:
        model_name = credentials.get("endpoint_model_name") or model
        answer = call_api("embeddings", credentials, {"model": model_name, "input": texts})
        # TODO: read your API's answer; this expects {"embeddings": [[...], ...]}.
        tokens = sum(self.get_num_tokens(model, credentials, texts))
        usage = self._usage(model, credentials, tokens)
        return TextEmbeddingResult(model=model, embeddings=answer["embeddings"], usage=usage)

    def _usage(self, model: str, credentials: dict, tokens: int) -> EmbeddingUsage:
        price = self.get_price(model, credentials, PriceType.INPUT, tokens)
        return EmbeddingUsage(
            tokens=tokens,
            total_tokens=tokens,
            unit_price=price.unit_price,
            price_unit=price.unit,
            total_price=price.total_amount,
            currency=price.currency,
            latency=time.perf_counter() - self.started_at,
        )

    def get_num_tokens(self, model: str, credentials: dict, texts: list[str]) -> list[int]:
        return [self._get_num_tokens_by_gpt2(text) for text in texts]

    def validate_credentials(self, model: str, credentials: dict) -> None:
        try:
            self._invoke(model, credentials, ["ping"])
        except Exception as error:
            raise CredentialsValidateFailedError(str(error)) from error

    def get_customizable_model_schema(self, model: str, credentials: dict) -> AIModelEntity:
        return AIModelEntity(
            model=model,
            label=I18nObject(en_us=credentials.get("display_name") or model),
            model_type=ModelType.TEXT_EMBEDDING,
            fetch_from=FetchFrom.CUSTOMIZABLE_MODEL,
            model_properties={
                ModelPropertyKey.CONTEXT_SIZE: int(credentials.get("context_size") or 512),
                ModelPropertyKey.MAX_CHUNKS: int(credentials.get("max_chunks") or 1),
            },
        )
""")

# The last four types share one shape: a request, a TODO to read the answer, a check, a schema.
SIMPLE = Template("""\
$imports
from dify_plugin.entities import I18nObject
from dify_plugin.entities.model import $entity_names
$entity_imports
from dify_plugin.errors.model import CredentialsValidateFailedError
from $module import $base

from models.common import MappedErrors, call_api


class $cls(MappedErrors, $base):
    def _invoke(
        self,
        $signature,
    ) -> $returns:
        model_name = credentials.get("endpoint_model_name") or model
        answer = call_api(
            $path,
            credentials,
            $payload,
        )
        # TODO: read your API's answer; this expects $expects.
        return $result

    def validate_credentials(self, model: str, credentials: dict) -> None:
        try:
            $check
        except Exception as error:
            raise CredentialsValidateFailedError(str(error)) from error

    def get_customizable_model_schema(self, model: str, credentials: dict) -> AIModelEntity:
$schema_prelude        return AIModelEntity(
            model=model,
            label=I18nObject(en_us=credentials.get("display_name") or model),
            model_type=ModelType.$member,
            fetch_from=FetchFrom.CUSTOMIZABLE_MODEL,
            model_properties=$properties,
        )
""")

SIMPLE_DEFAULTS = {
    "entity_names": "AIModelEntity, FetchFrom, ModelType",
    "schema_prelude": "",
    "properties": "{}",
}
SIMPLE_TYPES = {
    "rerank": {
        "imports": "",
        "entity_imports": "from dify_plugin.entities.model.rerank import "
        "RerankDocument, RerankResult",
        "module": "dify_plugin.interfaces.model.rerank_model",
        "base": "RerankModel",
        "member": "RERANK",
        "signature": "model: str,\n        credentials: dict,\n        query: str,\n"
        "        docs: list[str],\n        score_threshold: float | None = None,\n"
        "        top_n: int | None = None,\n        user: str | None = None",
        "returns": "RerankResult",
        "path": '"rerank"',
        "payload": '{"model": model_name, "query": query, "documents": docs, "top_n": top_n}',
        "expects": '{"scores": [one score per document]}',
        "result": "RerankResult(\n            model=model,\n            docs=sorted(\n"
        "                (\n                    RerankDocument(index=i, text=docs[i], score=s)\n"
        '                    for i, s in enumerate(answer["scores"])\n'
        "                    if score_threshold is None or s >= score_threshold\n"
        "                ),\n                key=lambda doc: doc.score,\n"
        "                reverse=True,\n            )[:top_n],\n        )",
        "check": 'self._invoke(model, credentials, "ping", ["ping"])',
    },
    "speech2text": {
        "imports": "from typing import IO\n",
        "entity_imports": "",
        "module": "dify_plugin.interfaces.model.speech2text_model",
        "base": "Speech2TextModel",
        "member": "SPEECH2TEXT",
        "signature": "model: str,\n        credentials: dict,\n        file: IO[bytes],\n"
        "        user: str | None = None",
        "returns": "str",
        "path": '"audio/transcriptions"',
        "payload": '{"model": model_name, "file": file.read()}',
        "expects": '{"text": ...}',
        "result": 'answer["text"]',
        "check": 'with open(self._get_demo_file_path(), "rb") as audio:\n'
        "                self._invoke(model, credentials, audio)",
    },
    "tts": {
        "imports": "from collections.abc import Generator\n",
        "entity_imports": "",
        "module": "dify_plugin.interfaces.model.tts_model",
        "base": "TTSModel",
        "member": "TTS",
        "signature": "model: str,\n        tenant_id: str,\n        credentials: dict,\n"
        "        content_text: str,\n        voice: str,\n        user: str | None = None",
        "returns": "Generator[bytes, None, None]",
        "path": '"audio/speech"',
        "payload": '{"model": model_name, "input": content_text, "voice": voice}',
        "expects": '{"audio": bytes}',
        "result": 'iter([answer["audio"]])',
        "check": 'voice = self._get_model_default_voice(model, credentials) or ""\n'
        '            self._invoke(model, "validate", credentials, "ping", voice)',
        # a model the user adds names its voices in the model credential form
        "entity_names": "AIModelEntity, FetchFrom, ModelPropertyKey, ModelType",
        "schema_prelude": '        names = (credentials.get("voices") or "").split(",")\n'
        '        voices = [name.strip() for name in names if name.strip()] or ["alloy"]\n',
        "properties": "{\n                ModelPropertyKey.DEFAULT_VOICE: voices[0],\n"
        "                ModelPropertyKey.VOICES: [\n"
        '                    {"mode": voice, "name": voice, "language": ["en-US"]} '
        "for voice in voices\n                ],\n            }",
    },
    "moderation": {
        "imports": "",
        "entity_imports": "",
        "module": "dify_plugin.interfaces.model.moderation_model",
        "base": "ModerationModel",
        "member": "MODERATION",
        "signature": "model: str,\n        credentials: dict,\n        text: str,\n"
        "        user: str | None = None",
        "returns": "bool",
        "path": '"moderations"',
        "payload": '{"model": model_name, "input": text}',
        "expects": '{"flagged": true or false}',
        "result": 'bool(answer["flagged"])',
        "check": 'self._invoke(model, credentials, "ping")',
    },
}


def model_source(directory: str, cls: str) -> str:
    if directory == "llm":
        return LLM.substitute(cls=cls)
    if directory == "text_embedding":
        return TEXT_EMBEDDING.substitute(cls=cls)
    source = SIMPLE.substitute(SIMPLE_DEFAULTS, cls=cls, **SIMPLE_TYPES[directory])
    # An empty import slot leaves a blank line; drop those at the top only.
    return source.lstrip("\n").replace("ModelType\n\nfrom", "ModelType\nfrom")
