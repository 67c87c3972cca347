#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian 12 machine, idempotently:
# system packages (only those missing), then the virtualenv with the project and its dev tools.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

# Qt offscreen/xcb runtime libraries, the PostgreSQL server for the store tests,
# Xvfb for screenshots, PC/SC headers, swig and a compiler because pyscard ships no Linux wheel
# (pip builds it from source); for documents:
# libdmtx (DataMatrix), dmtx-utils and zbar to read seals back, poppler's pdfsig and qpdf to
# judge sealed PDFs beside us, pdftk to fill forms as citizens' tools do, a private CUPS
# with the cups-pdf queue, and pkcs11-tool (opensc) to make keys inside SoftHSM2; Dovecot for
# the forms mailbox; the AT-SPI bus and Debian's pyatspi (for the system python3) so a test can
# read the window as a screen reader does; pcscd with Debian's virtual reader driver (vpcd), into
# which the project's own virtual ID card is inserted, and AusweisApp2 as that card's real peer;
# wixl, msitools and osslsigncode build, inspect and sign the MSI, wine installs it (mingw builds
# the two stand-in DLLs the wine test prefix needs). Tests start private instances of the servers
# (sandbox/), never the system's. Debian's chromium and its driver run the public verifier page's
# tests; Tesseract with its German data reads a scan's printed text to compare with the seal;
# node and npm install that page's reader from its lock (a node that came with the
# machine, with its own npm, is kept).
SYSTEM_PACKAGES=(
  python3-venv postgresql xvfb xauth
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-render-util0 libxcb-image0
  fonts-dejavu-core libpcsclite1 libpcsclite-dev swig gcc libc6-dev pkg-config poppler-utils softhsm2
  libdmtx0b dmtx-utils zbar-tools cups cups-client cups-bsd printer-driver-cups-pdf opensc
  dovecot-imapd at-spi2-core python3-pyatspi dbus-x11 qpdf pdftk-java
  pcscd vsmartcard-vpcd ausweisapp2 wixl msitools osslsigncode wine wine64 gcc-mingw-w64-x86-64-win32
  chromium chromium-driver tesseract-ocr tesseract-ocr-deu
)
missing=()
if command -v dpkg >/dev/null 2>&1; then
  for package in "${SYSTEM_PACKAGES[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
fi
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bootstrap: missing system packages (run as root or install them): ${missing[*]}" >&2
    exit 1
  fi
  echo "bootstrap: installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # keep the packages' own system services (PostgreSQL, CUPS, Dovecot) from being started:
  # we start private instances and stop only those
  policy=/usr/sbin/policy-rc.d
  own_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && own_policy=1
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ "$own_policy" = 1 ]; then rm -f "$policy" && trap - EXIT; fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
# Python packages come from uv.lock only, each checked against its hash: first uv itself (its
# pinned wheels' hashes read from the lock), then everything else through uv's own export.
# `make lock` re-resolves on purpose; nothing here ever takes "the latest".
if ! "$VENV/bin/uv" --version 2>/dev/null | grep -qx "uv $(python3 scripts/locked.py version uv)"; then
  python3 scripts/locked.py requirement uv >"$VENV/uv-requirement.txt"
  "$VENV/bin/python" -m pip install -q --no-deps --require-hashes -r "$VENV/uv-requirement.txt"
fi
export UV_PYTHON_DOWNLOADS=never UV_NO_CONFIG=1
"$VENV/bin/uv" export -q --frozen --all-extras --no-emit-project --format requirements.txt \
  -o "$VENV/requirements.txt"
"$VENV/bin/uv" pip sync -q --python "$VENV/bin/python" --require-hashes "$VENV/requirements.txt"
# the project itself, editable, built by the locked setuptools
"$VENV/bin/uv" pip install -q --python "$VENV/bin/python" --no-deps --no-build-isolation -e .
# the verifier page's barcode reader and PDF renderer, exactly as its package-lock.json says
page=printing/verifier_page
lock_sum=$(sha256sum "$page/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$page/node_modules/.installed-from" 2>/dev/null)" != "$lock_sum" ]; then
  npm ci --prefix "$page" --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$lock_sum" >"$page/node_modules/.installed-from"
fi
echo "bootstrap: ready ($VENV)"
