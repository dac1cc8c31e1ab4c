"""Print a pip constraints file pinning every runtime dependency to its declared floor.

``python scripts/min_constraints.py > min.txt && pip install -c min.txt -e .`` installs the
oldest versions pyproject.toml says azresp works with; `.ci/run` does so in a second venv and
runs the CLI and render tests there, so a floor that is too low fails CI. A dependency without
a ``>=`` floor is an error: every one must say what it needs.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$")


def floors(dependencies: list[str]) -> list[str]:
    pins = []
    for requirement in dependencies:
        match = _REQUIREMENT.match(requirement.split(";")[0])
        floor = re.search(r">=\s*([0-9][^,\s]*)", match.group(3)) if match else None
        if match is None or floor is None:
            raise SystemExit(f"min_constraints: {requirement!r} declares no >= floor")
        pins.append(f"{match.group(1)}=={floor.group(1)}")
    return pins


# The test extra less what the fast subset does not need (and whose own floors could clash
# with the pins: the agent frameworks want newer openai releases).
NOT_FOR_THE_SUBSET = {"openai-agents", "langchain-openai", "hatchling"}


def test_tools(extra: list[str]) -> list[str]:
    return [r for r in extra if _REQUIREMENT.match(r) and _name(r) not in NOT_FOR_THE_SUBSET]


def _name(requirement: str) -> str:
    match = _REQUIREMENT.match(requirement)
    return match.group(1).lower() if match else requirement


def main() -> None:
    """Constraints on stdout; with ``--test-tools``, the test requirements of the subset."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    if sys.argv[1:] == ["--test-tools"]:
        lines = test_tools(project["optional-dependencies"]["test"])
    else:
        lines = floors(project["dependencies"])
    sys.stdout.write("".join(f"{line}\n" for line in lines))


if __name__ == "__main__":
    main()
