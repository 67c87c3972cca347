"""Passive authentication (ICAO Doc 9303 Part 11 §5.1, Part 12): the data groups read from the
chip hashed and compared with EF.SOD's; EF.SOD's CMS signature checked with the document
signer's key; the document signer's certificate checked against a country signing CA (CSCA)
from the CSCA master list the admin installs (itself a signed CMS object, Part 12 §9), and
against the CSCA's CRL where one is given. The outcome says which of these held, in words a
clerk can act on; anything short of all of them is never "genuine"."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from cardreader import ec_keys
from cardreader.errors import CardProtocolError
from cardreader.lds import signed_object_of
from cardreader.pace import MALFORMED

LDS_SECURITY_OBJECT = "2.23.136.1.1.1"
CSCA_MASTER_LIST = "2.23.136.1.1.2"
DIGESTS: dict[str, hashes.HashAlgorithm] = {
    "sha1": hashes.SHA1(),
    "sha224": hashes.SHA224(),
    "sha256": hashes.SHA256(),
    "sha384": hashes.SHA384(),
    "sha512": hashes.SHA512(),
}


class DataGroupHash(core.Sequence):  # type: ignore[misc]
    _fields: ClassVar[list[tuple[str, Any]]] = [
        ("dataGroupNumber", core.Integer),
        ("dataGroupHashValue", core.OctetString),
    ]


class DataGroupHashes(core.SequenceOf):  # type: ignore[misc]
    _child_spec = DataGroupHash


class LdsSecurityObject(core.Sequence):  # type: ignore[misc]
    """Part 10 §4.6.2.2 (the optional LDS version info of version 1 is not needed here)."""

    _fields: ClassVar[list[tuple[str, Any]]] = [
        ("version", core.Integer),
        ("hashAlgorithm", algos.DigestAlgorithm),
        ("dataGroupHashValues", DataGroupHashes),
    ]


class CertificateSet(core.SetOf):  # type: ignore[misc]
    _child_spec = asn1_x509.Certificate


class CscaMasterList(core.Sequence):  # type: ignore[misc]
    _fields: ClassVar[list[tuple[str, Any]]] = [
        ("version", core.Integer),
        ("certList", CertificateSet),
    ]


class Outcome(StrEnum):
    GENUINE = "genuine"  # every check held
    DATA_CHANGED = "data_changed"  # a data group does not match its signed hash
    SIGNATURE_INVALID = "signature_invalid"  # EF.SOD's signature or the signer's certificate
    UNKNOWN_CSCA = "unknown_csca"  # no CSCA of the master list issued the document signer
    CSCA_EXPIRED = "csca_expired"
    SIGNER_EXPIRED = "signer_expired"
    SIGNER_REVOKED = "signer_revoked"
    MALFORMED = "malformed"  # EF.SOD cannot be read


class MasterListError(ValueError):
    """A master list that cannot be trusted: not a signed CSCA master list, a signature that
    does not hold, a signer no CSCA of its own list issued."""


@dataclass(frozen=True, slots=True)
class MasterList:
    cscas: tuple[x509.Certificate, ...]
    signer: x509.Certificate


@dataclass(frozen=True, slots=True)
class PassiveAuthentication:
    outcome: Outcome
    detail: str = ""
    signer: str = ""  # the document signer's subject
    csca: str = ""  # the CSCA's subject
    checked: tuple[int, ...] = ()  # data groups whose hash held
    changed: tuple[int, ...] = ()  # data groups whose hash did not

    @property
    def genuine(self) -> bool:
        return self.outcome is Outcome.GENUINE


# --- CMS ------------------------------------------------------------------------------------


def _signed(content_info: bytes, content_type: str) -> tuple[bytes, cms.SignerInfo, list[Any]]:
    """(the signed content, its one signer info, the certificates inside); ValueError when
    it is no SignedData of `content_type` whose signed attributes name that content."""
    info = cms.ContentInfo.load(content_info)
    if info["content_type"].native != "signed_data":
        raise ValueError("not a CMS SignedData")
    signed = info["content"]
    encapsulated = signed["encap_content_info"]
    if encapsulated["content_type"].dotted != content_type:
        raise ValueError(f"content type {encapsulated['content_type'].dotted}, not {content_type}")
    content = encapsulated["content"].contents
    (signer,) = signed["signer_infos"]
    attributes = {a["type"].native: a["values"][0] for a in signer["signed_attrs"]}
    if attributes["content_type"].dotted != content_type:
        raise ValueError("the signed attributes name another content type")
    algorithm = DIGESTS[signer["digest_algorithm"]["algorithm"].native]
    digest = hashes.Hash(algorithm)
    digest.update(content)
    if attributes["message_digest"].native != digest.finalize():
        raise ValueError("the content does not match its signed digest")
    return bytes(content), signer, list(signed["certificates"] or [])


def _signer_certificate(signer: cms.SignerInfo, certificates: list[Any]) -> x509.Certificate:
    sid = signer["sid"]
    for choice in certificates:
        certificate = choice.chosen
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (
                certificate.issuer == wanted["issuer"]
                and certificate.serial_number == wanted["serial_number"].native
            ):
                return x509.load_der_x509_certificate(certificate.dump())
        elif certificate.key_identifier == sid.chosen.native:
            return x509.load_der_x509_certificate(certificate.dump())
    raise ValueError("the signer's certificate is not inside")


def _verify(key: Any, signature: bytes, data: bytes, signer: cms.SignerInfo) -> None:
    """InvalidSignature unless `signature` over `data` holds for `key` (ECDSA, RSA PKCS#1 v1.5
    or RSA-PSS, as the signer info says)."""
    algorithm = signer["signature_algorithm"]
    name = algorithm.signature_algo
    digest = DIGESTS[signer["digest_algorithm"]["algorithm"].native]
    if name == "ecdsa" and isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(signature, data, ec.ECDSA(digest))
    elif name == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPublicKey):
        key.verify(signature, data, padding.PKCS1v15(), digest)
    elif name == "rsassa_pss" and isinstance(key, rsa.RSAPublicKey):
        salt = algorithm["parameters"]["salt_length"].native
        key.verify(signature, data, padding.PSS(padding.MGF1(digest), salt), digest)
    else:
        raise InvalidSignature(f"signature algorithm {name} with this key")


def _check_signature(signer: cms.SignerInfo, certificate: x509.Certificate) -> None:
    attributes = signer["signed_attrs"].dump()
    as_set = b"\x31" + attributes[1:]  # signed over as a SET, carried as [0] (RFC 5652 5.4)
    key = ec_keys.certificate_key(certificate)
    _verify(key, signer["signature"].native, as_set, signer)


def _issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    """`issuer` named as the certificate's issuer and its key verifies the signature (its
    key may carry explicit EC parameters, which `cryptography` alone would not load)."""
    if certificate.issuer != issuer.subject:
        return False
    try:
        key = ec_keys.certificate_key(issuer)
        parameters = certificate.signature_algorithm_parameters
        digest = certificate.signature_hash_algorithm
        if isinstance(key, rsa.RSAPublicKey) and digest is not None:
            key.verify(
                certificate.signature,
                certificate.tbs_certificate_bytes,
                parameters,  # type: ignore[arg-type]
                digest,
            )
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(certificate.signature, certificate.tbs_certificate_bytes, parameters)  # type: ignore[arg-type]
        else:
            return False
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


# --- the master list -----------------------------------------------------------------------


def load_master_list(data: bytes) -> MasterList:
    """A CSCA master list as the BSI or the ICAO PKD publish it (DER CMS, Part 12 §9): its
    signature checked, its signer issued by a CSCA of the list; MasterListError otherwise."""
    try:
        content, signer, certificates = _signed(data, CSCA_MASTER_LIST)
        listed = CscaMasterList.load(content)
        cscas = tuple(x509.load_der_x509_certificate(c.dump()) for c in listed["certList"])
        signer_certificate = _signer_certificate(signer, certificates)
        _check_signature(signer, signer_certificate)
    except InvalidSignature as error:
        raise MasterListError("the master list's signature does not hold") from error
    except (*MALFORMED, StopIteration) as error:
        raise MasterListError(f"not a CSCA master list: {error}") from error
    if not any(_issued_by(signer_certificate, csca) for csca in cscas):
        raise MasterListError("no CSCA of the list issued the master list's signer")
    return MasterList(cscas, signer_certificate)


# --- EF.SOD ---------------------------------------------------------------------------------


def authenticate(
    groups: Mapping[int, bytes],
    sod: bytes,
    trust: MasterList,
    *,
    at: dt.datetime,
    crls: Sequence[x509.CertificateRevocationList] = (),
) -> PassiveAuthentication:
    """Passive authentication of the data groups read (number → the file as read)."""
    try:
        content, signer, certificates = _signed(signed_object_of(sod), LDS_SECURITY_OBJECT)
        security = LdsSecurityObject.load(content)
        algorithm = security["hashAlgorithm"]["algorithm"].native
        signed = {
            item["dataGroupNumber"].native: item["dataGroupHashValue"].native
            for item in security["dataGroupHashValues"]
        }
        document_signer = _signer_certificate(signer, certificates)
    except (*MALFORMED, CardProtocolError, StopIteration) as error:
        return PassiveAuthentication(Outcome.MALFORMED, str(error))
    signer_name = document_signer.subject.rfc4514_string()
    try:
        _check_signature(signer, document_signer)
    except InvalidSignature:
        return PassiveAuthentication(Outcome.SIGNATURE_INVALID, "EF.SOD", signer_name)
    changed = tuple(
        number
        for number, data in sorted(groups.items())
        if signed.get(number) != hashlib.new(algorithm, data).digest()
    )
    checked = tuple(n for n in sorted(groups) if n not in changed)
    if changed:
        detail = ", ".join(f"DG{n}" for n in changed)
        return PassiveAuthentication(
            Outcome.DATA_CHANGED, detail, signer_name, checked=checked, changed=changed
        )
    return _chain(document_signer, trust, at, crls, checked)


def _chain(
    document_signer: x509.Certificate,
    trust: MasterList,
    at: dt.datetime,
    crls: Sequence[x509.CertificateRevocationList],
    checked: tuple[int, ...],
) -> PassiveAuthentication:
    signer_name = document_signer.subject.rfc4514_string()
    issuers = [c for c in trust.cscas if _issued_by(document_signer, c)]
    if not issuers:
        named = document_signer.issuer.rfc4514_string()
        return PassiveAuthentication(Outcome.UNKNOWN_CSCA, named, signer_name, checked=checked)
    valid = [c for c in issuers if c.not_valid_before_utc <= at <= c.not_valid_after_utc]
    csca = (valid or issuers)[0]
    csca_name = csca.subject.rfc4514_string()
    result = PassiveAuthentication(Outcome.GENUINE, "", signer_name, csca_name, checked)
    if not valid:
        return _as(result, Outcome.CSCA_EXPIRED, csca.not_valid_after_utc.date().isoformat())
    if not document_signer.not_valid_before_utc <= at <= document_signer.not_valid_after_utc:
        ended = document_signer.not_valid_after_utc.date().isoformat()
        return _as(result, Outcome.SIGNER_EXPIRED, ended)
    for crl in crls:
        if crl.issuer == csca.subject and crl.is_signature_valid(ec_keys.certificate_key(csca)):  # type: ignore[arg-type]
            revoked = crl.get_revoked_certificate_by_serial_number(document_signer.serial_number)
            if revoked is not None:
                return _as(result, Outcome.SIGNER_REVOKED, revoked.revocation_date_utc.isoformat())
    return result


def _as(result: PassiveAuthentication, outcome: Outcome, detail: str) -> PassiveAuthentication:
    return PassiveAuthentication(outcome, detail, result.signer, result.csca, result.checked)
