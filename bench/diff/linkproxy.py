#!/usr/bin/env python3
"""A TCP proxy that behaves like a slower network link, for bench/diff (not a test).

Everything between a client and the upstream server crosses one shared link per direction:
bytes leave at the link's rate (one queue for all connections, as on a real uplink) and arrive
half a round trip later. This stands in for a laptop on Wi-Fi talking to a cloud warehouse,
where moving rows costs more than computing on them; loopback hides that cost.

Usage: linkproxy.py --listen PORT --upstream HOST:PORT --mbit 100 --rtt-ms 20
"""
import argparse
import asyncio
import time

CHUNK = 16384


class Link:
    """One direction of the link: serialises every connection's bytes at the link's rate."""

    def __init__(self, bytes_per_s, one_way_s):
        self.bytes_per_s = bytes_per_s
        self.one_way_s = one_way_s
        self.free_at = 0.0

    def arrival(self, size):
        now = time.monotonic()
        start = max(now, self.free_at)
        self.free_at = start + size / self.bytes_per_s
        return self.free_at + self.one_way_s


async def pump(reader, writer, link):
    queue = asyncio.Queue()

    async def deliver():
        while True:
            due, data = await queue.get()
            if data is None:
                break
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            writer.write(data)
            await writer.drain()
        writer.close()

    sender = asyncio.create_task(deliver())
    try:
        while True:
            data = await reader.read(CHUNK)
            if not data:
                break
            await queue.put((link.arrival(len(data)), data))
            # Back-pressure: never hold more than a second of the link in memory.
            while queue.qsize() * CHUNK > link.bytes_per_s:
                await asyncio.sleep(0.01)
    except (ConnectionError, OSError):
        pass
    await queue.put((0, None))
    try:
        await sender
    except (ConnectionError, OSError):
        pass


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--mbit", type=float, required=True)
    parser.add_argument("--rtt-ms", type=float, required=True)
    args = parser.parse_args()
    host, port = args.upstream.rsplit(":", 1)
    rate = args.mbit * 1e6 / 8
    up, down = Link(rate, args.rtt_ms / 2000), Link(rate, args.rtt_ms / 2000)

    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection(host, int(port))
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pump(client_reader, server_writer, up), pump(server_reader, client_writer, down))

    server = await asyncio.start_server(handle, "127.0.0.1", args.listen)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
