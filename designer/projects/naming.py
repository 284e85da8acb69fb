"""Valid Dify identifiers derived from what a person typed."""

import re
import unicodedata


def identifier(text: str, fallback: str, max_length: int = 64, separator: str = "_") -> str:
    """Lowercase ASCII letters, digits and ``separator``; never empty; never langgenius."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", separator, ascii_text.lower()).strip(separator)
    value = value[:max_length].strip(separator) or fallback
    if value == "langgenius":
        value = f"{value}{separator}fork"
    if value[0].isdigit():
        value = f"p{separator}{value}"[:max_length]
    return value
