"""Signing and verifying .difypkg files as Dify's plugin daemon does."""

import base64
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from designer.core.errors import PluginSourceError
from designer.core.package import difypkg_bytes
from designer.core.signing import (
    VERIFICATION_FILE,
    SignatureError,
    generate_key_pair,
    load_private_key,
    sign_package,
    verify_package,
)

DAEMON = Path("/work/shared/fixtures/dify-plugin-daemon")
OFFICIAL_PACKAGE = (DAEMON / "langgenius-agent_0.0.14.difypkg").read_bytes()
OFFICIAL_KEY = (DAEMON / "official.public.pem").read_bytes()
FILES = {
    "manifest.yaml": b"version: 0.0.1\ntype: plugin\n",
    "main.py": b"print('hi')\n",
    "_assets/icon.svg": b"<svg/>",
}
# DER of the DigestInfo that PKCS#1 v1.5 puts before a SHA-256 digest (RFC 8017, 9.2 note 1).
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


@pytest.fixture(scope="module")
def ours():
    return generate_key_pair(2048)


@pytest.fixture(scope="module")
def other():
    return generate_key_pair(2048)


def entries_of(data: bytes) -> list[tuple[str, bytes]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return [(info.filename, archive.read(info)) for info in archive.infolist()]


def comment_of(data: bytes) -> dict:
    return json.loads(zipfile.ZipFile(io.BytesIO(data)).comment)


def rezip(entries, comment: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)
        archive.comment = comment
    return buffer.getvalue()


def with_comment(data: bytes, comment: dict) -> bytes:
    return rezip(entries_of(data), json.dumps(comment).encode())


def daemon_accepts(data: bytes, public_pem: bytes) -> bool:
    """The daemon's check written out from scratch, down to the RSA arithmetic: SHA-256 of each
    entry in archive order, the decimal time, then s^e mod n must be the PKCS#1 v1.5 block."""
    comment = comment_of(data)
    message = b"".join(hashlib.sha256(content).digest() for _name, content in entries_of(data))
    message += str(comment["time"]).encode()
    numbers = serialization.load_pem_public_key(public_pem).public_numbers()
    size = (numbers.n.bit_length() + 7) // 8
    signature = base64.b64decode(comment["signature"])
    block = pow(int.from_bytes(signature, "big"), numbers.e, numbers.n).to_bytes(size, "big")
    digest_info = SHA256_DIGEST_INFO + hashlib.sha256(message).digest()
    expected = b"\x00\x01" + b"\xff" * (size - len(digest_info) - 3) + b"\x00" + digest_info
    return len(signature) == size and block == expected


def test_the_official_package_verifies_with_the_official_key():
    verified = verify_package(OFFICIAL_PACKAGE, [OFFICIAL_KEY])
    assert verified.category is None  # signed before verification entries existed
    assert verified.time == comment_of(OFFICIAL_PACKAGE)["time"]
    assert daemon_accepts(OFFICIAL_PACKAGE, OFFICIAL_KEY)


def test_one_changed_byte_in_an_entry_fails():
    entries = entries_of(OFFICIAL_PACKAGE)
    name, content = entries[3]
    entries[3] = (name, bytes([content[0] ^ 1]) + content[1:])
    tampered = rezip(entries, zipfile.ZipFile(io.BytesIO(OFFICIAL_PACKAGE)).comment)
    with pytest.raises(SignatureError, match="does not match"):
        verify_package(tampered, [OFFICIAL_KEY])


def test_entries_in_another_order_fail():
    entries = entries_of(OFFICIAL_PACKAGE)
    entries[0], entries[1] = entries[1], entries[0]
    tampered = rezip(entries, zipfile.ZipFile(io.BytesIO(OFFICIAL_PACKAGE)).comment)
    with pytest.raises(SignatureError, match="does not match"):
        verify_package(tampered, [OFFICIAL_KEY])


def test_a_changed_time_fails():
    comment = comment_of(OFFICIAL_PACKAGE)
    tampered = with_comment(OFFICIAL_PACKAGE, {**comment, "time": comment["time"] + 1})
    with pytest.raises(SignatureError, match="does not match"):
        verify_package(tampered, [OFFICIAL_KEY])


def test_one_changed_byte_in_the_signature_fails():
    comment = comment_of(OFFICIAL_PACKAGE)
    signature = bytearray(base64.b64decode(comment["signature"]))
    signature[10] ^= 1
    changed = {**comment, "signature": base64.b64encode(bytes(signature)).decode()}
    with pytest.raises(SignatureError, match="does not match"):
        verify_package(with_comment(OFFICIAL_PACKAGE, changed), [OFFICIAL_KEY])


def test_a_flipped_byte_in_an_entrys_stored_data_fails_as_a_corrupt_archive():
    info = zipfile.ZipFile(io.BytesIO(OFFICIAL_PACKAGE)).infolist()[2]
    header = OFFICIAL_PACKAGE[info.header_offset : info.header_offset + 30]
    name_length, extra_length = (
        int.from_bytes(header[26:28], "little"),
        int.from_bytes(header[28:30], "little"),
    )
    raw = bytearray(OFFICIAL_PACKAGE)
    raw[info.header_offset + 30 + name_length + extra_length + info.compress_size // 2] ^= 1
    with pytest.raises(PluginSourceError):
        verify_package(bytes(raw), [OFFICIAL_KEY])


def test_an_unsigned_package_is_refused_saying_so():
    with pytest.raises(SignatureError, match="not signed"):
        verify_package(difypkg_bytes(FILES), [OFFICIAL_KEY])


def test_a_package_we_sign_verifies_with_our_key_and_not_with_another(ours, other):
    signed = sign_package(difypkg_bytes(FILES), ours.private_pem, "community")
    verified = verify_package(signed, [other.public_pem, ours.public_pem])
    assert (verified.category, verified.key_index) == ("community", 1)
    with pytest.raises(SignatureError, match="does not match"):
        verify_package(signed, [other.public_pem])
    with pytest.raises(SignatureError):
        verify_package(signed, [OFFICIAL_KEY])


def test_a_package_we_sign_passes_the_daemons_algorithm_written_independently(ours, other):
    signed = sign_package(
        difypkg_bytes(FILES), ours.private_pem, "partner", signed_at=1_700_000_000
    )
    assert daemon_accepts(signed, ours.public_pem)
    assert not daemon_accepts(signed, other.public_pem)
    assert comment_of(signed)["time"] == 1_700_000_000


def test_the_verification_entry_comes_last_and_states_the_category(ours):
    signed = sign_package(difypkg_bytes(FILES), ours.private_pem, "partner")
    entries = entries_of(signed)
    assert [name for name, _ in entries] == [*sorted(FILES), VERIFICATION_FILE]
    assert json.loads(entries[-1][1]) == {"authorized_category": "partner"}
    assert [content for _, content in entries[:-1]] == [FILES[name] for name in sorted(FILES)]


def test_signing_again_replaces_the_verification_entry(ours, other):
    once = sign_package(difypkg_bytes(FILES), ours.private_pem, "partner")
    twice = sign_package(once, other.private_pem, "community")
    names = [name for name, _ in entries_of(twice)]
    assert names.count(VERIFICATION_FILE) == 1
    assert verify_package(twice, [other.public_pem]).category == "community"


def test_signing_is_deterministic_for_a_given_time(ours):
    package = difypkg_bytes(FILES)
    first = sign_package(package, ours.private_pem, signed_at=42)
    assert first == sign_package(package, ours.private_pem, signed_at=42)


def test_an_unknown_category_is_refused(ours):
    with pytest.raises(SignatureError, match="unknown category"):
        sign_package(difypkg_bytes(FILES), ours.private_pem, "gold")


def test_keys_are_pkcs1_pem_as_the_daemon_reads_them(ours):
    assert ours.private_pem.startswith(b"-----BEGIN RSA PRIVATE KEY-----\n")
    assert ours.public_pem.startswith(b"-----BEGIN RSA PUBLIC KEY-----\n")
    assert generate_key_pair().public_pem.count(b"\n") > 10  # 4096 bits by default
    assert load_private_key(ours.private_pem).key_size == 2048


@pytest.mark.parametrize(
    ("pem", "message"),
    [
        (b"not a key", "not a PEM block"),
        (OFFICIAL_KEY, "not a PEM block"),  # a public key given as the private one
    ],
)
def test_a_bad_private_key_is_refused_in_one_line(pem, message):
    with pytest.raises(SignatureError, match=message):
        load_private_key(pem)


def test_text_after_the_pem_block_is_refused_as_the_daemon_does(ours):
    with pytest.raises(SignatureError, match="extra data"):
        verify_package(OFFICIAL_PACKAGE, [OFFICIAL_KEY + b"\n\n"])
    with pytest.raises(SignatureError, match="extra data"):
        sign_package(difypkg_bytes(FILES), ours.private_pem + b"junk")


def test_a_key_file_may_end_in_blanks_and_one_line_break():
    assert verify_package(OFFICIAL_PACKAGE, [OFFICIAL_KEY + b"  \r\n"]).key_index == 0


def test_a_public_key_in_spki_form_is_refused_as_the_daemon_does(ours):
    key = serialization.load_pem_public_key(ours.public_pem)
    spki = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(SignatureError, match="RSA PUBLIC KEY"):
        verify_package(OFFICIAL_PACKAGE, [spki])
