"""Container health checks that need only Redis: ``python -m claims.ops.probe worker``
(this container's worker has beaten recently) or ``... probe beat`` (beat has ticked).

Exit 0 when fresh, 1 when stale or unreachable. No Django is loaded, so a check
costs a Python start-up and one Redis round trip.
"""

from __future__ import annotations

import os
import socket
import sys

from . import heartbeat


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in ("worker", "beat"):
        print("usage: python -m claims.ops.probe worker|beat", file=sys.stderr)
        return 2
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6390/0"
    try:
        conn = heartbeat.client(url)
        if argv[0] == "beat":
            age = heartbeat.age_of(conn, heartbeat.BEAT_TICK)
        else:
            host = os.environ.get("HOSTNAME") or socket.gethostname()
            ages = heartbeat.worker_ages(conn)
            mine = [a for name, a in ages.items() if name.endswith("@" + host)]
            age = min(mine) if mine else None
    except Exception as exc:
        print(f"{argv[0]}: Redis unavailable ({exc.__class__.__name__})", file=sys.stderr)
        return 1
    limit = heartbeat.stale_after_seconds()
    if age is None or age > limit:
        print(f"{argv[0]}: no heartbeat in the last {limit:.0f} s", file=sys.stderr)
        return 1
    print(f"{argv[0]}: last heartbeat {age:.1f} s ago")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
