"""Run a command with its stdout on a pseudo-terminal, as a person at a terminal would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def gloss_command() -> list[str]:
    """The installed ``gloss`` next to this interpreter, or ``python -m ptce_gloss``."""
    script = Path(sys.executable).with_name("gloss")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ptce_gloss"]


def run_in_pty(
    args: list[str], columns: int = 100, env: dict[str, str] | None = None, timeout: float = 60, stdin_tty: bool = False
) -> str:
    """Run ``args`` with stdout and stderr (and stdin if asked) on a pseudo-terminal ``columns`` wide.

    Returns what it printed.
    """
    import pty  # POSIX only; imported here so that collecting tests works anywhere

    master, slave = pty.openpty()
    full_env = {**os.environ, "COLUMNS": str(columns), "LINES": "50", "TERM": "xterm-256color", **(env or {})}
    for name in ("NO_COLOR", "FORCE_COLOR", "CI", "PAGER", "GLOSS_PAGER"):
        if not env or name not in env:
            full_env.pop(name, None)
    stdin = slave if stdin_tty else subprocess.DEVNULL
    process = subprocess.Popen(args, stdin=stdin, stdout=slave, stderr=slave, env=full_env, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    process.wait(timeout=timeout)
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
