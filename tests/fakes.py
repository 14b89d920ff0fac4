"""Test stand-ins for adapters that would reach outside the machine."""

from ipaddress import ip_address

PUBLIC_ADDRESS = "93.184.215.14"


class FakeResolver:
    """The HostResolver port from a table: IP literals stand for themselves, unknown names resolve to one public
    address, so tests never use the network. Records the names it was asked."""

    def __init__(self, table: dict[str, list[str]] | None = None) -> None:
        self.table = dict(table or {})
        self.asked: list[str] = []

    async def resolve(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        try:
            return [str(ip_address(host))]
        except ValueError:
            return list(self.table.get(host, [PUBLIC_ADDRESS]))
