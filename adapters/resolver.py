"""The HostResolver port on the system resolver, through the event loop's getaddrinfo (a worker thread)."""

import asyncio
import socket
from typing import final

from application.calendar.ports import HostResolver


@final
class SystemResolver(HostResolver):
    """A name that does not resolve within `timeout` seconds resolves to nothing."""

    def __init__(self, *, timeout: float) -> None:
        self._timeout = timeout

    async def resolve(self, host: str, port: int) -> list[str]:
        loop = asyncio.get_running_loop()
        try:
            found = await asyncio.wait_for(loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), self._timeout)
        except (OSError, TimeoutError, UnicodeError, ValueError):
            return []
        return list(dict.fromkeys(str(address[0]) for *_, address in found))
