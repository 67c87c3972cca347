"""Intake benchmark: pull, decrypt, validate and store N submissions with a 200 kB attachment
each from the sandbox over real HTTP, end to end; beside it, in the same run, the raw limits:
JWE decryption alone (jwcrypto, one thread) and the protocol's RSA floor (the four RSA-4096
private-key operations every submission needs, three unwraps and one PS512 signature, on all
cores at once, straight through OpenSSL). Budget: >= 100 submissions/s on 2 cores.

    python bench/bench_intake.py [--count 1000] [--attachment-size 200000]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding, rsa  # noqa: E402
from jwcrypto import jwe  # noqa: E402

from app.domain.users import DEFAULT_OFFICES  # noqa: E402
from app.integrations.secrets import KeyringSecretStore  # noqa: E402
from app.integrations.settings import Settings  # noqa: E402
from app.store.database import upgrade  # noqa: E402
from app.wiring import CLIENT_SECRET, build_core, build_intake  # noqa: E402
from sandbox.fitconnect.process import SandboxProcess  # noqa: E402
from sandbox.fitconnect.sender import Sender  # noqa: E402
from tests.conftest import MemoryKeyring  # noqa: E402
from tests.integrations.conftest import intake_settings  # noqa: E402

BUDGET_PER_SECOND = 100.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--attachment-size", type=int, default=200_000)
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
            core.users.save_office(code, name)
        core.settings = intake_settings(core, portal)
        KeyringSecretStore().set(CLIENT_SECRET, d["subscriber_client_secret"])
        intake = build_intake(core, holder="bench")
        intake.workers = int(os.environ.get("BENCH_INTAKE_WORKERS", intake.workers))

        # the raw limit: decrypting the same kind of JWEs, nothing else
        sample = intake.source.client.submission(next(intake.source.pending()).submission_id)  # type: ignore[attr-defined]
        attachment = intake.source.client.attachment(
            sample["submissionId"], sample["attachments"][0]
        )  # type: ignore[attr-defined]
        key = intake.source.decryption.key  # type: ignore[attr-defined]
        rounds = 100
        started = time.perf_counter()
        for _ in range(rounds):
            for compact in (sample["encryptedMetadata"], sample["encryptedData"], attachment):
                token = jwe.JWE(algs=["RSA-OAEP-256", "A256GCM"])
                token.deserialize(compact, key=key)
        decrypt_rate = rounds / (time.perf_counter() - started)
        floor_rate = rsa_floor_per_second()

        assert portal.process is not None
        sandbox_cpu_before = process_cpu_seconds(portal.process.pid)
        own_cpu_before = time.process_time()
        started = time.perf_counter()
        result = intake.run_once()
        elapsed = time.perf_counter() - started
        own_cpu = time.process_time() - own_cpu_before
        sandbox_cpu = process_cpu_seconds(portal.process.pid) - sandbox_cpu_before
        rate = result.received / elapsed
        print()
        print("| measure | submissions/s | budget |")
        print("|---|---:|---|")
        print(
            f"| end to end (list, download, decrypt, check, store, signed accept) | {rate:.1f} | "
            f"{'ok' if rate >= BUDGET_PER_SECOND else 'UNDER'} (>= {BUDGET_PER_SECOND:.0f}) |"
        )
        print(
            "| JWE decryption alone (3 JWEs, RSA-OAEP-256 4096 + A256GCM) "
            f"| {decrypt_rate:.1f} | raw limit, 1 thread |"
        )
        print(
            "| RSA-4096 alone: 3 OAEP unwraps + 1 PS512 signature, all cores, no Python around it "
            f"| {floor_rate:.1f} | the protocol's ceiling on this machine |"
        )
        print(f"\n{result.received} received, {result.quarantined} quarantined in {elapsed:.1f} s")
        print(
            f"CPU while pulling: intake {own_cpu:.1f} s, sandbox portal {sandbox_cpu:.1f} s, "
            f"wall {elapsed:.1f} s on {os.cpu_count()} cores "
            f"({(own_cpu + sandbox_cpu) / (elapsed * (os.cpu_count() or 1)):.0%} of the machine); "
            f"per submission: intake {own_cpu / result.received * 1000:.1f} ms, "
            f"portal {sandbox_cpu / result.received * 1000:.1f} ms"
        )
        print(
            json.dumps(
                {
                    "end_to_end_per_s": rate,
                    "decrypt_only_per_s": decrypt_rate,
                    "rsa_floor_per_s": floor_rate,
                }
            )
        )
        core.close()
        return 0 if rate >= BUDGET_PER_SECOND else 1


def rsa_floor_per_second(seconds: float = 5.0) -> float:
    """Submissions per second if a submission cost nothing but its RSA-4096 private-key
    operations, every core busy with them (one process per core: no interpreter lock)."""
    cores = os.cpu_count() or 1
    with ProcessPoolExecutor(cores) as pool:
        counts = list(pool.map(_rsa_rounds, [seconds] * cores))
    return sum(counts) / seconds


def _rsa_rounds(seconds: float) -> int:
    key = rsa.generate_private_key(65537, 4096)
    oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA512()), salt_length=64)
    wrapped = key.public_key().encrypt(os.urandom(32), oaep)
    rounds = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for _ in range(3):
            key.decrypt(wrapped, oaep)
        key.sign(b"set", pss, hashes.SHA512())
        rounds += 1
    return rounds


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of another process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def intake_settings_for(work: Path, portal: SandboxProcess) -> Settings:
    return Settings(database_url=f"sqlite:///{work / 'desk.sqlite3'}")


if __name__ == "__main__":
    sys.exit(main())
