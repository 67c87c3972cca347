"""The `buergerbuero` commands' argument parser: a wrong argument is one line on stderr and
exit 2 (argparse's own prints the whole usage first, which buries the line that matters)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn


class CommandParser(argparse.ArgumentParser):
    """argparse with a one-line error; subcommand parsers it makes are of the same kind."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)


# argparse's subcommand collection (its class is private): what `add_commands` functions fill
Commands = Any


def run_alone(name: str, add_commands: Callable[[Commands], None], argv: Sequence[str]) -> int:
    """One command of the `buergerbuero` tree on its own (`python -m cardreader.cli`, tests):
    the same parser and handler as under ui.main's tree."""
    root = CommandParser(prog="buergerbuero")
    add_commands(root.add_subparsers(dest="command", required=True))
    args = root.parse_args([name, *argv])
    return int(args.handler(args))
