"""Every command the documentation shows is run here as a user would run it.

- Each `sh` block of README.md, docs/ and installer/README.md runs in bash (`-euo pipefail`),
  in a clean copy of the checkout, with a home folder and temp folder of its own and
  `.venv/bin` on the PATH; it must end with exit 0 (or the `exit N` its marker names) and
  print no traceback. Blocks marked `while make run runs` run while `make run` (exactly that)
  runs beside them; afterwards Ctrl+C ends it and everything it started.
- A block with commands that is not run says why in a marker comment right above it:
  `<!-- doc-test: skip: REASON -->` (the test says that reason when it skips), or
  `<!-- doc-test: synopsis -->` for the command reference, whose every command answers
  `--help` and says a wrong argument in one line with exit 2.
- Every inline `buergerbuero …` the docs name (without the reference's `|`, `[…]` notation)
  parses with the command's own parser."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.executable).parent.parent
DOCUMENTS = sorted(
    [ROOT / "README.md", ROOT / "installer" / "README.md", *(ROOT / "docs").rglob("*.md")]
)
SHELL = {"sh", "bash", "shell"}
LOOKS_LIKE_COMMANDS = re.compile(r"^\s*(buergerbuero|make|msiexec|python3?|bash|uv|pip)\b", re.M)
FENCED = re.compile(
    r"(?:<!-- doc-test: (?P<marker>[^\n]*?) -->\n)?^```(?P<info>[^\n]*)\n(?P<body>.*?)^```",
    re.S | re.M,
)
RUNNING_DEMO = "buergerbuero-demo.json"  # sandbox/cli.py's RUNNING_DEMO_FILE, in TMPDIR


@dataclass(frozen=True)
class Block:
    document: Path
    line: int
    info: str
    body: str
    marker: str

    @property
    def name(self) -> str:
        return f"{self.document.relative_to(ROOT)}:{self.line}"

    @property
    def runs(self) -> bool:
        return self.info in SHELL and not self.marker.startswith(("skip:", "synopsis"))

    @property
    def with_make_run(self) -> bool:
        return "while make run runs" in self.marker

    @property
    def exit_code(self) -> int:
        found = re.search(r"\bexit (\d+)\b", self.marker)
        return int(found.group(1)) if found else 0


def blocks() -> list[Block]:
    found = []
    for document in DOCUMENTS:
        text = document.read_text("utf-8")
        for match in FENCED.finditer(text):
            found.append(
                Block(
                    document=document,
                    line=text.count("\n", 0, match.start("info")) + 1,
                    info=match.group("info").strip(),
                    body=match.group("body"),
                    marker=(match.group("marker") or "").strip(),
                )
            )
    return found


BLOCKS = blocks()
RUN_ALONE = [b for b in BLOCKS if b.runs and not b.with_make_run]
RUN_BESIDE_MAKE_RUN = [b for b in BLOCKS if b.runs and b.with_make_run]
SKIPPED = [b for b in BLOCKS if b.marker.startswith("skip:")]


def test_every_block_with_commands_is_run_or_says_why() -> None:
    silent = [
        block.name
        for block in BLOCKS
        if LOOKS_LIKE_COMMANDS.search(block.body) and not block.runs and not block.marker
    ]
    assert not silent, f"blocks with commands, neither run nor marked: {silent}"
    assert RUN_ALONE and RUN_BESIDE_MAKE_RUN, "the README's runnable blocks went missing"


@pytest.mark.parametrize("block", SKIPPED, ids=lambda block: block.name)
def test_blocks_that_are_not_run_say_why(block: Block) -> None:
    pytest.skip(f"{block.name}: {block.marker.removeprefix('skip:').strip()}")


@dataclass
class Checkout:
    """A clean copy of the checkout, and the user's environment to run commands in it."""

    folder: Path
    environment: dict[str, str]

    def run(self, block: Block) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block.body],
            cwd=self.folder,
            env=self.environment,
            input="doc-test-value\n",  # what a user types where a command reads a value
            capture_output=True,
            text=True,
            timeout=900,
        )


def _installed_and_current() -> None:
    stamp = VENV / ".installed"
    inputs = ["pyproject.toml", "uv.lock", "scripts/bootstrap.sh", "scripts/locked.py"]
    stale = [name for name in inputs if (ROOT / name).stat().st_mtime > stamp.stat().st_mtime]
    # make would otherwise bootstrap this venv again from the copy
    assert not stale, f"run `make bootstrap` first: {stale} changed since {stamp}"


@pytest.fixture(scope="module")
def checkout() -> Iterator[Checkout]:
    _installed_and_current()
    # short paths: the sockets of the demo's servers live under TMPDIR (108 bytes at most)
    base = Path(tempfile.mkdtemp(prefix="bbdoc-"))
    base.chmod(0o755)  # as /tmp is: Dovecot's and CUPS's own users reach their files below
    folder, home, temporary = base / "checkout", base / "home", base / "tmp"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (entry.decode() for entry in listed)):
        source = ROOT / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)  # with its time: make sees nothing changed
    home.mkdir()
    temporary.mkdir()
    cache = Path.home() / ".cache"
    if cache.is_dir():  # a developer's warm download caches (pip, the MSI's wheels)
        (home / ".cache").symlink_to(cache)
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("BUERGERBUERO_", "PCSCLITE_", "BB_", "FITCONNECT_", "PYTEST"))
    }
    environment.update(
        HOME=str(home),
        TMPDIR=str(temporary),
        PATH=f"{VENV / 'bin'}:{os.environ['PATH']}",
        VENV=str(VENV),
        QT_QPA_PLATFORM="offscreen",
        # a keyring for the secrets: a new headless machine has none (the app says so)
        PYTHON_KEYRING_BACKEND="tests.support.file_keyring.FileKeyring",
        BB_TEST_KEYRING_FILE=str(home / "keyring.json"),
        PYTHONPATH=str(ROOT),
    )
    yield Checkout(folder, environment)
    shutil.rmtree(base, ignore_errors=True)


def _said(done: subprocess.CompletedProcess[str]) -> str:
    out, err = done.stdout[-3000:], done.stderr[-3000:]
    return f"exit {done.returncode}\n--- stdout\n{out}\n--- stderr\n{err}"


def _check(block: Block, done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == block.exit_code, f"{block.name}\n{block.body}\n{_said(done)}"
    assert "Traceback" not in done.stderr, f"{block.name}\n{_said(done)}"


@pytest.mark.slow
@pytest.mark.parametrize("block", RUN_ALONE, ids=lambda block: block.name)
def test_documented_block_runs(checkout: Checkout, block: Block) -> None:
    _check(block, checkout.run(block))


@dataclass
class MakeRun:
    process: subprocess.Popen[bytes]
    log: Path
    temporary: Path


@pytest.fixture(scope="module")
def make_run(checkout: Checkout) -> Iterator[MakeRun]:
    """`make run` as written, in its own process group (what a terminal gives it)."""
    temporary = Path(checkout.environment["TMPDIR"])
    log = temporary.parent / "make-run.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["make", "run"],
            cwd=checkout.folder,
            env=checkout.environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    started = MakeRun(process, log, temporary)
    deadline = time.monotonic() + 300
    while not (temporary / RUNNING_DEMO).exists():
        if process.poll() is not None or time.monotonic() > deadline:
            _interrupt(started)
            pytest.fail(f"make run did not come up:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.5)
    yield started
    _interrupt(started)


def _interrupt(started: MakeRun) -> None:
    """Ctrl+C: SIGINT to the whole foreground process group."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(started.process.pid, signal.SIGINT)
    try:
        started.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(started.process.pid, signal.SIGKILL)
        started.process.wait()


@pytest.mark.slow
@pytest.mark.parametrize("block", RUN_BESIDE_MAKE_RUN, ids=lambda block: block.name)
def test_documented_block_runs_beside_make_run(
    checkout: Checkout, make_run: MakeRun, block: Block
) -> None:
    if make_run.process.poll() is not None:
        pytest.fail(f"make run ended:\n{make_run.log.read_text(errors='replace')[-3000:]}")
    _check(block, checkout.run(block))


@pytest.mark.slow
def test_ctrl_c_ends_make_run_and_everything_it_started(make_run: MakeRun) -> None:
    _interrupt(make_run)
    time.sleep(1)  # the servers it stopped are reaped by now
    assert not (make_run.temporary / RUNNING_DEMO).exists()
    left = []
    for process in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            command = (process / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            if str(make_run.temporary) in command or str(make_run.temporary.parent) in command:
                left.append(command)
    assert not left, f"left running after Ctrl+C: {left}"


def _synopsis() -> list[list[str]]:
    """The command words of each line of the README's command reference."""
    [reference] = [b for b in BLOCKS if b.marker == "synopsis" and b.document.name == "README.md"]
    commands = []
    for line in reference.body.splitlines():
        words = line.split("#")[0].split()
        if words[:1] != ["buergerbuero"]:
            continue
        path = []
        for word in words[1:]:
            if not re.fullmatch(r"[a-z][a-z-]*", word):
                break
            path.append(word)
        commands.append(path)
    return commands


NESTED = {"sandbox", "forms", "card"}  # commands whose parsers have subcommands of their own


def _help_paths() -> list[list[str]]:
    paths: list[list[str]] = [[]]
    for words in _synopsis():
        for depth in (1, 2):
            path = words[:depth]
            wanted = bool(path) and (depth == 1 or path[0] in NESTED) and len(words) >= depth
            if wanted and path not in paths:
                paths.append(path)
    return paths


def _entry(arguments: list[str]) -> tuple[int, str, str]:
    """`buergerbuero ARGUMENTS` in this process: its exit code, stdout and stderr."""
    from ui.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code: Any = main(arguments)
        except SystemExit as exited:
            code = exited.code
    return int(code or 0), out.getvalue(), err.getvalue()


def test_the_reference_names_every_command() -> None:
    from app.cli import parser

    documented = {words[0] for words in _synopsis() if words}
    commands = parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(commands) - {"gui"} <= documented


@pytest.mark.parametrize("path", _help_paths(), ids=lambda path: " ".join(path) or "(none)")
def test_every_command_answers_help_and_a_wrong_argument_in_one_line(path: list[str]) -> None:
    code, out, err = _entry([*path, "--help"])
    assert code == 0 and "usage:" in out and not err, (code, out, err)
    code, out, err = _entry([*path, "--no-such-option"])
    assert code == 2 and not out, (code, out, err)
    assert len(err.strip().splitlines()) == 1 and "--help" in err, err


class Parsed(Exception):
    """The command line parsed; nothing was run."""


def _inline_commands() -> list[tuple[str, str]]:
    found = []
    for document in DOCUMENTS:
        text = document.read_text("utf-8")
        for match in re.finditer(r"`(buergerbuero [^`]+)`", text):
            command = match.group(1)
            if not re.search(r"[|\[\]<>…]|\.\.\.", command):
                line = text.count("\n", 0, match.start()) + 1
                found.append((f"{document.relative_to(ROOT)}:{line}", command))
    return found


@pytest.mark.parametrize(("where", "command"), _inline_commands(), ids=lambda v: str(v))
def test_inline_commands_parse(where: str, command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.arguments import CommandParser

    parse = CommandParser.parse_args

    def parse_only(self: CommandParser, *args: Any, **options: Any) -> Any:
        parse(self, *args, **options)
        raise Parsed

    monkeypatch.setattr(CommandParser, "parse_args", parse_only)
    words = shlex.split(command)[1:]
    try:
        code, _out, err = _entry(words)
    except Parsed:
        return
    if all(re.fullmatch(r"[a-z][a-z-]*", word) for word in words):
        # a command named in the text ("`buergerbuero report`"), not a command line
        monkeypatch.undo()
        code, out, err = _entry([*words, "--help"])
        assert code == 0 and "usage:" in out, f"{where}: `{command}` is no command: {err}"
        return
    pytest.fail(f"{where}: `{command}` did not parse (exit {code}): {err.strip()}")
