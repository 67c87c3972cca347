"""A test issuing state for eMRTD chips (ICAO Doc 9303 Parts 10 and 12): its country signing
CA (CSCA), a document signer, a master list signer and the signed CSCA master list; and the
files of one document as the state writes them onto the chip: EF.COM, DG1 (the MRZ), DG2 (a
face image in ISO/IEC 19794-5), DG15 (the Active Authentication key) and EF.SOD (the data
groups' hashes, signed by the document signer in CMS).

Written from the specifications on its own, not from the reader code in cardreader/: the
reader is tested against what an issuer makes. Tests, the demo and benchmarks only."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

LDS_SECURITY_OBJECT = "2.23.136.1.1.1"
CSCA_MASTER_LIST = "2.23.136.1.1.2"
MASTER_LIST_SIGNING = "2.23.136.1.1.3"
CA_ECDH_AES_128 = "0.4.0.127.0.7.2.2.3.2.2"
PK_ECDH = "0.4.0.127.0.7.2.2.1.2"
ACTIVE_AUTHENTICATION = "2.23.136.1.1.5"
ECDSA_PLAIN_SHA256 = "0.4.0.127.0.7.1.1.4.1.3"
DAY = dt.timedelta(days=1)


class DataGroupHash(core.Sequence):  # type: ignore[misc]
    _fields: ClassVar[list[tuple[str, Any]]] = [
        ("dataGroupNumber", core.Integer),
        ("dataGroupHashValue", core.OctetString),
    ]


class DataGroupHashes(core.SequenceOf):  # type: ignore[misc]
    _child_spec = DataGroupHash


class LdsSecurityObject(core.Sequence):  # type: ignore[misc]
    _fields: ClassVar[list[tuple[str, Any]]] = [
        ("version", core.Integer),
        ("hashAlgorithm", algos.DigestAlgorithm),
        ("dataGroupHashValues", DataGroupHashes),
    ]


class Certificates(core.SetOf):  # type: ignore[misc]
    _child_spec = asn1_x509.Certificate


class CscaMasterList(core.Sequence):  # type: ignore[misc]
    _fields: ClassVar[list[tuple[str, Any]]] = [
        ("version", core.Integer),
        ("certList", Certificates),
    ]


def _tlv(tag: bytes, value: bytes) -> bytes:
    length = len(value)
    if length < 0x80:
        encoded = bytes([length])
    elif length < 0x100:
        encoded = bytes([0x81, length])
    else:
        encoded = bytes([0x82]) + length.to_bytes(2, "big")
    return tag + encoded + value


def _oid(dotted: str) -> bytes:
    encoded: bytes = core.ObjectIdentifier(dotted).dump()
    return encoded


def _name(country: str, common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test State"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass
class Authority:
    """A key and its certificate."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)


def csca(country: str, *, start: dt.datetime, years: int = 15) -> Authority:
    key = ec.generate_private_key(ec.BrainpoolP256R1())
    name = _name(country, f"CSCA {country}")
    identifier = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + years * 365 * DAY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(identifier, critical=False)
        .sign(key, hashes.SHA256())
    )
    return Authority(key, certificate)


def issued(
    issuer: Authority,
    common_name: str,
    *,
    start: dt.datetime,
    days: int,
    usage: x509.ObjectIdentifier | None = None,
) -> Authority:
    """A document signer (or, with `usage`, a master list signer) under `issuer`."""
    key = ec.generate_private_key(ec.SECP256R1())
    country = issuer.certificate.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(str(country), common_name))
        .issuer_name(issuer.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + days * DAY)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    )
    if usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    return Authority(key, builder.sign(issuer.key, hashes.SHA256()))


def signed_data(signer: Authority, content_type: str, content: bytes, *, at: dt.datetime) -> bytes:
    """CMS SignedData (RFC 5652) over `content`, ECDSA with SHA-256, the signer's
    certificate inside, as ContentInfo DER."""
    attributes = cms.CMSAttributes(
        [
            cms.CMSAttribute({"type": "content_type", "values": [content_type]}),
            cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": at})]}),
            cms.CMSAttribute(
                {"type": "message_digest", "values": [hashlib.sha256(content).digest()]}
            ),
        ]
    )
    signature = signer.key.sign(attributes.dump(), ec.ECDSA(hashes.SHA256()))
    certificate = asn1_x509.Certificate.load(signer.der)
    info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": {
                        "issuer": certificate.issuer,
                        "serial_number": certificate.serial_number,
                    }
                }
            ),
            "digest_algorithm": {"algorithm": "sha256"},
            "signed_attrs": attributes,
            "signature_algorithm": {"algorithm": "sha256_ecdsa"},
            "signature": signature,
        }
    )
    data = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {
                "content_type": content_type,
                "content": core.ParsableOctetString(content),
            },
            "certificates": [certificate],
            "signer_infos": [info],
        }
    )
    info_der: bytes = cms.ContentInfo({"content_type": "signed_data", "content": data}).dump()
    return info_der


def master_list(signer: Authority, cscas: list[Authority], *, at: dt.datetime) -> bytes:
    """The CSCA master list (Part 12 §9), signed by a master list signer."""
    listed = CscaMasterList(
        {
            "version": 0,
            "certList": [asn1_x509.Certificate.load(c.der) for c in cscas],
        }
    )
    return signed_data(signer, CSCA_MASTER_LIST, listed.dump(), at=at)


def face_jpeg(seed: int = 7, size: tuple[int, int] = (360, 480), quality: int = 80) -> bytes:
    """A passport photo stand-in (a drawn face on a noisy background), about 20 kB."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", size, (214, 220, 226))
    pixels = image.load()
    assert pixels is not None
    for x in range(0, size[0], 2):
        for y in range(0, size[1], 2):
            shade = 200 + rng.randrange(40)
            pixels[x, y] = (shade, shade + 4 if shade < 251 else shade, 230)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.ellipse((width * 0.25, height * 0.2, width * 0.75, height * 0.75), fill=(226, 188, 160))
    draw.ellipse((width * 0.37, height * 0.4, width * 0.44, height * 0.45), fill=(60, 60, 80))
    draw.ellipse((width * 0.56, height * 0.4, width * 0.63, height * 0.45), fill=(60, 60, 80))
    draw.arc((width * 0.4, height * 0.5, width * 0.6, height * 0.62), 20, 160, (120, 50, 50), 4)
    draw.rectangle((width * 0.2, height * 0.8, width * 0.8, height), fill=(40, 60, 110))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def face_jp2(seed: int = 7) -> bytes:
    """The same photo stand-in as JPEG 2000 (as many newer passports store it)."""
    from PIL import Image

    out = io.BytesIO()
    with Image.open(io.BytesIO(face_jpeg(seed))) as image:
        image.save(out, "JPEG2000", quality_mode="rates", quality_layers=[40])
    return out.getvalue()


def facial_record(image: bytes, *, jp2: bool, width: int, height: int) -> bytes:
    """ISO/IEC 19794-5: the general header, one facial record without feature points (gender,
    colours, properties, expression and pose unspecified), the image information, the
    image."""
    info = bytes([1, 1 if jp2 else 0]) + width.to_bytes(2, "big") + height.to_bytes(2, "big")
    info += bytes([1, 2]) + bytes(4)  # sRGB, a digital still camera; device and quality unset
    face = (0).to_bytes(2, "big") + bytes(14)
    facial = (4 + len(face) + len(info) + len(image)).to_bytes(4, "big") + face + info + image
    return b"FAC\x00010\x00" + (14 + len(facial)).to_bytes(4, "big") + b"\x00\x01" + facial


@dataclass
class Document:
    """What the chip of one document holds, and the keys behind it."""

    mrz: str
    photo: bytes
    photo_jp2: bool = False
    active_authentication: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None
    chip_authentication: ec.EllipticCurvePrivateKey | None = None
    files: dict[str, bytes] = field(default_factory=dict)

    def dg1(self) -> bytes:
        return _tlv(b"\x61", _tlv(b"\x5f\x1f", self.mrz.replace("\n", "").encode("ascii")))

    def dg2(self) -> bytes:
        record = facial_record(self.photo, jp2=self.photo_jp2, width=360, height=480)
        header = _tlv(b"\xa1", _tlv(b"\x80", b"\x01\x01") + _tlv(b"\x87", b"\x01\x01"))
        template = _tlv(b"\x7f\x60", header + _tlv(b"\x5f\x2e", record))
        return _tlv(b"\x75", _tlv(b"\x7f\x61", _tlv(b"\x02", b"\x01") + template))

    def dg15(self) -> bytes:
        assert self.active_authentication is not None
        info = self.active_authentication.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return _tlv(b"\x6f", info)

    @property
    def has_dg14(self) -> bool:
        return self.chip_authentication is not None or isinstance(
            self.active_authentication, ec.EllipticCurvePrivateKey
        )

    def dg14(self) -> bytes:
        """SecurityInfos: ChipAuthenticationInfo (id-CA-ECDH-AES-CBC-CMAC-128, version 1) and
        ChipAuthenticationPublicKeyInfo (id-PK-ECDH, the chip's static key) where the chip does
        Chip Authentication; ActiveAuthenticationInfo (ecdsa-plain-SHA256) where its Active
        Authentication key is an EC key (9303-11 §6.1)."""
        infos = b""
        if self.chip_authentication is not None:
            key = self.chip_authentication.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            infos += _tlv(b"\x30", _oid(CA_ECDH_AES_128) + core.Integer(1).dump())
            infos += _tlv(b"\x30", _oid(PK_ECDH) + key)
        if isinstance(self.active_authentication, ec.EllipticCurvePrivateKey):
            aa = _oid(ACTIVE_AUTHENTICATION) + core.Integer(1).dump() + _oid(ECDSA_PLAIN_SHA256)
            infos += _tlv(b"\x30", aa)
        return _tlv(b"\x6e", _tlv(b"\x31", infos))

    def ef_com(self) -> bytes:
        tags = b"\x61\x75" + (b"\x6e" if self.has_dg14 else b"")
        tags += b"\x6f" if self.active_authentication else b""
        return _tlv(
            b"\x60",
            _tlv(b"\x5f\x01", b"0107") + _tlv(b"\x5f\x36", b"040000") + _tlv(b"\x5c", tags),
        )


def issue(document: Document, signer: Authority, *, at: dt.datetime) -> Document:
    """The document's files with EF.SOD signed by `signer` over their SHA-256 hashes."""
    groups = {1: document.dg1(), 2: document.dg2()}
    if document.has_dg14:
        groups[14] = document.dg14()
    if document.active_authentication is not None:
        groups[15] = document.dg15()
    security = LdsSecurityObject(
        {
            "version": 0,
            "hashAlgorithm": {"algorithm": "sha256"},
            "dataGroupHashValues": [
                {"dataGroupNumber": n, "dataGroupHashValue": hashlib.sha256(d).digest()}
                for n, d in sorted(groups.items())
            ],
        }
    )
    sod = _tlv(b"\x77", signed_data(signer, LDS_SECURITY_OBJECT, security.dump(), at=at))
    files = {"COM": document.ef_com(), "SOD": sod} | {f"DG{n}": d for n, d in groups.items()}
    return replace(document, files=files)


def aa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


def aa_ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.BrainpoolP256R1())


def ca_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def test_master_list(country: str = "UT") -> bytes:
    """A fresh test state's signed master list with its one CSCA (for trying the commands)."""
    start = dt.datetime.now(dt.UTC) - DAY
    state = csca(country, start=start)
    signer = issued(
        state,
        "ML Signer",
        start=start,
        days=365,
        usage=x509.ObjectIdentifier(MASTER_LIST_SIGNING),
    )
    return master_list(signer, [state], at=start)


def explicit_parameters(spki_der: bytes) -> bytes:
    """An EC SubjectPublicKeyInfo with its named curve written out as explicit parameters
    (RFC 3279 SpecifiedECDomain), as many states' document signers and chips carry them."""
    from asn1crypto import keys
    from ecdsa import curves

    info = keys.PublicKeyInfo.load(spki_der)
    name = info["algorithm"]["parameters"].chosen.native
    known = {
        "secp256r1": curves.NIST256p,
        "brainpoolp256r1": curves.BRAINPOOLP256r1,
        "secp384r1": curves.NIST384p,
    }
    curve = known[name]
    size = (curve.curve.p().bit_length() + 7) // 8
    generator = curve.generator
    base = (
        b"\x04"
        + int(generator.x()).to_bytes(size, "big")
        + int(generator.y()).to_bytes(size, "big")
    )
    specified = keys.SpecifiedECDomain(
        {
            "version": "ecdpVer1",
            "field_id": {"field_type": "prime_field", "parameters": curve.curve.p()},
            "curve": {
                "a": (curve.curve.a() % curve.curve.p()).to_bytes(size, "big"),
                "b": curve.curve.b().to_bytes(size, "big"),
            },
            "base": base,
            "order": int(curve.order),
            "cofactor": 1,
        }
    )
    explicit = keys.PublicKeyInfo(
        {
            "algorithm": {
                "algorithm": "ec",
                "parameters": keys.ECDomainParameters(name="specified", value=specified),
            },
            "public_key": info["public_key"],
        }
    )
    result: bytes = explicit.dump()
    return result


def with_explicit_key(subject: Authority, issuer: Authority) -> Authority:
    """`subject` with its certificate's key in explicit parameters, signed again by `issuer`."""
    parsed = asn1_x509.Certificate.load(subject.der)
    tbs = parsed["tbs_certificate"]
    spki = tbs["subject_public_key_info"].dump()
    tbs["subject_public_key_info"] = asn1_x509.PublicKeyInfo.load(explicit_parameters(spki))
    tbs_der = tbs.dump(force=True)
    signature = issuer.key.sign(tbs_der, ec.ECDSA(hashes.SHA256()))
    certificate = asn1_x509.Certificate(
        {
            "tbs_certificate": asn1_x509.TbsCertificate.load(tbs_der),
            "signature_algorithm": parsed["signature_algorithm"],
            "signature_value": signature,
        }
    )
    return Authority(subject.key, x509.load_der_x509_certificate(certificate.dump()))
