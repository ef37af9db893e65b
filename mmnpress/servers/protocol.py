"""What the build server and its client say to each other, and where they meet.

A request is one message: its length (4 bytes), then a `marshal`-encoded
dict (both ends are the same Python: the address depends on its version).
A server about to run it answers {"ready": True}, and only then does the
client send its standard input, output and error as file descriptors: a
server that was stopped (SIGSTOP) before it answered holds none of them, so
whoever reads the command's output is not kept waiting by it, and the
client, hearing nothing in time, builds itself. While the build runs the client may send `INTERRUPT` (Ctrl-C); the server
then answers once, with the same framing: {"status": exit status} when it
ran the build, {"refused": "busy" or "stale"} when it did not.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import socket
import stat
import sys

INTERRUPT = b"i"
_STREAMS = b"s"
_MAX_MESSAGE = 16 * 1024 * 1024
_MAX_ADDRESS = 100  # bytes: a Unix socket's path holds at most 107
STANDARD_STREAMS = (0, 1, 2)


def address() -> str | None:
    """Return the socket of the build server of this installation, or None where none can be kept safely."""
    folder = _private_folder()
    if folder is None:
        return None
    # one server per installation and per environment the processes it keeps read (pandoc's data folder)
    identity = "\0".join([sys.prefix, sys.version, os.path.dirname(os.path.abspath(__file__)),
                          os.environ.get("HOME", ""), os.environ.get("XDG_DATA_HOME", "")])
    path = os.path.join(folder, f"build-{hashlib.sha256(identity.encode()).hexdigest()[:16]}.sock")
    return path if len(os.fsencode(path)) <= _MAX_ADDRESS else None


def _private_folder() -> str | None:
    """Return a folder only this user can open (made if missing), or None if there is none."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if os.path.isabs(runtime):
        folder = os.path.join(runtime, "mmnpress")
    else:
        folder = os.path.join(os.environ.get("TMPDIR") or "/tmp", f"mmnpress-{os.getuid()}")
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        found = os.lstat(folder)
    except OSError:
        return None
    private = stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid() and not found.st_mode & 0o077
    return folder if private else None


def send_request(connection: socket.socket, request: dict) -> None:
    """Send `request` (the standard streams follow once the server is ready: `send_streams`)."""
    connection.sendall(_framed(request))


def receive_request(connection: socket.socket) -> dict:
    """Return the request."""
    return _unframed(connection, b"")


def send_streams(connection: socket.socket) -> None:
    """Send this process's standard streams to a server that said it is ready."""
    socket.send_fds(connection, [_STREAMS], list(STANDARD_STREAMS))


def receive_streams(connection: socket.socket) -> list[int] | None:
    """Return the client's standard streams (file descriptors now open in this process); None if it sent none (it left or was interrupted)."""
    data, fds, _flags, _address = socket.recv_fds(connection, 1, len(STANDARD_STREAMS))
    if data == _STREAMS and len(fds) == len(STANDARD_STREAMS):
        return fds
    for fd in fds:
        os.close(fd)
    return None


def send_answer(connection: socket.socket, answer: dict) -> None:
    """Send the one answer to a request."""
    connection.sendall(_framed(answer))


def receive_answer(connection: socket.socket) -> dict:
    """Return the server's answer; {} when the server ended without one."""
    try:
        return _unframed(connection, b"")
    except (OSError, ValueError, EOFError):
        return {}


def _framed(message: dict) -> bytes:
    data = marshal.dumps(message)
    return len(data).to_bytes(4, "big") + data


def _unframed(connection: socket.socket, data: bytes) -> dict:
    """Read the rest of one framed message that starts with `data`."""
    data = _at_least(connection, data, 4)
    size = int.from_bytes(data[:4], "big")
    if size > _MAX_MESSAGE:
        raise ValueError("message too long")
    data = _at_least(connection, data, 4 + size)
    message = marshal.loads(data[4:4 + size])
    if not isinstance(message, dict):
        raise ValueError("not a message")
    return message


def _at_least(connection: socket.socket, data: bytes, size: int) -> bytes:
    while len(data) < size:
        chunk = connection.recv(size - len(data))  # never past the message: an interrupt may follow it
        if not chunk:
            raise EOFError("the connection ended inside a message")
        data += chunk
    return data
