#!/usr/bin/env python3
"""Load for bench/memory.sh: N idle keep-alive connections, then N requests suspended in a cosocket.

usage: memory_load.py PORT HOLD_PORT N STATE_FILE
  - serves HOLD_PORT: a TCP server that accepts the cosockets of /wait and answers nothing until told to
  - opens N connections to PORT, each sends GET /hello once, reads the answer and stays open (idle keep-alive)
  - opens N more, each sends GET /wait: the script connects to HOLD_PORT and waits in sock:receive()
  - writes "idle" then "suspended" to STATE_FILE when each stage is reached, then waits for "release" in it
  - on "release" answers every held cosocket, reads the N responses and checks they are 200 with "released"
All traffic stays on 127.0.0.1; every stage is bounded in time."""
import asyncio
import sys
import time

PORT, HOLD_PORT, N, STATE = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
held = []


async def hold(reader, writer):
    held.append(writer)
    await reader.read(1 << 16)  # returns when the peer closes


async def request(path, keep):
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    await writer.drain()
    return reader, writer


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    body = await reader.readexactly(length) if length else b""
    return status, body


def state(s):
    with open(STATE, "w") as f:
        f.write(s)


async def wait_for(word, timeout):
    end = time.time() + timeout
    while time.time() < end:
        with open(STATE) as f:
            if f.read().strip() == word:
                return
        await asyncio.sleep(0.2)
    raise SystemExit(f"timeout waiting for {word!r}")


async def batched(coros, size=500):
    out = []
    for i in range(0, len(coros), size):
        out += await asyncio.gather(*coros[i:i + size])
    return out


async def main():
    server = await asyncio.start_server(hold, "127.0.0.1", HOLD_PORT, backlog=4096)
    idle = await batched([request("/hello", True) for _ in range(N)])
    statuses = await asyncio.wait_for(asyncio.gather(*(read_response(r) for r, _ in idle)), 120)
    assert all(s == 200 for s, _ in statuses), "an idle connection's request failed"
    state("idle")
    await wait_for("measured-idle", 300)
    waiting = await batched([request("/wait", False) for _ in range(N)])
    end = time.time() + 120
    while len(held) < N and time.time() < end:
        await asyncio.sleep(0.2)
    print(f"memory_load: {len(held)} cosockets held", flush=True)
    assert len(held) == N, "not every request reached its cosocket"
    state("suspended")
    await wait_for("release", 300)
    for w in held:
        w.write(b"released\n")
    results = await asyncio.wait_for(asyncio.gather(*(read_response(r) for r, _ in waiting)), 120)
    ok = sum(1 for s, b in results if s == 200 and b == b"released\n")
    print(f"memory_load: {ok} of {N} suspended requests answered 200 'released' after the release", flush=True)
    for _, w in idle + waiting:
        w.close()
    server.close()
    state("done" if ok == N else "failed")


asyncio.run(main())
