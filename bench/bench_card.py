"""Card reader benchmark on the real PC/SC stack (pcscd, the vpcd driver, the virtual ID card):

- card inserted → the reader watch reports it (what updates the dialog), budget ≤ 0.5 s beside
  pcscd's own polling of the reader (it polls vpcd about every 400 ms);
- PACE with the CAN end to end (EF.CardAccess, MSE:Set AT, four GENERAL AUTHENTICATE),
  budget ≤ 1 s, beside the terminal's cryptography alone and the APDUs and bytes it took;
- `buergerbuero card check` as IT runs it (a new process: the interpreter, the command's own
  imports, PC/SC, PACE), budget ≤ 0.6 s, beside the PACE inside it and a bare interpreter.

    python bench/bench_card.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cardreader.check import check_can  # noqa: E402
from cardreader.watch import CARD_INSERTED, CARD_REMOVED, ReaderEvent, ReaderWatch  # noqa: E402
from sandbox.pcsc import PrivatePcscd  # noqa: E402
from sandbox.virtual_card.chip import Chip, Personality  # noqa: E402
from sandbox.virtual_card.vpcd import VirtualCard  # noqa: E402

CAN = "482913"
INSERT_BUDGET_S, PACE_BUDGET_S, COMMAND_BUDGET_S = 0.5, 1.0, 0.6
COMMAND = [str(Path(sys.executable).parent / "buergerbuero"), "card", "check", "--can", CAN]


def run_command(reader: str) -> tuple[float, float]:
    """`buergerbuero card check` in a new process: its wall time and the PACE it reports."""
    started = time.perf_counter()
    done = subprocess.run(
        [*COMMAND, "--reader", reader], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - started
    return wall, float(json.loads(done.stdout)["seconds"])


def bare_interpreter() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - started


def wait_for(watch: ReaderWatch, wanted: ReaderEvent) -> None:
    deadline = time.monotonic() + 10
    while wanted not in watch.poll(100):
        if time.monotonic() > deadline:
            raise TimeoutError(wanted)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with PrivatePcscd() as pcscd:
        reader = f"{pcscd.reader_prefix} 00 00"
        watch = ReaderWatch()
        watch.poll(100)
        card = VirtualCard(Chip(Personality(can=CAN)))
        inserts = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            card.insert()
            wait_for(watch, ReaderEvent(CARD_INSERTED, reader))
            inserts.append(time.perf_counter() - started)
            card.remove()
            wait_for(watch, ReaderEvent(CARD_REMOVED, reader))
        card.insert()
        wait_for(watch, ReaderEvent(CARD_INSERTED, reader))
        checks = [check_can(CAN, reader=reader) for _ in range(args.rounds)]
        commands = [run_command(reader) for _ in range(max(5, args.rounds // 4))]
        bare = statistics.median(bare_interpreter() for _ in range(5))
        card.remove()
        watch.close()
    insert_median = statistics.median(inserts)
    pace_median = statistics.median(c.seconds for c in checks)
    crypto_median = statistics.median(c.crypto_seconds for c in checks)
    sample = checks[0]
    print(f"# Card reader benchmark: {args.rounds} rounds on pcscd + vpcd + the virtual card\n")
    print("| measure | median | max | budget |")
    print("|---|---:|---:|---|")
    print(
        f"| card inserted → watch event | {insert_median * 1000:.0f} ms | "
        f"{max(inserts) * 1000:.0f} ms | {'ok' if insert_median <= INSERT_BUDGET_S else 'OVER'}"
        f" (≤ {INSERT_BUDGET_S * 1000:.0f} ms; pcscd polls vpcd every ~400 ms) |"
    )
    print(
        f"| PACE with the CAN, end to end | {pace_median * 1000:.0f} ms | "
        f"{max(c.seconds for c in checks) * 1000:.0f} ms | "
        f"{'ok' if pace_median <= PACE_BUDGET_S else 'OVER'} (≤ {PACE_BUDGET_S * 1000:.0f} ms) |"
    )
    print(f"| the terminal's PACE cryptography alone | {crypto_median * 1000:.1f} ms | | raw |")
    command_median = statistics.median(wall for wall, _pace in commands)
    inside = statistics.median(pace for _wall, pace in commands)
    print(
        f"| `buergerbuero card check`, a new process | {command_median * 1000:.0f} ms | "
        f"{max(wall for wall, _pace in commands) * 1000:.0f} ms | "
        f"{'ok' if command_median <= COMMAND_BUDGET_S else 'OVER'}"
        f" (≤ {COMMAND_BUDGET_S * 1000:.0f} ms) |"
    )
    print(f"| … of which its PACE | {inside * 1000:.0f} ms | | raw |")
    print(f"| a bare Python interpreter, started and ended | {bare * 1000:.0f} ms | | raw |")
    print(
        f"| APDUs, bytes sent / received | {sample.apdus}, {sample.bytes_sent} / "
        f"{sample.bytes_received} | | |"
    )
    print(
        json.dumps(
            {
                "insert_median_s": insert_median,
                "pace_median_s": pace_median,
                "crypto_median_s": crypto_median,
                "apdus": sample.apdus,
                "command_median_s": command_median,
                "command_pace_median_s": inside,
                "bare_interpreter_s": bare,
            }
        )
    )
    within = (
        insert_median <= INSERT_BUDGET_S
        and pace_median <= PACE_BUDGET_S
        and command_median <= COMMAND_BUDGET_S
    )
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
