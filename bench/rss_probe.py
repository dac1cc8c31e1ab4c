"""Run a Python program and write its peak RSS (VmHWM, in KiB) to $BENCH_RSS_FILE at exit.

    python bench/rss_probe.py -m azresp_cli chat PROMPT
    python bench/rss_probe.py path/to/script.py ARGS
    python bench/rss_probe.py -c CODE

``ru_maxrss`` from ``wait4`` would not do: Linux carries the high-water mark of the process
that forked the child (the benchmark runner, ~70 MiB) across ``exec``. VmHWM belongs to the
program's own address space. Run by path: it imports nothing from bench.
"""

from __future__ import annotations

import atexit
import os
import runpy
import sys


def _write_peak() -> None:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                peak = line.split()[1]
                break
        else:
            return
    with open(os.environ["BENCH_RSS_FILE"], "w") as out:
        out.write(peak)


def main() -> None:
    atexit.register(_write_peak)
    arguments = sys.argv[1:]
    if arguments[0] == "-c":
        sys.argv = ["-c", *arguments[2:]]
        exec(compile(arguments[1], "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102
    elif arguments[0] == "-m":
        sys.argv = [arguments[1], *arguments[2:]]
        runpy.run_module(arguments[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = arguments
        runpy.run_path(arguments[0], run_name="__main__")


if __name__ == "__main__":
    main()
