"""Intake benchmark: pull, decrypt, validate and store N submissions with a 200 kB attachment
each from the sandbox over real HTTP, end to end; beside it, in the same run, the protocol's
cryptographic floor: what a submission costs in nothing but its cryptography (three RSA-4096
OAEP unwraps, one PS512 signature, the AES-256-GCM decryption and SHA-512 of the same bytes),
straight through OpenSSL via `cryptography`, no Python around it.

Budget (machine-independent): the intake's CPU per submission at most 1.5 x that floor. A
second, profiled pass (yappi, CPU clock, all threads) splits the intake's CPU into the floor's
part, JOSE/JSON/base64 handling, schema checks, HTTP, database and the rest.

    python bench/bench_intake.py [--count 1000] [--attachment-size 200000] [--profile 200]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding, rsa  # noqa: E402

from app.domain.users import DEFAULT_OFFICES  # noqa: E402
from app.integrations.secrets import KeyringSecretStore  # noqa: E402
from app.integrations.settings import Settings  # noqa: E402
from app.store.database import upgrade  # noqa: E402
from app.wiring import CLIENT_SECRET, build_core, build_intake  # noqa: E402
from sandbox.fitconnect.process import SandboxProcess  # noqa: E402
from sandbox.fitconnect.sender import Sender  # noqa: E402
from tests.conftest import MemoryKeyring  # noqa: E402
from tests.integrations.conftest import intake_settings  # noqa: E402

RATIO_BUDGET = 1.5
# where the intake's CPU goes, by the module a function lives in (first match wins)
CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cryptography (OpenSSL)", ("cryptography", "_rust", "hazmat")),
    ("JOSE, JSON, base64", ("jwcrypto", "json", "base64", "binascii", "zlib")),
    ("schema checks", ("jsonschema", "referencing", "rpds", "fastjsonschema")),
    ("HTTP", ("requests", "urllib3", "http/", "socket", "ssl", "email/", "idna", "chardet")),
    ("database", ("sqlalchemy", "sqlite3", "psycopg", "alembic")),
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--attachment-size", type=int, default=200_000)
    parser.add_argument("--profile", type=int, default=200, help="submissions profiled after")
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    work = Path(tempfile.mkdtemp(prefix="bb-bench-intake-"))
    with SandboxProcess(work / "sandbox") as portal:
        d = portal.description
        started = time.perf_counter()

        def send(index: int) -> str:
            sender = Sender(
                portal.base_url,
                d["destination_id"],
                d["sender_client_id"],
                d["sender_client_secret"],
                seed=index,
            )
            return sender.submit("meldebescheinigung_einfach", attachment_size=args.attachment_size)

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(send, range(args.count)))
        print(
            f"# Intake benchmark ({os.cpu_count()} cores): {args.count} submissions, "
            f"{args.attachment_size // 1000} kB attachment each "
            f"(sent in {time.perf_counter() - started:.0f} s)"
        )

        core = build_core(intake_settings_for(work, portal))
        upgrade(core.database.engine)
        for code, name in DEFAULT_OFFICES:
            core.users.save_office(code, name, actor="setup", at=core.clock.now())
        core.settings = intake_settings(core, portal)
        KeyringSecretStore().set(CLIENT_SECRET, d["subscriber_client_secret"])
        intake = build_intake(core, holder="bench")
        intake.workers = int(os.environ.get("BENCH_INTAKE_WORKERS", intake.workers))

        sample = intake.source.client.submission(next(intake.source.pending()).submission_id)  # type: ignore[attr-defined]
        attachment = intake.source.client.attachment(
            sample["submissionId"], sample["attachments"][0]
        )  # type: ignore[attr-defined]
        floor_ms = crypto_floor_ms(
            [sample["encryptedMetadata"], sample["encryptedData"], attachment],
            key=intake.source.decryption.keys[0].key,  # type: ignore[attr-defined]
        )

        assert portal.process is not None
        sandbox_cpu_before = process_cpu_seconds(portal.process.pid)
        own_cpu_before = time.process_time()
        started = time.perf_counter()
        result = intake.run_once()
        elapsed = time.perf_counter() - started
        own_cpu = time.process_time() - own_cpu_before
        sandbox_cpu = process_cpu_seconds(portal.process.pid) - sandbox_cpu_before
        rate = result.received / elapsed
        intake_ms = own_cpu / result.received * 1000
        ratio = intake_ms / floor_ms
        print()
        print("| measure | per submission | budget |")
        print("|---|---:|---|")
        print(
            "| cryptographic floor: 3 RSA-4096 OAEP unwraps + 1 PS512 signature + AES-256-GCM "
            f"+ SHA-512 of the same bytes, OpenSSL only | {floor_ms:.1f} ms CPU | |"
        )
        print(
            f"| intake, end to end (list, download, decrypt, check, store, signed accept) "
            f"| {intake_ms:.1f} ms CPU | |"
        )
        print(
            f"| **intake CPU / floor** | **{ratio:.2f} x** | "
            f"{'ok' if ratio <= RATIO_BUDGET else 'OVER'} (<= {RATIO_BUDGET} x) |"
        )
        portal_ms = sandbox_cpu / result.received * 1000
        print(f"| portal stand-in beside it (same cores) | {portal_ms:.1f} ms CPU | |")
        print(f"| end-to-end throughput | {rate:.1f} submissions/s | (for comparison) |")
        print(f"\n{result.received} received, {result.quarantined} quarantined in {elapsed:.1f} s")
        print(
            f"CPU while pulling: intake {own_cpu:.1f} s, portal {sandbox_cpu:.1f} s, wall "
            f"{elapsed:.1f} s on {os.cpu_count()} cores "
            f"({(own_cpu + sandbox_cpu) / (elapsed * (os.cpu_count() or 1)):.0%} of the machine)"
        )
        split = {}
        if args.profile:
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(send, range(args.count, args.count + args.profile)))
            split = profiled_split(intake)
            total = sum(split.values())
            print("\nWhere the intake's CPU goes (profiled pass, yappi CPU clock, all threads):")
            print("| part | share | ms per submission |")
            print("|---|---:|---:|")
            for name, seconds in sorted(split.items(), key=lambda item: -item[1]):
                print(f"| {name} | {seconds / total:.0%} | {seconds / args.profile * 1000:.1f} |")
        print(
            json.dumps(
                {
                    "floor_ms": floor_ms,
                    "intake_ms": intake_ms,
                    "ratio": ratio,
                    "portal_ms": portal_ms,
                    "end_to_end_per_s": rate,
                    "split_s": split,
                }
            )
        )
        core.close()
        return 0 if ratio <= RATIO_BUDGET else 1


def crypto_floor_ms(compacts: list[str], *, key: object, rounds: int = 40) -> float:
    """CPU milliseconds of a submission's cryptography alone, one thread: for each of its JWEs
    the RSA-OAEP-256 unwrap, the AES-256-GCM decryption and the SHA-512 of the plaintext, plus
    the PS512 signature of the answer; OpenSSL through `cryptography`, the inputs prepared."""
    import base64
    import hashlib

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    def unb64(text: str) -> bytes:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    private = load_pem_private_key(key.export_to_pem(private_key=True, password=None), None)  # type: ignore[attr-defined]
    assert isinstance(private, rsa.RSAPrivateKey)
    oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA512()), salt_length=64)
    parts = []
    for compact in compacts:
        protected, wrapped, iv, ciphertext, tag = compact.split(".")
        parts.append(
            (unb64(wrapped), unb64(iv), unb64(ciphertext) + unb64(tag), protected.encode())
        )
    started = time.process_time()
    for _ in range(rounds):
        for wrapped, iv, sealed, aad in parts:
            cek = private.decrypt(wrapped, oaep)
            plaintext = AESGCM(cek).decrypt(iv, sealed, aad)
            hashlib.sha512(plaintext).digest()
        private.sign(b"set", pss, hashes.SHA512())
    return (time.process_time() - started) / rounds * 1000


def profiled_split(intake: object) -> dict[str, float]:
    import yappi

    yappi.set_clock_type("cpu")
    yappi.start(builtins=True, profile_threads=True)
    try:
        intake.run_once()  # type: ignore[attr-defined]
    finally:
        yappi.stop()
    split: dict[str, float] = {name: 0.0 for name, _ in CATEGORIES}
    split["everything else (our code, threads, stdlib)"] = 0.0
    for stat in yappi.get_func_stats():
        where = f"{stat.module} {stat.name}"
        name = next(
            (category for category, marks in CATEGORIES if any(m in where for m in marks)),
            "everything else (our code, threads, stdlib)",
        )
        split[name] += stat.tsub
    if os.environ.get("BENCH_PROFILE_TOP"):
        top = sorted(yappi.get_func_stats(), key=lambda stat: -stat.tsub)
        for stat in top[: int(os.environ["BENCH_PROFILE_TOP"])]:
            print(f"{stat.tsub:8.3f} s  {stat.ncall:7d}  {stat.module}:{stat.name}")
    yappi.clear_stats()
    return split


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of another process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def intake_settings_for(work: Path, portal: SandboxProcess) -> Settings:
    return Settings(database_url=f"sqlite:///{work / 'desk.sqlite3'}")


if __name__ == "__main__":
    sys.exit(main())
