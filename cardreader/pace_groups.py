"""The two kinds of groups PACE's generic mapping works in (ICAO Doc 9303 Part 11 §4.4.3.3.1,
BSI TR-03110 Part 3 A.2.1): elliptic curves (ECDH) and prime-order subgroups of Z*p (DH), behind
one interface: a public key from a private one, the mapped generator from the nonce and the
mapping's shared secret, the key agreement's shared secret, and the public key as PACE sends
it (the tag of its data object in the authentication token: 86 for a point, 84 for a number).

The DH groups are the standardized domain parameters 0 to 2 of TR-03110 Part 3 A.2.1.1: the
MODP groups with prime-order subgroups of RFC 5114 §2.1 to 2.3."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ecdsa import VerifyingKey, curves, ellipticcurve
from ecdsa.errors import MalformedPointError

from cardreader.errors import CardProtocolError


def _number(text: str) -> int:
    return int("".join(text.split()), 16)


# RFC 5114 §2.1: 1024-bit MODP group with 160-bit prime order subgroup
RFC5114_1024_160 = (
    _number(
        """B10B8F96 A080E01D DE92DE5E AE5D54EC 52C99FBC FB06A3C6 9A6A9DCA 52D23B61 6073E286
        75A23D18 9838EF1E 2EE652C0 13ECB4AE A9061123 24975C3C D49B83BF ACCBDD7D 90C4BD70
        98488E9C 219A7372 4EFFD6FA E5644738 FAA31A4F F55BCCC0 A151AF5F 0DC8B4BD 45BF37DF
        365C1A65 E68CFDA7 6D4DA708 DF1FB2BC 2E4A4371"""
    ),
    _number(
        """A4D1CBD5 C3FD3412 6765A442 EFB99905 F8104DD2 58AC507F D6406CFF 14266D31 266FEA1E
        5C41564B 777E690F 5504F213 160217B4 B01B886A 5E91547F 9E2749F4 D7FBD7D3 B9A92EE1
        909D0D22 63F80A76 A6A24C08 7A091F53 1DBF0A01 69B6A28A D662A4D1 8E73AFA3 2D779D59
        18D08BC8 858F4DCE F97C2A24 855E6EEB 22B3B2E5"""
    ),
    _number("F518AA87 81A8DF27 8ABA4E7D 64B7CB9D 49462353"),
)


# RFC 5114 §2.2: 2048-bit MODP group with 224-bit prime order subgroup
RFC5114_2048_224 = (
    _number(
        """AD107E1E 9123A9D0 D660FAA7 9559C51F A20D64E5 683B9FD1 B54B1597 B61D0A75 E6FA141D
        F95A56DB AF9A3C40 7BA1DF15 EB3D688A 309C180E 1DE6B85A 1274A0A6 6D3F8152 AD6AC212
        9037C9ED EFDA4DF8 D91E8FEF 55B7394B 7AD5B7D0 B6C12207 C9F98D11 ED34DBF6 C6BA0B2C
        8BBC27BE 6A00E0A0 B9C49708 B3BF8A31 70918836 81286130 BC8985DB 1602E714 415D9330
        278273C7 DE31EFDC 7310F712 1FD5A074 15987D9A DC0A486D CDF93ACC 44328387 315D75E1
        98C641A4 80CD86A1 B9E587E8 BE60E69C C928B2B9 C52172E4 13042E9B 23F10B0E 16E79763
        C9B53DCF 4BA80A29 E3FB73C1 6B8E75B9 7EF363E2 FFA31F71 CF9DE538 4E71B81C 0AC4DFFE
        0C10E64F"""
    ),
    _number(
        """AC4032EF 4F2D9AE3 9DF30B5C 8FFDAC50 6CDEBE7B 89998CAF 74866A08 CFE4FFE3 A6824A4E
        10B9A6F0 DD921F01 A70C4AFA AB739D77 00C29F52 C57DB17C 620A8652 BE5E9001 A8D66AD7
        C1766910 1999024A F4D02727 5AC1348B B8A762D0 521BC98A E2471504 22EA1ED4 09939D54
        DA7460CD B5F6C6B2 50717CBE F180EB34 118E98D1 19529A45 D6F83456 6E3025E3 16A330EF
        BB77A86F 0C1AB15B 051AE3D4 28C8F8AC B70A8137 150B8EEB 10E183ED D19963DD D9E263E4
        770589EF 6AA21E7F 5F2FF381 B539CCE3 409D13CD 566AFBB4 8D6C0191 81E1BCFE 94B30269
        EDFE72FE 9B6AA4BD 7B5A0F1C 71CFFF4C 19C418E1 F6EC0179 81BC087F 2A7065B3 84B890D3
        191F2BFA"""
    ),
    _number("801C0D34 C58D93FE 99717710 1F80535A 4738CEBC BF389A99 B36371EB"),
)
# RFC 5114 §2.3: 2048-bit MODP group with 256-bit prime order subgroup
RFC5114_2048_256 = (
    _number(
        """87A8E61D B4B6663C FFBBD19C 65195999 8CEEF608 660DD0F2 5D2CEED4 435E3B00 E00DF8F1
        D61957D4 FAF7DF45 61B2AA30 16C3D911 34096FAA 3BF4296D 830E9A7C 209E0C64 97517ABD
        5A8A9D30 6BCF67ED 91F9E672 5B4758C0 22E0B1EF 4275BF7B 6C5BFC11 D45F9088 B941F54E
        B1E59BB8 BC39A0BF 12307F5C 4FDB70C5 81B23F76 B63ACAE1 CAA6B790 2D525267 35488A0E
        F13C6D9A 51BFA4AB 3AD83477 96524D8E F6A167B5 A41825D9 67E144E5 14056425 1CCACB83
        E6B486F6 B3CA3F79 71506026 C0B857F6 89962856 DED4010A BD0BE621 C3A3960A 54E710C3
        75F26375 D7014103 A4B54330 C198AF12 6116D227 6E11715F 693877FA D7EF09CA DB094AE9
        1E1A1597"""
    ),
    _number(
        """3FB32C9B 73134D0B 2E775066 60EDBD48 4CA7B18F 21EF2054 07F4793A 1A0BA125 10DBC150
        77BE463F FF4FED4A AC0BB555 BE3A6C1B 0C6B47B1 BC3773BF 7E8C6F62 901228F8 C28CBB18
        A55AE313 41000A65 0196F931 C77A57F2 DDF463E5 E9EC144B 777DE62A AAB8A862 8AC376D2
        82D6ED38 64E67982 428EBC83 1D14348F 6F2F9193 B5045AF2 767164E1 DFC967C1 FB3F2E55
        A4BD1BFF E83B9C80 D052B985 D182EA0A DB2A3B73 13D3FE14 C8484B1E 052588B9 B7D2BBD2
        DF016199 ECD06E15 57CD0915 B3353BBB 64E0EC37 7FD02837 0DF92B52 C7891428 CDC67EB6
        184B523D 1DB246C3 2F630784 90F00EF8 D647D148 D4795451 5E2327CF EF98C582 664B4C0F
        6CC41659"""
    ),
    _number("8CF83642 A709A097 B4479976 40129DA2 99B1A47D 1EB3750B A308B0FE 64F5FBD3"),
)


def field_bytes(curve: curves.Curve) -> int:
    return (int(curve.curve.p()).bit_length() + 7) // 8


def encode_point(point: ellipticcurve.PointJacobi, curve: curves.Curve) -> bytes:
    """04 X Y, each coordinate as long as the field (TR-03110 Part 3 D.3.3)."""
    size = field_bytes(curve)
    return b"\x04" + int(point.x()).to_bytes(size, "big") + int(point.y()).to_bytes(size, "big")


def decode_point(data: bytes, curve: curves.Curve) -> ellipticcurve.PointJacobi:
    """An uncompressed point the card sent (04 X Y, TR-03110 Part 3 D.3.3), refused unless it
    lies on the curve; the raw and compressed forms a lenient decoder would take are refused."""
    if len(data) != 1 + 2 * field_bytes(curve) or data[0] != 0x04:
        raise CardProtocolError(f"the card sent a point of {len(data)} bytes, not 04 X Y")
    try:
        return VerifyingKey.from_string(data, curve=curve).pubkey.point
    except (MalformedPointError, ValueError, AssertionError) as error:
        raise CardProtocolError("the card sent a point that is not on the curve") from error


class Group(Protocol):
    @property
    def order(self) -> int: ...

    @property
    def public_tag(self) -> int:
        """The tag of the public key's data object in the authentication token."""
        ...

    def public(self, private: int) -> bytes: ...

    def mapped(self, nonce: int, chip_map_public: bytes, map_key: int) -> Group: ...

    def agree(self, other_public: bytes, private: int) -> bytes: ...


@dataclass(frozen=True)
class DhGroup:
    p: int
    g: int
    order: int  # q
    public_tag: int = 0x04

    @property
    def size(self) -> int:
        return (self.p.bit_length() + 7) // 8

    def public(self, private: int) -> bytes:
        return pow(self.g, private, self.p).to_bytes(self.size, "big")

    def _element(self, data: bytes) -> int:
        """A public value the chip sent: 1 < y < p-1 and in the subgroup of order q."""
        y = int.from_bytes(data, "big")
        if len(data) != self.size or not 1 < y < self.p - 1 or pow(y, self.order, self.p) != 1:
            raise CardProtocolError("the card sent a number outside the DH group")
        return y

    def mapped(self, nonce: int, chip_map_public: bytes, map_key: int) -> DhGroup:
        """g' = g^s · h mod p, h the mapping's shared secret (9303-11 §4.4.3.3.1)."""
        h = pow(self._element(chip_map_public), map_key, self.p)
        if h == 1:
            raise CardProtocolError("mapping: the shared secret is 1")
        return DhGroup(self.p, pow(self.g, nonce, self.p) * h % self.p, self.order)

    def agree(self, other_public: bytes, private: int) -> bytes:
        return pow(self._element(other_public), private, self.p).to_bytes(self.size, "big")


@dataclass(frozen=True)
class EcGroup:
    curve: curves.Curve
    generator: ellipticcurve.PointJacobi
    public_tag: int = 0x06

    @property
    def order(self) -> int:
        return int(self.curve.order)

    def public(self, private: int) -> bytes:
        return encode_point(self.generator * private, self.curve)

    def mapped(self, nonce: int, chip_map_public: bytes, map_key: int) -> EcGroup:
        """G' = s·G + H, H the mapping's shared point (9303-11 §4.4.3.3.1)."""
        shared = decode_point(chip_map_public, self.curve) * map_key
        if shared == ellipticcurve.INFINITY:
            raise CardProtocolError("mapping: the shared point is the point at infinity")
        return EcGroup(self.curve, self.curve.generator * nonce + shared)

    def agree(self, other_public: bytes, private: int) -> bytes:
        """The x-coordinate of the shared point (TR-03110 Part 3 A.2.2)."""
        shared = decode_point(other_public, self.curve) * private
        return int(shared.x()).to_bytes(field_bytes(self.curve), "big")
