"""A program for tests/setup/test_forkserver.py: reports what it was started with, or ends as
asked (an exit code, a signal, SIGINT handled, killed while it sleeps)."""

from __future__ import annotations

import os
import signal
import sys
import time


def main() -> None:
    command, *rest = sys.argv[1:]
    if command == "report":
        print("argv", sys.argv[1:])
        print("env", os.environ.get("PROBE_VALUE"))
        print("stdin", sys.stdin.buffer.read())
        print("stdout-line-buffered", sys.stdout.line_buffering)
    elif command == "exit":
        sys.exit(int(rest[0]))
    elif command == "kill":
        os.kill(os.getpid(), int(rest[0]))
        time.sleep(30)
    elif command == "wait-for-sigint":
        signal.signal(signal.SIGINT, lambda *_: os._exit(42))
        print("waiting", flush=True)
        time.sleep(30)
    elif command == "sleep":
        with open(rest[0], "w") as pid_file:
            pid_file.write(str(os.getpid()))
        print("sleeping", flush=True)
        time.sleep(30)
    elif command == "encoding":
        print("stdout-encoding", sys.stdout.encoding)


if __name__ == "__main__":
    main()
