"""What the Dify SDK says about each model type, in one table: the renderer, the generated
plugin tests and validation read these facts from here.

The order is the order of preference for checking a provider's credentials (an llm first).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelTypeFacts:
    model_type: str  # in a model's YAML and in supported_model_types, e.g. "text-embedding"
    directory: str  # models/<directory>/, and the key of the type in manifest permissions
    member: str  # the SDK's ModelType.<member>
    sdk_module: str  # where the SDK's base class of the type's model classes lives
    sdk_class: str  # that base class; a generated class is named <Provider><sdk_class>
    # "module.Class" of the SDK's OpenAI-compatible class of the type, if it has one
    openai_compatible: str | None


_OAI = "dify_plugin.interfaces.model.openai_compatible"
_MODEL = "dify_plugin.interfaces.model"

MODEL_TYPES: tuple[ModelTypeFacts, ...] = (
    ModelTypeFacts(
        model_type="llm",
        directory="llm",
        member="LLM",
        sdk_module=f"{_MODEL}.large_language_model",
        sdk_class="LargeLanguageModel",
        openai_compatible=f"{_OAI}.llm.OAICompatLargeLanguageModel",
    ),
    ModelTypeFacts(
        model_type="text-embedding",
        directory="text_embedding",
        member="TEXT_EMBEDDING",
        sdk_module=f"{_MODEL}.text_embedding_model",
        sdk_class="TextEmbeddingModel",
        openai_compatible=f"{_OAI}.text_embedding.OAICompatEmbeddingModel",
    ),
    ModelTypeFacts(
        model_type="rerank",
        directory="rerank",
        member="RERANK",
        sdk_module=f"{_MODEL}.rerank_model",
        sdk_class="RerankModel",
        openai_compatible=f"{_OAI}.rerank.OAICompatRerankModel",
    ),
    ModelTypeFacts(
        model_type="speech2text",
        directory="speech2text",
        member="SPEECH2TEXT",
        sdk_module=f"{_MODEL}.speech2text_model",
        sdk_class="Speech2TextModel",
        openai_compatible=f"{_OAI}.speech2text.OAICompatSpeech2TextModel",
    ),
    ModelTypeFacts(
        model_type="tts",
        directory="tts",
        member="TTS",
        sdk_module=f"{_MODEL}.tts_model",
        sdk_class="TTSModel",
        openai_compatible=f"{_OAI}.tts.OAICompatText2SpeechModel",
    ),
    ModelTypeFacts(
        model_type="moderation",
        directory="moderation",
        member="MODERATION",
        sdk_module=f"{_MODEL}.moderation_model",
        sdk_class="ModerationModel",
        openai_compatible=None,
    ),
)

BY_MODEL_TYPE = {facts.model_type: facts for facts in MODEL_TYPES}
BY_DIRECTORY = {facts.directory: facts for facts in MODEL_TYPES}
