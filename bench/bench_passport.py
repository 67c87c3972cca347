"""Passport benchmark on the real PC/SC stack (pcscd, the vpcd driver, the virtual passport of a
test issuing state, a ~20 kB face image in DG2):

- a passport read as the counter does it: PACE with the MRZ data, EF.COM, DG1, DG2, DG15,
  EF.SOD, Active Authentication, then passive authentication against the master list;
  budget ≤ 2 s, with the APDUs and bytes it took;
- beside it, raw: the same read with the chip in this process (no PC/SC, no sockets: the
  terminal's and the chip's computation and secure messaging), passive authentication alone,
  and the same read by BAC on a chip without PACE.

    python bench/bench_passport.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography import x509  # noqa: E402

from cardreader import pace  # noqa: E402
from cardreader.mrz import AccessKey  # noqa: E402
from cardreader.passive_auth import authenticate, load_master_list  # noqa: E402
from cardreader.passport import PassportRead, read_passport, read_passport_in_reader  # noqa: E402
from sandbox import emrtd_issuer as issuer  # noqa: E402
from sandbox.pcsc import PrivatePcscd  # noqa: E402
from sandbox.virtual_card.passport import PassportChip, PassportPersonality  # noqa: E402
from sandbox.virtual_card.vpcd import VirtualCard  # noqa: E402

BUDGET_S = 2.0
MRZ = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F3112319ZE184226B<<<<<18"
KEY = AccessKey("L898902C3", "740812", "311231")


def in_process(chip: PassportChip) -> PassportRead:
    def transmit(apdu: bytes) -> tuple[bytes, int]:
        answer = chip.respond(apdu)
        return answer[:-2], int.from_bytes(answer[-2:], "big")

    chip.reset()
    return read_passport(transmit, key=KEY)


def pace_crypto(chip: PassportChip) -> float:
    """The terminal's PACE cryptography alone (mapping, key agreement, KDF, tokens)."""

    def transmit(apdu: bytes) -> tuple[bytes, int]:
        answer = chip.respond(apdu)
        return answer[:-2], int.from_bytes(answer[-2:], "big")

    chip.reset()
    card_access, _status = transmit(bytes.fromhex("00B09C0000"))
    (info,) = [i for i in pace.pace_infos(card_access) if i.supported]
    return pace.establish(transmit, info, KEY.information, kind=pace.MRZ).crypto_seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    csca = issuer.csca("UT", start=start)
    signer = issuer.issued(csca, "DS", start=start, days=4000)
    lists = issuer.issued(
        csca, "ML", start=start, days=4000, usage=x509.ObjectIdentifier(issuer.MASTER_LIST_SIGNING)
    )
    trust = load_master_list(issuer.master_list(lists, [csca], at=start))
    document = issuer.issue(
        issuer.Document(MRZ, issuer.face_jpeg(), active_authentication=issuer.aa_key()),
        signer,
        at=start,
    )
    personality = PassportPersonality(
        files=dict(document.files),
        mrz_information=KEY.information,
        active_authentication=document.active_authentication,
    )
    now = dt.datetime.now(dt.UTC)
    reads, checks = [], []
    with PrivatePcscd() as pcscd:
        reader = f"{pcscd.reader_prefix} 00 00"
        card = VirtualCard(PassportChip.of(personality))
        card.insert()
        time.sleep(1)  # pcscd sees the card within its ~400 ms poll
        for _ in range(args.rounds):
            started = time.perf_counter()
            read = read_passport_in_reader(key=KEY, reader=reader)
            verdict = authenticate(read.groups, read.sod, trust, at=now)
            reads.append(time.perf_counter() - started)
            checks.append((read, verdict))
        card.remove()
    local = PassportChip.of(personality)
    local_reads = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        in_process(local)
        local_reads.append(time.perf_counter() - started)
    sample = checks[0][0]
    passive = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        authenticate(sample.groups, sample.sod, trust, at=now)
        passive.append(time.perf_counter() - started)
    crypto = statistics.median(pace_crypto(local) for _ in range(args.rounds))
    older = PassportChip.of(PassportPersonality(**{**personality.__dict__, "pace": False}))
    bac_reads = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        in_process(older)
        bac_reads.append(time.perf_counter() - started)

    median = statistics.median(reads)
    assert all(v.genuine for _r, v in checks) and sample.clone_check.value == "passed"
    dg2 = len(sample.groups[2])
    print(f"# Passport benchmark: {args.rounds} reads on pcscd + vpcd + the virtual passport\n")
    print("| measure | median | max | budget |")
    print("|---|---:|---:|---|")
    print(
        f"| read and check (PACE-MRZ, COM, DG1, DG2 of {dg2 / 1000:.0f} kB, DG15, SOD, "
        f"AA, passive authentication) | {median * 1000:.0f} ms | {max(reads) * 1000:.0f} ms | "
        f"{'ok' if median <= BUDGET_S else 'OVER'} (≤ {BUDGET_S * 1000:.0f} ms) |"
    )
    phases = {k: statistics.median(r.timings[k] for r, _v in checks) for k in sample.timings}
    for phase, seconds in phases.items():
        print(f"| … of which {phase.replace('_', ' ')} | {seconds * 1000:.0f} ms | | raw |")
    print(
        f"| the same read, chip in this process (no PC/SC) | "
        f"{statistics.median(local_reads) * 1000:.0f} ms | | raw |"
    )
    print(f"| the terminal's PACE cryptography alone | {crypto * 1000:.1f} ms | | raw |")
    print(f"| passive authentication alone | {statistics.median(passive) * 1000:.1f} ms | | raw |")
    print(
        f"| the same read by BAC (3DES), chip in this process | "
        f"{statistics.median(bac_reads) * 1000:.0f} ms | | raw |"
    )
    print(
        f"| APDUs, bytes sent / received | {sample.apdus}, {sample.bytes_sent} / "
        f"{sample.bytes_received} | | |"
    )
    print(
        json.dumps(
            {
                "read_and_check_median_s": median,
                "phases_s": phases,
                "in_process_median_s": statistics.median(local_reads),
                "passive_authentication_s": statistics.median(passive),
                "pace_crypto_s": crypto,
                "bac_in_process_s": statistics.median(bac_reads),
                "apdus": sample.apdus,
                "bytes_sent": sample.bytes_sent,
                "bytes_received": sample.bytes_received,
                "dg2_bytes": dg2,
            }
        )
    )
    return 0 if median <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
