"""Public keys as travel documents carry them: many states put EC keys with *explicit* domain
parameters (the prime, the coefficients, the generator, the order written out) into their
document signer certificates, DG14 and DG15, as BSI TR-03110 and ICAO 9303 allow. `cryptography`
loads only named curves, so an explicit curve is recognised here by its numbers among the
curves PACE knows (brainpool and NIST) and the key loaded as that named curve; a curve that is
none of them is refused (ValueError), never guessed."""

from __future__ import annotations

from asn1crypto import keys
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.serialization import load_der_public_key
from ecdsa import curves

from cardreader.pace_groups import encode_point

# the curves PACE's standardized parameters use, by asn1crypto's names
NAMED = (
    (curves.NIST192p, "secp192r1"),
    (curves.BRAINPOOLP192r1, "brainpoolp192r1"),
    (curves.NIST224p, "secp224r1"),
    (curves.BRAINPOOLP224r1, "brainpoolp224r1"),
    (curves.NIST256p, "secp256r1"),
    (curves.BRAINPOOLP256r1, "brainpoolp256r1"),
    (curves.BRAINPOOLP320r1, "brainpoolp320r1"),
    (curves.NIST384p, "secp384r1"),
    (curves.BRAINPOOLP384r1, "brainpoolp384r1"),
    (curves.BRAINPOOLP512r1, "brainpoolp512r1"),
    (curves.NIST521p, "secp521r1"),
)


def _named(parameters: keys.SpecifiedECDomain) -> str:
    prime = parameters["field_id"]["parameters"].native
    a = int.from_bytes(parameters["curve"]["a"].native, "big")
    b = int.from_bytes(parameters["curve"]["b"].native, "big")
    order = parameters["order"].native
    base = parameters["base"].native
    for curve, name in NAMED:
        c = curve.curve
        if (c.p(), c.a() % c.p(), c.b(), int(curve.order)) != (prime, a % prime, b, order):
            continue
        if base == encode_point(curve.generator, curve):
            return name
    raise ValueError("an EC key on a curve that is neither brainpool nor NIST")


def normalised(spki_der: bytes) -> bytes:
    """The SubjectPublicKeyInfo with explicit EC parameters as the named curve they are; any
    other key as it came."""
    info = keys.PublicKeyInfo.load(spki_der)
    algorithm = info["algorithm"]
    if algorithm["algorithm"].native != "ec":
        return spki_der
    parameters = algorithm["parameters"]
    if parameters.name != "specified":
        return spki_der
    named = keys.PublicKeyInfo(
        {
            "algorithm": {
                "algorithm": "ec",
                "parameters": keys.ECDomainParameters(
                    name="named", value=_named(parameters.chosen)
                ),
            },
            "public_key": info["public_key"],
        }
    )
    result: bytes = named.dump()
    return result


def public_key(spki_der: bytes) -> PublicKeyTypes:
    """A key from its SubjectPublicKeyInfo, explicit EC parameters included."""
    return load_der_public_key(normalised(spki_der))


def certificate_key(certificate: x509.Certificate) -> PublicKeyTypes:
    """A certificate's public key, explicit EC parameters included."""
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding

    parsed = asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))
    return public_key(parsed["tbs_certificate"]["subject_public_key_info"].dump())
