"""The verdict on a passport read at the counter: passive authentication against the installed
master list, the document's expiry, the clone check, as one outcome the clerk reads and the
case records. Only "genuine" lets the identity be confirmed by the chip; every other outcome
names what failed, and an unknown or expired CSCA is never shown as genuine."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from cryptography import x509

from cardreader.clone_check import CloneCheck
from cardreader.lds import FaceImage
from cardreader.mrz import AccessKey, MrzData
from cardreader.passive_auth import (
    MasterList,
    MasterListError,
    Outcome,
    PassiveAuthentication,
    authenticate,
    load_master_list,
)
from cardreader.passport import PassportRead, read_passport_in_reader


class PassportVerdict(StrEnum):
    GENUINE = "genuine"  # passive authentication held, the chip is no copy, not expired
    GENUINE_NO_CLONE_CHECK = "genuine_no_clone_check"  # held; the chip offers no clone check
    DATA_CHANGED = "data_changed"
    NOT_VERIFIABLE = "not_verifiable"  # unknown or expired CSCA, expired or revoked signer
    SIGNATURE_INVALID = "signature_invalid"
    DOCUMENT_EXPIRED = "document_expired"
    CLONE_CHECK_FAILED = "clone_check_failed"
    NO_MASTER_LIST = "no_master_list"  # nothing to check against: the admin installs one

    @property
    def genuine(self) -> bool:
        return self in (PassportVerdict.GENUINE, PassportVerdict.GENUINE_NO_CLONE_CHECK)


NOT_VERIFIABLE = frozenset(
    {
        Outcome.UNKNOWN_CSCA,
        Outcome.CSCA_EXPIRED,
        Outcome.SIGNER_EXPIRED,
        Outcome.SIGNER_REVOKED,
    }
)


@dataclass(frozen=True, slots=True)
class PassportCheck:
    verdict: PassportVerdict
    passive: PassiveAuthentication | None
    clone_check: CloneCheck
    expires: dt.date | None
    problem: str = ""  # why there was nothing to check against (the master list's fault)

    @property
    def detail(self) -> str:
        """What failed, for the clerk's second line (the data group, the CSCA, the date)."""
        if self.passive is None:
            return self.problem
        return self.passive.detail


Access = AccessKey | str  # a passport's MRZ data, or its CAN
Crls = list[x509.CertificateRevocationList]


@dataclass(frozen=True, slots=True)
class PassportResult:
    """What the counter shows of a passport: what was read, the verdict, the photo as an
    image the window can draw (a JPEG as it is, a JPEG 2000 converted to PNG)."""

    read: PassportRead
    check: PassportCheck
    photo: bytes


def expiry_of(mrz: MrzData) -> dt.date | None:
    """The MRZ's date of expiry (YYMMDD: a document expires within this century)."""
    try:
        return dt.date(2000 + int(mrz.expiry[:2]), int(mrz.expiry[2:4]), int(mrz.expiry[4:]))
    except ValueError:
        return None


def check(
    read: PassportRead,
    trust: MasterList | None,
    *,
    at: dt.datetime,
    crls: Sequence[x509.CertificateRevocationList] = (),
    problem: str = "",
) -> PassportCheck:
    expires = expiry_of(read.mrz)
    if trust is None:
        verdict = PassportVerdict.NO_MASTER_LIST
        return PassportCheck(verdict, None, read.clone_check, expires, problem)
    passive = authenticate(read.groups, read.sod, trust, at=at, crls=crls)
    verdict = _verdict(passive, read.clone_check, expires, at.date())
    return PassportCheck(verdict, passive, read.clone_check, expires)


def _verdict(
    passive: PassiveAuthentication, clone: CloneCheck, expires: dt.date | None, today: dt.date
) -> PassportVerdict:
    if passive.outcome is Outcome.DATA_CHANGED:
        return PassportVerdict.DATA_CHANGED
    if passive.outcome in NOT_VERIFIABLE:
        return PassportVerdict.NOT_VERIFIABLE
    if passive.outcome is not Outcome.GENUINE:
        return PassportVerdict.SIGNATURE_INVALID
    if clone is CloneCheck.FAILED:
        return PassportVerdict.CLONE_CHECK_FAILED
    if expires is None or expires < today:
        return PassportVerdict.DOCUMENT_EXPIRED
    if clone is CloneCheck.NOT_OFFERED:
        return PassportVerdict.GENUINE_NO_CLONE_CHECK
    return PassportVerdict.GENUINE


def installed_trust(
    master_list: str, crl_folder: str = ""
) -> tuple[MasterList | None, list[x509.CertificateRevocationList]]:
    """The master list and CRLs the admin installed (settings); (None, []) when none is set.
    MasterListError or OSError for a file that is set but cannot be trusted or read."""
    if not master_list:
        return None, []
    trust = load_master_list(Path(master_list).read_bytes())
    crls = []
    if crl_folder:
        for path in sorted(Path(crl_folder).glob("*.crl")):
            data = path.read_bytes()
            crl = (
                x509.load_pem_x509_crl(data)
                if data.startswith(b"-----")
                else x509.load_der_x509_crl(data)
            )
            crls.append(crl)
    return trust, crls


def settings_trust() -> tuple[MasterList | None, Crls]:
    """The master list and CRLs the seat's settings name."""
    from app.integrations.settings import load_settings

    settings = load_settings()
    return installed_trust(settings.passport_master_list_file, settings.passport_crl_folder)


def read_and_check(
    reader: str,
    access: Access,
    *,
    trust: Callable[[], tuple[MasterList | None, Crls]] = settings_trust,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> PassportResult:
    """The passport in `reader` read with `access` and checked (card-reader lane)."""
    key = access if isinstance(access, AccessKey) else None
    read = read_passport_in_reader(key=key, can="" if key else str(access), reader=reader)
    try:
        trusted, crls = trust()
        problem = ""
    except (MasterListError, OSError) as error:
        trusted, crls, problem = None, [], f"master list: {error}"
    result = check(read, trusted, at=now(), crls=crls, problem=problem)
    return PassportResult(read, result, displayable(read.face))


def displayable(face: FaceImage) -> bytes:
    if face.kind == "jpeg":
        return face.data
    from PIL import Image

    out = io.BytesIO()
    with Image.open(io.BytesIO(face.data)) as image:
        image.save(out, "PNG")
    return out.getvalue()
