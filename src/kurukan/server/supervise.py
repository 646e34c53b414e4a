"""Run the web server and the background worker side by side: one command, and both stop together.

Ctrl+C reaches both children (they share the terminal's process group) and ends this loop; SIGTERM to the
parent is turned into the same exit. When either child stops on its own, the other is stopped too, so the
demo never serves pages whose jobs would wait forever for a worker that died.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import TextIO

STOP_SECONDS = 15


def kurukan_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kurukan", *args]


def run_together(commands: dict[str, list[str]], out: TextIO) -> int:
    """Start every command; return when one stops (its exit code) or on Ctrl+C/SIGTERM (0)."""

    def terminate(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, terminate)
    children: dict[str, subprocess.Popen] = {}
    try:
        for name, command in commands.items():
            children[name] = subprocess.Popen(command)  # noqa: S603 (our own command)
        while True:
            for name, child in children.items():
                code = child.poll()
                if code is not None:
                    out.write(f"{name} s'est arrêté (code {code}) : arrêt des autres processus.\n")
                    return code
            time.sleep(0.3)
    except KeyboardInterrupt:
        return 0
    finally:
        stop_all(children.values())
        signal.signal(signal.SIGTERM, previous)


def stop_all(children) -> None:
    alive = [child for child in children if child.poll() is None]
    for child in alive:
        child.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for child in alive:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
