"""Write the shell completion scripts in completions/ from azresp's command tree.

    python scripts/gen_completions.py          # rewrite completions/*
    python scripts/gen_completions.py --check  # exit 1 (and show a diff) when they are stale

Run it after adding or changing a command or option; tests/setup/test_completions.py fails
until the files in completions/ match what this writes.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from azresp_cli.cli.completion_scripts import FILE_NAMES, SHELLS, render
from azresp_cli.cli.completion_tree import command_tree

COMPLETIONS_DIR = Path(__file__).resolve().parent.parent / "completions"


def generated() -> dict[Path, str]:
    """Each completion file's path and the text it should have."""
    tree = command_tree()
    return {COMPLETIONS_DIR / FILE_NAMES[shell]: render(shell, tree) for shell in SHELLS}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when stale")
    args = parser.parse_args(argv)
    stale = []
    for path, text in generated().items():
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current == text:
            continue
        stale.append(path)
        if args.check:
            sys.stdout.writelines(
                difflib.unified_diff(
                    current.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    f"{path.name} (checked in)",
                    f"{path.name} (generated)",
                )
            )
        else:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
    if args.check and stale:
        names = ", ".join(p.name for p in stale)
        print(f"stale: {names}; run `python scripts/gen_completions.py`", file=sys.stderr)
        return 1
    for path in stale if not args.check else []:
        print(f"wrote {path.relative_to(COMPLETIONS_DIR.parent)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
