"""Becomes a model process with the limits the app sets: `python child_start.py PARENT_PID
MEMORY_MB COMMAND...` ties itself to the app's process, bounds its memory, then execs COMMAND.

Run as a fresh interpreter (by path, standard library only), not as a `preexec_fn` in the
app: Python code between fork and exec in a threaded server can wait forever on a lock
another thread held at the fork (seen: an SSL context freed in the child, blocked on
OpenSSL's lock), and the app's start of the model waits with it. What is set here survives
the exec: the parent-death signal and the address-space limit.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import sys

PR_SET_PDEATHSIG = 1


def main(argv: list[str]) -> int:
    parent, memory_mb, command = int(argv[0]), int(argv[1]), argv[2:]
    with contextlib.suppress(OSError, AttributeError):  # Linux: dies with the app, even kill -9
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the app ended before the signal was set: end too
        return 1
    if memory_mb > 0:  # a memory blow-up ends the model's process, not the machine
        limit = memory_mb * 1024 * 1024
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.execvp(command[0], command)
    return 1  # not reached: exec replaces this process


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
