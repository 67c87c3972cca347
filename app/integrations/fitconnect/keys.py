"""The destination's private keys, in a file (PEM/PKCS#12, via jwcrypto) or on a PKCS#11 token
(an HSM; SoftHSM2 in tests). Both offer the same two operations: decrypt a compact JWE and sign
a Security Event Token, so the key never has to leave the token."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import zlib
from collections.abc import Callable
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from jwcrypto import jwk

_PSS_SHA512 = padding.PSS(mgf=padding.MGF1(hashes.SHA512()), salt_length=64)  # PS512
_OAEP_SHA256 = padding.OAEP(
    mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None
)


class DecryptionFailed(Exception):
    """The JWE could not be decrypted with this key (tampered, or not for us)."""


class PlaintextTooLarge(DecryptionFailed):
    """The JWE opened, but its content (after DEFLATE) is larger than the caller allows: a
    few kB of zeros on the wire can inflate to gigabytes, so it is never inflated whole."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"content larger than {limit} bytes")
        self.limit = limit


# what a caller that names no bound gets: the attachment limit's default
DEFAULT_MAX_PLAINTEXT = 20 * 1024 * 1024


class Decrypter(Protocol):
    kid: str  # the key's id at the destination ('' for a previous key whose id is not known)

    @property
    def thumbprint(self) -> str:
        """RFC 7638 thumbprint (SHA-256) of the public key: what some senders put in `kid`."""
        ...

    def decrypt(self, compact: str, max_plaintext: int = DEFAULT_MAX_PLAINTEXT) -> bytes: ...


def rfc7638_thumbprint(modulus: int, exponent: int) -> str:
    """SHA-256 over {"e","kty","n"} in that order, no white space, base64url (RFC 7638 3.1)."""

    def member(value: int) -> str:
        return _b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))

    canonical = f'{{"e":"{member(exponent)}","kty":"RSA","n":"{member(modulus)}"}}'
    return _b64(hashlib.sha256(canonical.encode()).digest())


class DecryptionKeys:
    """The destination's decryption keys: the current one first, then those of a rotation whose
    submissions may still be waiting. A JWE goes first to the key its `kid` names (by id or by
    RFC 7638 thumbprint); without a `kid`, or with one we do not know, each key is tried: a
    wrong key fails the AEAD check, so trying reveals nothing and opens nothing it should not."""

    def __init__(self, keys: list[Decrypter]) -> None:
        if not keys:
            raise ValueError("at least one decryption key")
        self.keys = keys

    @property
    def kid(self) -> str:
        return self.keys[0].kid

    def names(self, kid: str) -> bool:
        return any(kid in (key.kid, key.thumbprint) for key in self.keys if kid)

    def decrypt(
        self, compact: str, kid: str | None = None, max_plaintext: int = DEFAULT_MAX_PLAINTEXT
    ) -> bytes:
        ordered = sorted(self.keys, key=lambda key: not kid or kid not in (key.kid, key.thumbprint))
        failures: list[str] = []
        for key in ordered:
            try:
                return key.decrypt(compact, max_plaintext)
            except PlaintextTooLarge:
                raise  # the right key opened it: no other key makes it smaller
            except DecryptionFailed as error:
                failures.append(str(error))
        raise DecryptionFailed(f"no configured key opens it ({', '.join(dict.fromkeys(failures))})")


class Signer(Protocol):
    kid: str

    def sign_set(self, claims: dict[str, Any]) -> str: ...


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def set_signing_input(kid: str, claims: dict[str, Any]) -> str:
    """The JWS signing input of a Security Event Token (RFC 8417): header.payload, base64url."""
    header = {"typ": "secevent+jwt", "alg": "PS512", "kid": kid}
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"


def decrypt_compact(
    compact: str, unwrap: Callable[[bytes], bytes], max_plaintext: int = DEFAULT_MAX_PLAINTEXT
) -> bytes:
    """RFC 7516 5.2 for the one algorithm pair FIT-Connect prescribes (RSA-OAEP-256 with
    A256GCM, optional DEFLATE): `unwrap` recovers the content key with the private key (in a
    file or on a token), AES-GCM decrypts and authenticates header and content. Content larger
    than `max_plaintext`, compressed or not, is PlaintextTooLarge; anything else, or any failed
    check, is DecryptionFailed."""
    try:
        protected, encrypted_key, iv, ciphertext, tag = compact.split(".")
        header = json.loads(_unb64(protected))
    except ValueError as error:
        raise DecryptionFailed("not a compact JWE") from error
    if not isinstance(header, dict) or (header.get("alg"), header.get("enc")) != (
        "RSA-OAEP-256",
        "A256GCM",
    ):
        raise DecryptionFailed("algorithm not allowed")
    if "crit" in header:
        # RFC 7516 4.1.13 (RFC 7515 4.1.11): a non-empty array of names, each of which we must
        # understand; we understand no extension, so any "crit" at all is refused
        crit = header["crit"]
        if not isinstance(crit, list) or not crit:
            raise DecryptionFailed("'crit' is not a non-empty array")
        raise DecryptionFailed(f"critical header {sorted(map(str, crit))} not understood")
    try:
        cek = unwrap(_unb64(encrypted_key))
        if len(cek) != 32:
            raise ValueError("content key is not 256 bits")
        sealed = _unb64(ciphertext)
        if len(sealed) > max_plaintext:  # GCM's plaintext is as long as its ciphertext
            raise PlaintextTooLarge(max_plaintext)
        plaintext = AESGCM(cek).decrypt(_unb64(iv), sealed + _unb64(tag), protected.encode("ascii"))
        if header.get("zip") == "DEF":
            plaintext = inflate(plaintext, max_plaintext)
        elif "zip" in header:
            raise ValueError(f"compression {header['zip']!r} not supported")
    except (InvalidTag, ValueError, zlib.error) as error:
        raise DecryptionFailed(type(error).__name__) from error
    return plaintext


def inflate(compressed: bytes, limit: int) -> bytes:
    """Raw DEFLATE (RFC 1951), as JWE's "zip": "DEF" says, inflated to at most `limit` bytes:
    the output is bounded as it is made, so a bomb costs `limit` bytes of memory at most."""
    inflater = zlib.decompressobj(-15)
    plaintext = inflater.decompress(compressed, limit + 1)
    if len(plaintext) > limit or inflater.unconsumed_tail:
        raise PlaintextTooLarge(limit)
    if not inflater.eof:
        raise zlib.error("truncated DEFLATE stream")
    return plaintext


class JwkKeys:
    """Keys from files: the private key handed to OpenSSL (`cryptography`) directly. Decrypting
    and signing take the same paths as a token's key (jwcrypto's per-token registry copies
    cost more than the RSA work around them)."""

    def __init__(self, key: jwk.JWK, kid: str) -> None:
        self.key = jwk.JWK(**{**json.loads(key.export_private()), "kid": kid})
        self.kid = kid
        self.thumbprint = str(self.key.thumbprint()) if self.key.get("kty") == "RSA" else ""
        self._private: Any = None
        if self.key.get("kty") == "RSA":
            self._private = serialization.load_pem_private_key(
                self.key.export_to_pem(private_key=True, password=None), None
            )

    def decrypt(self, compact: str, max_plaintext: int = DEFAULT_MAX_PLAINTEXT) -> bytes:
        if self._private is None:
            raise DecryptionFailed("not an RSA key")
        return decrypt_compact(compact, self._unwrap, max_plaintext)

    def _unwrap(self, encrypted_key: bytes) -> bytes:
        return bytes(self._private.decrypt(encrypted_key, _OAEP_SHA256))

    def sign_set(self, claims: dict[str, Any]) -> str:
        if self._private is None:
            raise ValueError("not an RSA key")
        signing_input = set_signing_input(self.kid, claims)
        signature = self._private.sign(signing_input.encode("ascii"), _PSS_SHA512, hashes.SHA512())
        return f"{signing_input}.{_b64(signature)}"


_SESSIONS: dict[tuple[str, str], tuple[Any, threading.Lock]] = {}
_SESSIONS_LOCK = threading.Lock()


def _token_session(library: str, token_label: str, pin: str) -> tuple[Any, threading.Lock]:
    """One logged-in session per token for the whole process (PKCS#11 logs in per application,
    not per session), used under a lock because a session is not to be shared concurrently."""
    import pkcs11

    with _SESSIONS_LOCK:
        key = (library, token_label)
        if key not in _SESSIONS:
            token = pkcs11.lib(library).get_token(token_label=token_label)
            _SESSIONS[key] = (token.open(user_pin=pin), threading.Lock())
        return _SESSIONS[key]


class Pkcs11Keys:
    """Keys on a PKCS#11 token: RSA-OAEP-256 unwrapping and PS512 signing happen on the token;
    the AES-GCM content decryption (RFC 7516, 5.2) is done here with `cryptography`, because
    jwcrypto cannot use a key it cannot read."""

    def __init__(
        self, *, library: str, token_label: str, pin: str, key_label: str, kid: str
    ) -> None:
        import pkcs11

        self._pkcs11 = pkcs11
        self._session, self._lock = _token_session(library, token_label, pin)
        self.kid = kid
        self._oaep_sha256 = True
        with self._lock:  # fail now, with the token's word, if the key is missing
            self._key = self._session.get_key(
                object_class=pkcs11.ObjectClass.PRIVATE_KEY, label=key_label
            )
            self.thumbprint = self._public_thumbprint(key_label)

    def _public_thumbprint(self, key_label: str) -> str:
        """From the token's public key object of the same label ('' where the token has none)."""
        pkcs11 = self._pkcs11
        try:
            public = self._session.get_key(
                object_class=pkcs11.ObjectClass.PUBLIC_KEY, label=key_label
            )
            modulus = int.from_bytes(public[pkcs11.Attribute.MODULUS], "big")
            exponent = int.from_bytes(public[pkcs11.Attribute.PUBLIC_EXPONENT], "big")
        except (pkcs11.PKCS11Error, KeyError):
            return ""
        return rfc7638_thumbprint(modulus, exponent)

    def decrypt(self, compact: str, max_plaintext: int = DEFAULT_MAX_PLAINTEXT) -> bytes:
        def unwrap(encrypted_key: bytes) -> bytes:
            try:
                return self._unwrap(encrypted_key)
            except self._pkcs11.PKCS11Error as error:
                raise ValueError(type(error).__name__) from error

        return decrypt_compact(compact, unwrap, max_plaintext)

    def _unwrap(self, encrypted_key: bytes) -> bytes:
        """RSA-OAEP-256 on the token; a token without OAEP-SHA256 (SoftHSM2 2.6 offers SHA-1
        only) decrypts raw RSA instead and the OAEP decoding happens here (RFC 8017, 7.1.2)."""
        pkcs11 = self._pkcs11
        with self._lock:
            if self._oaep_sha256:
                try:
                    return bytes(
                        self._key.decrypt(
                            encrypted_key,
                            mechanism=pkcs11.Mechanism.RSA_PKCS_OAEP,
                            mechanism_param=(pkcs11.Mechanism.SHA256, pkcs11.MGF.SHA256, None),
                        )
                    )
                except (pkcs11.ArgumentsBad, pkcs11.MechanismInvalid, pkcs11.MechanismParamInvalid):
                    self._oaep_sha256 = False
            encoded = bytes(self._key.decrypt(encrypted_key, mechanism=pkcs11.Mechanism.RSA_X_509))
        return oaep_sha256_decode(encoded, key_bytes=len(encrypted_key))

    def sign_set(self, claims: dict[str, Any]) -> str:
        pkcs11 = self._pkcs11
        signing_input = set_signing_input(self.kid, claims)
        with self._lock:
            signature = self._key.sign(
                signing_input.encode("ascii"),
                mechanism=pkcs11.Mechanism.SHA512_RSA_PKCS_PSS,
                mechanism_param=(pkcs11.Mechanism.SHA512, pkcs11.MGF.SHA512, 64),
            )
        return f"{signing_input}.{_b64(bytes(signature))}"


def _mgf1_sha256(seed: bytes, length: int) -> bytes:
    output = b""
    for counter in range(-(-length // 32)):
        output += hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
    return output[:length]


def oaep_sha256_decode(encoded: bytes, *, key_bytes: int, label: bytes = b"") -> bytes:
    """EME-OAEP decoding with SHA-256 and MGF1-SHA-256 (RFC 8017, 7.1.2 step 3). One error for
    every failure, so a caller learns nothing about which check failed."""
    encoded = encoded.rjust(key_bytes, b"\0")
    hash_length = 32
    if key_bytes < 2 * hash_length + 2:
        raise ValueError("decryption error")
    y, masked_seed, masked_db = encoded[0], encoded[1 : 1 + hash_length], encoded[1 + hash_length :]
    seed = bytes(
        a ^ b for a, b in zip(masked_seed, _mgf1_sha256(masked_db, hash_length), strict=True)
    )
    db = bytes(a ^ b for a, b in zip(masked_db, _mgf1_sha256(seed, len(masked_db)), strict=True))
    label_hash, rest = db[:hash_length], db[hash_length:]
    separator = rest.find(b"\x01")
    valid = hmac.compare_digest(label_hash, hashlib.sha256(label).digest())
    valid &= y == 0 and separator >= 0 and not rest[: max(separator, 0)].strip(b"\0")
    if not valid:
        raise ValueError("decryption error")
    return rest[separator + 1 :]
