"""The OAEP-SHA256 decoding used when a token can only do raw RSA, against `cryptography`."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from app.integrations.fitconnect.keys import oaep_sha256_decode


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def raw_decrypt(key: rsa.RSAPrivateKey, ciphertext: bytes) -> bytes:
    numbers = key.private_numbers()
    message = pow(int.from_bytes(ciphertext, "big"), numbers.d, numbers.public_numbers.n)
    return message.to_bytes(key.key_size // 8, "big")


def test_round_trip_and_tampering(key: rsa.RSAPrivateKey) -> None:
    oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
    for secret in (b"", b"k" * 32, bytes(range(100))):
        ciphertext = key.public_key().encrypt(secret, oaep)
        assert oaep_sha256_decode(raw_decrypt(key, ciphertext), key_bytes=256) == secret
    ciphertext = bytearray(key.public_key().encrypt(b"k" * 32, oaep))
    ciphertext[10] ^= 1
    with pytest.raises(ValueError, match="decryption error"):
        oaep_sha256_decode(raw_decrypt(key, bytes(ciphertext)), key_bytes=256)
    sha1 = padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)
    with pytest.raises(ValueError, match="decryption error"):
        oaep_sha256_decode(raw_decrypt(key, key.public_key().encrypt(b"x", sha1)), key_bytes=256)
