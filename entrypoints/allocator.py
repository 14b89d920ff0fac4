"""glibc's allocator set up for a long-running server, before its first thread: one arena, whose free memory
`malloc_trim` can hand back (a thread's own arena keeps the top of its heap: each Argon2 thread kept its 19 MiB
hash buffer for good), chunks under 32 MiB taken from it rather than mapped afresh (so a burst of logins reuses
the hash buffers instead of faulting in 19 MiB each), and no trim on every free (the hasher trims when the last
hash in flight ends). Elsewhere than glibc, nothing changes."""

import ctypes
import os

SETTINGS = {  # the environment variables glibc reads at a process's start, with mallopt's number for each
    "MALLOC_ARENA_MAX": (-8, 1),
    "MALLOC_MMAP_THRESHOLD_": (-3, 32 * 1024 * 1024),
    "MALLOC_TRIM_THRESHOLD_": (-1, 64 * 1024 * 1024),
}


def tune_allocator() -> None:
    """For this process (call it before any thread starts) and, through the environment, for the worker
    processes it starts; a value already in the environment is kept."""
    for name, (_, value) in SETTINGS.items():
        os.environ.setdefault(name, str(value))
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):
        return
    for name, (option, _) in SETTINGS.items():
        mallopt(option, int(os.environ[name]))
