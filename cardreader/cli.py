"""`buergerbuero card …` for IT diagnostics, printing JSON: `readers` (each reader and whether
it holds a card), `check --can NNNNNN [--reader NAME]` (the card's kind and what it can be,
whether the chip confirmed the CAN, what it took) and `passport` (a passport or ICAO ID card
read by chip with the MRZ data or the CAN, checked against the master list: the verdict, the
document's data, what it took). Exit 0: done / CAN confirmed / genuine; 1: the chip rejected
the CAN or MRZ data, or the document is not genuine; 2: cannot check (no PC/SC service, no
reader, no card, an unknown, mute, slow, pulled or malformed-answering card, bad input, no
usable master list), `master-list [--file F]` (the installed CSCA master list checked:
exit 0 trusted, 2 not) and `eid --can N` (a German ID card read on site through AusweisApp,
where the city holds the authorisation: exit 0 read, 1 refused, 2 cannot)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from app.arguments import Commands, run_alone


def add_commands(commands: Commands) -> None:
    card = commands.add_parser(
        "card",
        help="the card reader: readers and cards (JSON), a CAN checked by the chip",
        description="the card reader",
    )
    actions = card.add_subparsers(dest="card_action", required=True)
    actions.add_parser("readers", help="the readers and their cards, as JSON")
    check = actions.add_parser("check", help="PACE with a CAN: does it belong to this card?")
    check.add_argument("--can", required=True, help="the 6 digits printed on the card")
    check.add_argument("--reader", default=None, help="default: the first reader with a card")
    passport = actions.add_parser(
        "passport", help="a passport or ICAO ID card read by chip and checked (JSON)"
    )
    passport.add_argument("--document-number", default="", help="as in the MRZ")
    passport.add_argument("--birth", default="", help="date of birth, YYMMDD")
    passport.add_argument("--expiry", default="", help="date of expiry, YYMMDD")
    passport.add_argument("--can", default="", help="or the 6-digit CAN (PACE chips only)")
    passport.add_argument("--mrz", default="", help="or the MRZ lines, as a scanner reads them")
    passport.add_argument("--master-list", default="", help="default: the setting")
    passport.add_argument("--photo", default="", help="write the chip's face image here")
    passport.add_argument("--reader", default=None, help="default: the first reader with a card")
    master_list = actions.add_parser(
        "master-list", help="the CSCA master list: its signature, signer and CSCAs (JSON)"
    )
    master_list.add_argument("--file", default="", help="default: the setting")
    eid = actions.add_parser(
        "eid", help="on-site reading of a German ID card through AusweisApp (JSON)"
    )
    eid.add_argument("--can", required=True, help="the 6 digits printed on the card")
    eid.add_argument("--tc-token-url", default="", help="default: the setting eid_tc_token_url")
    eid.add_argument("--ausweisapp", default="", help="default: the setting ausweisapp_url")
    card.set_defaults(handler=run)


def main(argv: Sequence[str] | None = None) -> int:
    return run_alone("card", add_commands, sys.argv[1:] if argv is None else argv)


def run(args: argparse.Namespace) -> int:
    from cardreader.check import COULD_BE, check_can, valid_can  # pyscard: only here
    from cardreader.errors import CardError
    from cardreader.pcsc import readers

    if args.card_action == "eid":
        from cardreader.eid_cli import eid_command

        return eid_command(args)
    if args.card_action in ("passport", "master-list"):
        from cardreader.passport_cli import master_list_command, passport_command

        if args.card_action == "master-list":
            return master_list_command(args.file)
        return passport_command(args)
    try:
        if args.card_action == "readers":
            states = readers()
            print(
                json.dumps(
                    [
                        {"reader": s.name, "card": s.card_present, "atr": s.atr.hex().upper()}
                        for s in states
                    ]
                )
            )
            return 0
        if not valid_can(args.can):
            return refuse("the CAN has 6 digits")
        result = check_can(args.can, reader=args.reader)
    except CardError as error:
        return refuse(f"{type(error).__name__}: {error}")
    print(
        json.dumps(
            {
                "reader": result.reader,
                "card": result.card,
                "could_be": list(COULD_BE[result.card]),
                "can_confirmed": result.confirmed,
                "seconds": round(result.seconds, 3),
                "crypto_seconds": round(result.crypto_seconds, 3),
                "apdus": result.apdus,
                "bytes_sent": result.bytes_sent,
                "bytes_received": result.bytes_received,
            }
        )
    )
    return 0 if result.confirmed else 1


def refuse(text: str) -> int:
    """Cannot check: the reason as JSON and as one line on stderr; exit code 2."""
    print(json.dumps({"error": text}))
    print(f"buergerbuero card: {text}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
