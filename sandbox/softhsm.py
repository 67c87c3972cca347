"""A private SoftHSM2 token for tests and the demo: a PKCS#11 'HSM' in a temporary folder."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path


def softhsm_library() -> str:
    for candidate in (
        "/usr/lib/softhsm/libsofthsm2.so",
        *glob.glob("/usr/lib/*/softhsm/libsofthsm2.so"),
    ):
        if Path(candidate).exists():
            return candidate
    raise RuntimeError("SoftHSM2 not found; install Debian's 'softhsm2'")


class SoftHsmToken:
    """Initialises a token under `directory`; SOFTHSM2_CONF points this process (and children)
    at it, which is how SoftHSM2 is told where its tokens live. SoftHSM2 reads that once per
    process, at C_Initialize, so `start` re-initialises the module in this process."""

    def __init__(
        self, directory: Path, *, label: str = "buergerbuero", pin: str = "123456"
    ) -> None:
        self.directory, self.label, self.pin = directory, label, pin
        self.library = softhsm_library()
        self.config = directory / "softhsm2.conf"

    def start(self) -> SoftHsmToken:
        tokens = self.directory / "tokens"
        tokens.mkdir(parents=True, exist_ok=True)
        if not self.config.exists():
            self.config.write_text(
                f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
            )
        os.environ["SOFTHSM2_CONF"] = str(self.config)
        self._util(
            "--init-token",
            "--free",
            "--label",
            self.label,
            "--pin",
            self.pin,
            "--so-pin",
            self.pin + "0",
        )
        self.reload()
        return self

    def reload(self) -> None:
        """Make this process's PKCS#11 module see tokens and keys made since it started."""
        import pkcs11

        pkcs11.lib(self.library).reinitialize()

    def import_key(self, pem: Path, *, label: str, key_id: str) -> None:
        """Import a PKCS#8 PEM private key (and its public half) under `label`."""
        self._util(
            "--import",
            str(pem),
            "--token",
            self.label,
            "--label",
            label,
            "--id",
            key_id,
            "--pin",
            self.pin,
        )

    def generate_ec_key(self, *, label: str, key_id: str, curve: str = "prime256v1") -> None:
        """An EC key pair made inside the token (the private half never exists outside it)."""
        tool = shutil.which("pkcs11-tool") or "/usr/bin/pkcs11-tool"
        subprocess.run(
            [
                tool,
                "--module",
                self.library,
                "--token-label",
                self.label,
                "--login",
                "--pin",
                self.pin,
                "--keypairgen",
                "--key-type",
                f"EC:{curve}",
                "--label",
                label,
                "--id",
                key_id,
            ],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "SOFTHSM2_CONF": str(self.config)},
        )
        self.reload()

    def _util(self, *arguments: str) -> None:
        tool = shutil.which("softhsm2-util") or "/usr/bin/softhsm2-util"
        subprocess.run(
            [tool, *arguments],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "SOFTHSM2_CONF": str(self.config)},
        )
