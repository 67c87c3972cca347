"""The `buergerbuero` commands' argument parser: a wrong argument is one line on stderr and
exit 2 (argparse's own prints the whole usage first, which buries the line that matters)."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn


class CommandParser(argparse.ArgumentParser):
    """argparse with a one-line error; subcommand parsers it makes are of the same kind."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)
