"""Signed `.difypkg` files, made and checked the way Dify's plugin daemon checks them.

The zip comment holds `{"signature": <base64>, "time": <unix seconds>}`. What is signed is the
SHA-256 digest of every entry's bytes, in archive order, followed by the time written in
decimal; the signature is RSA PKCS#1 v1.5 over SHA-256 of that. The signer adds a last entry,
`.verification.dify.json`, naming the category the key authorizes (its digest is signed too).
Keys are PKCS#1 PEM blocks ("RSA PRIVATE KEY" / "RSA PUBLIC KEY"), nothing before or after.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import time as clock
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from .archive import read_zip_entries, zip_entries
from .errors import PluginSourceError

VERIFICATION_FILE = ".verification.dify.json"
CATEGORIES = ("community", "partner", "langgenius")
KEY_BITS = 4096
PRIVATE_PEM_TYPE = "RSA PRIVATE KEY"
PUBLIC_PEM_TYPE = "RSA PUBLIC KEY"


class SignatureError(PluginSourceError):
    """A package or key the daemon would not accept; the message is one line."""


@dataclass(frozen=True)
class KeyPair:
    private_pem: bytes
    public_pem: bytes


@dataclass(frozen=True)
class Verified:
    """A package whose signature holds: when it was signed, the category it states (None when
    it has no verification entry: the daemon then treats it as langgenius's, for history's
    sake) and which of the keys given verified it."""

    time: int
    category: str | None
    key_index: int


def generate_key_pair(bits: int = KEY_BITS) -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return KeyPair(private_pem, public_pem_of(key))


def public_pem_of(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.PKCS1
    )


def _pem_block(pem: bytes, pem_type: str, what: str) -> bytes:
    """The one PEM block of `pem_type`, as the daemon decodes it: text before the block is
    skipped, anything after its END line is refused."""
    text = pem.decode("ascii", "replace")
    begin, end = f"-----BEGIN {pem_type}-----", f"-----END {pem_type}-----"
    start = text.find(begin)
    stop = text.find(end, start)
    if start < 0 or stop < 0:
        raise SignatureError(f"the {what} is not a PEM block of type {pem_type!r}")
    # The END line may end in blanks and one line break; nothing may follow it.
    after = text[stop + len(end) :].lstrip(" \t\r")
    if after.startswith("\n"):
        after = after[1:]
    if after:
        raise SignatureError(f"the {what} has extra data after its PEM block")
    return text[start : stop + len(end)].encode("ascii") + b"\n"


def load_private_key(pem: bytes) -> rsa.RSAPrivateKey:
    block = _pem_block(pem, PRIVATE_PEM_TYPE, "private key")
    try:
        key = serialization.load_pem_private_key(block, password=None)
    except (ValueError, TypeError) as exc:
        raise SignatureError(f"the private key cannot be read: {_one_line(exc)}") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SignatureError("the private key is not an RSA key")
    return key


def load_public_key(pem: bytes) -> rsa.RSAPublicKey:
    block = _pem_block(pem, PUBLIC_PEM_TYPE, "public key")
    try:
        key = serialization.load_pem_public_key(block)
    except (ValueError, TypeError) as exc:
        raise SignatureError(f"the public key cannot be read: {_one_line(exc)}") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureError("the public key is not an RSA key")
    return key


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def signed_data(contents: Iterable[bytes], signed_at: int) -> bytes:
    """What the signature covers: each entry's SHA-256 digest in order, then the time."""
    digests = b"".join(hashlib.sha256(content).digest() for content in contents)
    return digests + str(signed_at).encode("ascii")


def verification_json(category: str) -> bytes:
    if category not in CATEGORIES:
        raise SignatureError(f"unknown category {category!r}; use one of {', '.join(CATEGORIES)}")
    return json.dumps({"authorized_category": category}, separators=(",", ":")).encode()


def sign_package(
    pkg_bytes: bytes,
    private_key_pem: bytes,
    category: str = "community",
    *,
    signed_at: int | None = None,
) -> bytes:
    """The package signed with the key, its entries kept in order (folder entries and an
    earlier verification entry dropped) and a verification entry stating `category` added."""
    key = load_private_key(private_key_pem)
    entries, _comment = read_zip_entries(pkg_bytes, "the package")
    kept = [(name, data) for name, data in entries if not _is_folder(name)]
    kept = [(name, data) for name, data in kept if name != VERIFICATION_FILE]
    kept.append((VERIFICATION_FILE, verification_json(category)))
    signed_at = int(clock.time()) if signed_at is None else signed_at
    data = signed_data((content for _name, content in kept), signed_at)
    signature = key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    comment = {"signature": base64.b64encode(signature).decode("ascii"), "time": signed_at}
    return zip_entries(kept, json.dumps(comment, separators=(",", ":")).encode("ascii"))


def _is_folder(name: str) -> bool:
    return name.endswith("/")


def verify_package(pkg_bytes: bytes, public_keys: Sequence[bytes]) -> Verified:
    """Check the package's signature against each public key (PEM) in turn, as the daemon does;
    raise SignatureError saying why none holds."""
    keys = [load_public_key(pem) for pem in public_keys]
    if not keys:
        raise SignatureError("no public key to verify the package with")
    entries, comment = read_zip_entries(pkg_bytes, "the package")
    _check_readable(entries)
    signature, signed_at = _read_comment(comment)
    data = signed_data((content for _name, content in entries), signed_at)
    for index, key in enumerate(keys):
        try:
            key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            continue
        return Verified(signed_at, _category(entries), index)
    raise SignatureError("the signature does not match the package and any of the keys")


def _check_readable(entries: Sequence[tuple[str, bytes]]) -> None:
    """The daemon reads every entry by name: a folder entry cannot be read, and of two entries
    with one name only one can."""
    names = [name for name, _data in entries]
    for name in names:
        if _is_folder(name):
            raise SignatureError(f"the package has a folder entry, which Dify cannot read: {name}")
    if len(set(names)) != len(names):
        raise SignatureError("the package has two entries with the same name")


def _read_comment(comment: bytes) -> tuple[bytes, int]:
    """The signature and time from the zip comment. Go's JSON decoding matches keys without
    regard to case, takes the last match and wants a whole number for the time."""
    try:
        fields = json.loads(comment.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise SignatureError("the package is not signed (its zip comment is not JSON)") from None
    if not isinstance(fields, dict):
        raise SignatureError("the package is not signed (its zip comment is not a JSON object)")
    values = {key.lower(): value for key, value in fields.items()}
    text, signed_at = values.get("signature", ""), values.get("time", 0)
    if not isinstance(text, str):
        raise SignatureError("the signature in the zip comment is not a string")
    if isinstance(signed_at, bool) or not isinstance(signed_at, int):
        raise SignatureError("the time in the zip comment is not a whole number")
    try:
        signature = base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
    except binascii.Error:
        raise SignatureError("the signature in the zip comment is not base64") from None
    if not signature:
        raise SignatureError("the package is not signed (no signature in its zip comment)")
    return signature, signed_at


def _category(entries: Sequence[tuple[str, bytes]]) -> str | None:
    for name, data in entries:
        if name == VERIFICATION_FILE:
            try:
                category = json.loads(data).get("authorized_category")
            except (ValueError, AttributeError):
                raise SignatureError(f"{VERIFICATION_FILE} is not a JSON object") from None
            return category if isinstance(category, str) else None
    return None


def write_key_pair(name: str | os.PathLike, bits: int = KEY_BITS) -> tuple[Path, Path]:
    """Write NAME.private.pem (owner-only) and NAME.public.pem, as `dify signature generate`
    names them; refuse to overwrite either."""
    private_path = Path(f"{os.fspath(name)}.private.pem")
    public_path = Path(f"{os.fspath(name)}.public.pem")
    for path in (private_path, public_path):
        if path.exists():
            raise SignatureError(f"{path} exists; refusing to overwrite a key")
    pair = generate_key_pair(bits)
    _write_new(private_path, pair.private_pem, 0o600)
    try:
        _write_new(public_path, pair.public_pem, 0o644)
    except BaseException:
        private_path.unlink(missing_ok=True)
        raise
    return private_path, public_path


def _write_new(path: Path, data: bytes, mode: int) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise SignatureError(f"{path} exists; refusing to overwrite a key") from None
    with open(fd, "wb") as file:
        file.write(data)
