"""glibc's allocator set up for a long-running server, before its first thread: one arena, whose free memory
`malloc_trim` can hand back (a thread's own arena keeps the top of its heap: each Argon2 thread kept its 19 MiB
hash buffer for good), chunks under 32 MiB taken from it rather than mapped afresh (so a burst of logins reuses
the hash buffers instead of faulting in 19 MiB each), and no trim on every free (the hasher trims when the last
hash in flight ends). Elsewhere than glibc, nothing changes."""

import ctypes
import os

_OPTIONS = {  # glibc's environment variable for each, mallopt's number for it, and the value
    "MALLOC_ARENA_MAX": (-8, 1),
    "MALLOC_MMAP_THRESHOLD_": (-3, 32 * 1024 * 1024),
    "MALLOC_TRIM_THRESHOLD_": (-1, 64 * 1024 * 1024),
}


def tune_allocator() -> None:
    """For this process; call it before any thread starts."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):
        return
    for option, value in _OPTIONS.values():
        mallopt(option, value)


def worker_environment() -> dict[str, str]:
    """The same settings for worker processes, which glibc reads from their environment when they start (set only
    for them: not for PostgreSQL or git, which this process starts too)."""
    return {name: str(value) for name, (_, value) in _OPTIONS.items()}
