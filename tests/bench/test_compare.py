"""``python -m bench --compare FILE``: ratios more than 10% worse than a saved run are flagged."""

from __future__ import annotations

from pathlib import Path

from bench.compare import compare
from bench.harness import Target

SAVED = """# azresp benchmarks

### Targets

| target | limit | measured | holds |
|---|---|---|---|
| `azresp --help` vs bare Typer | at most 1.3x | 1.20x | yes |
| first token vs bare SDK (pipe, cold) | at most 1.1x | 1.00x | yes |
| stream throughput vs bare SDK | at least 0.9x | 1.00x | yes |
| peak RSS after 32k tokens | at most 130MiB | 75.96MiB | yes |
"""


def test_only_ratios_more_than_ten_percent_worse_are_flagged(tmp_path: Path) -> None:
    saved = tmp_path / "saved.md"
    saved.write_text(SAVED)
    now = [
        Target("`azresp --help` vs bare Typer", 1.31, 1.3, "at most"),  # +9%: noise
        Target("first token vs bare SDK (pipe, cold)", 1.12, 1.1, "at most"),  # +12%
        Target("stream throughput vs bare SDK", 0.85, 0.9, "at least"),  # -15%
        Target("peak RSS after 32k tokens", 200.0, 130, "at most", "MiB"),  # not a ratio
        Target("a target the saved run did not have", 9.0, 1.0, "at most"),
    ]
    comparison = compare(now, saved)
    assert comparison.regressions == [
        "first token vs bare SDK (pipe, cold)",
        "stream throughput vs bare SDK",
    ]
    shown = comparison.table.markdown()
    assert "| `azresp --help` vs bare Typer | 1.20x | 1.31x | +9% | ok |" in shown
    assert "peak RSS" not in shown and "did not have" not in shown
