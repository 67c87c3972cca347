"""`buergerbuero card passport`: the chip read with the MRZ data (or the CAN), checked against
the installed master list, the verdict and the document's data as JSON; `--photo` writes the
face image for a look. Exit 0 genuine, 1 not (or the chip refused the data), 2 cannot check."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from cryptography.x509.oid import NameOID

from cardreader.check import valid_can
from cardreader.cli import refuse
from cardreader.errors import CardError, PasswordRejected
from cardreader.mrz import AccessKey, MrzError, parse
from cardreader.passive_auth import MasterListError
from cardreader.passport import NeedsMrz, read_passport_in_reader
from cardreader.passport_check import (
    PassportVerdict,
    check,
    installed_trust,
    settings_trust,
)


def passport_command(args: argparse.Namespace) -> int:
    key = None
    try:
        if args.mrz:
            key = parse(args.mrz).access_key
        elif args.document_number or args.birth or args.expiry:
            key = AccessKey.typed(args.document_number, args.birth, args.expiry)
        elif not valid_can(args.can):
            return refuse("give --document-number, --birth and --expiry, --mrz, or a 6-digit --can")
        trust, crls = installed_trust(args.master_list) if args.master_list else settings_trust()
        read = read_passport_in_reader(key=key, can=args.can, reader=args.reader)
    except MrzError as error:
        return refuse(str(error))
    except (MasterListError, OSError) as error:
        return refuse(f"master list: {error}")
    except NeedsMrz as error:
        return refuse(f"{error}")
    except PasswordRejected:
        print(json.dumps({"opened": False, "verdict": "wrong_access_data"}))
        return 1
    except CardError as error:
        return refuse(f"{type(error).__name__}: {error}")
    result = check(read, trust, at=dt.datetime.now(dt.UTC), crls=crls)
    if args.photo:
        Path(args.photo).write_bytes(read.face.data)
    mrz = read.mrz
    print(
        json.dumps(
            {
                "opened": True,
                "reader": read.reader,
                "access": read.access,
                "verdict": result.verdict.value,
                "genuine": result.verdict.genuine,
                "passive_authentication": result.passive.outcome.value if result.passive else None,
                "detail": result.detail,
                "document_signer": result.passive.signer if result.passive else "",
                "csca": result.passive.csca if result.passive else "",
                "clone_check": result.clone_check.value,
                "clone_check_method": read.clone_check_method,
                "document": {
                    "code": mrz.document_code,
                    "issuing_state": mrz.issuing_state,
                    "number": mrz.document_number,
                    "family_name": mrz.family_name,
                    "given_names": mrz.given_names,
                    "nationality": mrz.nationality,
                    "birth": mrz.birth,
                    "sex": mrz.sex,
                    "expiry": result.expires.isoformat() if result.expires else mrz.expiry,
                },
                "photo": {"format": read.face.kind, "bytes": len(read.face.data)},
                "seconds": round(read.seconds, 3),
                "apdus": read.apdus,
                "bytes_sent": read.bytes_sent,
                "bytes_received": read.bytes_received,
            }
        )
    )
    if result.verdict is PassportVerdict.NO_MASTER_LIST:
        return 2
    return 0 if result.verdict.genuine else 1


def master_list_command(path: str) -> int:
    """The master list checked as a passport check would use it: its own signature and
    signer, and what it holds (how many CSCAs, of which states, how many expired)."""
    if not path:
        from app.integrations.settings import load_settings

        path = load_settings().passport_master_list_file
    if not path:
        return refuse("no master list: set passport_master_list_file or give --file")
    try:
        trust, _crls = installed_trust(path)
    except (MasterListError, OSError) as error:
        return refuse(f"master list: {error}")
    assert trust is not None
    now = dt.datetime.now(dt.UTC)
    countries = sorted(
        {
            str(attribute.value)
            for csca in trust.cscas
            for attribute in csca.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)
        }
    )
    print(
        json.dumps(
            {
                "file": path,
                "trusted": True,
                "signer": trust.signer.subject.rfc4514_string(),
                "cscas": len(trust.cscas),
                "expired": sum(1 for c in trust.cscas if c.not_valid_after_utc < now),
                "countries": countries,
            }
        )
    )
    return 0
