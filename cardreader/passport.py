"""Reading a passport or an ICAO 9303 ID card at the counter: open the chip with PACE (the MRZ
data or the CAN the clerk typed) where EF.CardAccess offers it, else with BAC (the MRZ data);
read EF.COM, DG1, DG2, EF.SOD and, where listed, DG14 and DG15; run the clone check: Chip
Authentication where DG14 offers it, else Active Authentication where DG15 does. Passive
authentication needs the master list and is the caller's (`cardreader.passive_auth.authenticate`
on `PassportRead.groups`)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from cardreader import bac, chip_auth, lds, pace
from cardreader.check import READ_CARD_ACCESS
from cardreader.clone_check import CloneCheck, aa_hash, active_authentication
from cardreader.errors import CardProtocolError, UnknownCard
from cardreader.mrz import AccessKey, MrzData
from cardreader.pcsc import Connection, with_card
from cardreader.secure_messaging import AesSuite, SecureChannel


class NeedsMrz(UnknownCard):
    """The chip offers BAC only (no PACE): the CAN cannot open it; the MRZ data can."""


@dataclass(frozen=True, slots=True)
class PassportRead:
    access: str  # pace-mrz | pace-can | bac
    mrz: MrzData
    face: lds.FaceImage
    groups: dict[int, bytes]  # the data groups as read (for passive authentication)
    sod: bytes
    clone_check: CloneCheck
    clone_check_method: str = ""  # chip_authentication | active_authentication
    reader: str = ""
    apdus: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def _pace_info(transmit: pace.Transmit) -> pace.PaceInfo | None:
    data, status = transmit(READ_CARD_ACCESS)
    if status not in (0x9000, 0x6282) or not data:
        return None  # no EF.CardAccess: a passport with BAC only
    supported = [info for info in pace.pace_infos(data) if info.supported]
    return supported[0] if supported else None


def _open(transmit: pace.Transmit, key: AccessKey | None, can: str) -> tuple[str, SecureChannel]:
    """The secure channel, by PACE where the chip offers it, else BAC; the CAN alone cannot
    open a chip without PACE."""
    info = _pace_info(transmit)
    if info is not None:
        if key is not None:
            result = pace.establish(transmit, info, key.information, kind=pace.MRZ)
            access = "pace-mrz"
        else:
            result = pace.establish(transmit, info, can, kind=pace.CAN)
            access = "pace-can"
        channel = SecureChannel(AesSuite(result.k_enc, result.k_mac))
        _data, status = lds.secured(transmit, channel)(lds.SELECT_EMRTD)
        if status != pace.OK:
            raise UnknownCard(f"no eMRTD application ({status:04X})")
        return access, channel
    if key is None:
        raise NeedsMrz("the chip offers BAC only: document number, birth and expiry needed")
    _data, status = transmit(lds.SELECT_EMRTD)
    if status != pace.OK:
        raise UnknownCard(f"no eMRTD application ({status:04X})")
    return "bac", bac.establish(transmit, key)


def read_passport(
    transmit: pace.Transmit, *, key: AccessKey | None = None, can: str = ""
) -> PassportRead:
    """Everything the counter reads from the chip, over `transmit` (PasswordRejected when the
    data typed do not open it; CardProtocolError for a chip that breaks the protocol)."""
    counted = pace.Counted(transmit)
    started = time.perf_counter()
    access, channel = _open(counted, key, can)
    opened = time.perf_counter()
    secure = lds.secured(counted, channel)
    listed = lds.data_groups_listed(lds.read_file(secure, lds.LdsFile.COM))
    groups: dict[int, bytes] = {
        n: lds.read_file(secure, lds.LdsFile(n)) for n in (1, 2) if n in listed
    }
    for optional in (14, 15):
        if optional in listed:
            groups[optional] = lds.read_file(secure, lds.LdsFile(optional))
    if 1 not in groups or 2 not in groups:
        raise CardProtocolError("the chip lists no DG1 or DG2")
    sod = lds.read_file(secure, lds.LdsFile.SOD)
    read = time.perf_counter()
    chip_key = chip_auth.offered(groups[14]) if 14 in groups else None
    if chip_key is not None:  # the stronger check where offered: it renews the channel too
        method = "chip_authentication"
        check, channel = chip_auth.chip_authentication(counted, channel, chip_key)
    elif 15 in groups:
        method = "active_authentication"
        check = active_authentication(secure, groups[15], hash_name=aa_hash(groups.get(14)))
    else:
        method, check = "", CloneCheck.NOT_OFFERED
    done = time.perf_counter()
    return PassportRead(
        access=access,
        mrz=lds.mrz_of(groups[1]),
        face=lds.face_of(groups[2]),
        groups=groups,
        sod=sod,
        clone_check=check,
        clone_check_method=method,
        apdus=counted.apdus,
        bytes_sent=counted.sent,
        bytes_received=counted.received,
        seconds=done - started,
        timings={"open": opened - started, "read": read - opened, "clone_check": done - read},
    )


def read_passport_in_reader(
    *, key: AccessKey | None = None, can: str = "", reader: str | None = None
) -> PassportRead:
    """`read_passport` on the card in `reader` (default: the first reader with a card)."""

    def read(connection: Connection) -> PassportRead:
        result = read_passport(connection.transmit, key=key, can=can)
        return replace(result, reader=connection.reader)

    return with_card(read, reader=reader)
