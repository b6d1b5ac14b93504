"""What the operating system does to keep a query worker off the network, and to bound it.

The safety check refuses ``SERVICE``, but a check is a pattern; the guard that holds by
construction is that a query worker *cannot* open a network connection. On Linux a process that
moves into a network namespace of its own has only a loopback interface, and that one is down:
every ``connect`` fails with "network unreachable", to 127.0.0.1 as much as to the internet.

* As root, ``unshare(CLONE_NEWNET)`` does it directly.
* As an ordinary user, ``unshare(CLONE_NEWUSER | CLONE_NEWNET)`` does the same inside a user
  namespace of its own, where the kernel allows unprivileged user namespaces (Debian does by
  default since 11; some hardened hosts turn it off).

A namespace must be entered while the process has one thread, so the worker calls
:func:`isolate_network` first thing, before it imports anything that starts threads. Where neither
call is allowed, the worker runs without the guard and ``serve`` says so in one line at start.

:func:`limit_memory` caps the worker's address space, so one query that builds huge strings ends
its own worker (which the pool replaces) instead of pushing the machine into swap.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import resource
import socket

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def isolate_network() -> str:
    """Move this process into a network namespace of its own; say how, or why not."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWNET) == 0:
        return _verified("network namespace")
    first = ctypes.get_errno()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
        _map_ids(uid, gid)
        return _verified("user and network namespace")
    second = ctypes.get_errno()
    return (f"off: the kernel refused a network namespace ({errno.errorcode.get(first, first)}, "
            f"as a user: {errno.errorcode.get(second, second)})")


def _map_ids(uid: int, gid: int) -> None:
    """Keep our own uid and gid inside the new user namespace (files stay readable)."""
    try:
        with open("/proc/self/setgroups", "w") as fh:
            fh.write("deny")
        with open("/proc/self/uid_map", "w") as fh:
            fh.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as fh:
            fh.write(f"{gid} {gid} 1")
    except OSError:
        pass  # unmapped ids still read world-readable files; the namespace holds either way


def _verified(how: str) -> str:
    """Prove the guard: a connection to loopback must fail before any query runs."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.settimeout(1)
        s.connect(("127.0.0.1", 9))
    except OSError as exc:
        if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL):
            return f"on ({how})"
        reason = errno.errorcode.get(exc.errno, exc.errno)
        return f"off: a {how} was entered but loopback still answers ({reason})"
    finally:
        s.close()
    return f"off: a {how} was entered but loopback still connects"


def limit_memory(max_bytes: int) -> None:
    """Cap this process's address space (0: no cap)."""
    if max_bytes <= 0:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        max_bytes = min(max_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (max_bytes, hard))
