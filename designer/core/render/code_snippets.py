"""Code both API styles put in ``models/common.py``."""

ERROR_FOR_STATUS = """\
def error_for_status(status: int, text: str) -> InvokeError:
    message = f"HTTP {status}: {text[:500]}"
    if status in (401, 403):
        return InvokeAuthorizationError(message)
    if status == 429:
        return InvokeRateLimitError(message)
    if status >= 500:
        return InvokeServerUnavailableError(message)
    return InvokeBadRequestError(message)
"""

MAPPED_ERRORS = '''\
class MappedErrors:
    """Dify turns what a model raises into its invoke errors with this table."""

    @property
    def _invoke_error_mapping(self) -> dict[type[InvokeError], list[type[Exception]]]:
        return ERROR_MAPPING
'''

OFFLINE_COUNTING = '''\
class OfflineTokenCount:
    """The SDK counts tokens with tiktoken's GPT-2 encoding, downloaded on first use; where it
    cannot be downloaded, count about four characters per token instead."""

    _tokenizer_unavailable = False

    def _get_num_tokens_by_gpt2(self, text: str) -> int:
        if not OfflineTokenCount._tokenizer_unavailable:
            try:
                return super()._get_num_tokens_by_gpt2(text)
            except Exception:  # noqa: BLE001 - any download failure means offline
                OfflineTokenCount._tokenizer_unavailable = True
        return (len(text) + 3) // 4
'''
