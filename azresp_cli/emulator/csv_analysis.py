"""The code interpreter's work, done for real but without running any code.

For the CSV files in a container: row and column counts and, per numeric column, count,
sum, mean, min and max, written to `summary.csv` (and a bar chart of the sums to
`plot.png` when asked for a plot). Without a CSV file the work is a listing of the
container's files in `files.csv`. `code()` is the Python a model would write for that
work; `csv.DictReader` reads the files here exactly as that code would, so the logs the
emulator reports are the ones the code would print.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from azresp_cli.emulator import png

_CHART_WIDTH, _CHART_HEIGHT, _CHART_MARGIN = 400, 240, 20
_PALETTE = ((66, 133, 244), (219, 68, 55), (244, 180, 0), (15, 157, 88), (171, 71, 188))


@dataclass(frozen=True)
class ColumnStats:
    name: str
    count: int
    total: float
    minimum: float
    maximum: float

    @property
    def mean(self) -> float:
        return self.total / self.count


@dataclass(frozen=True)
class TableSummary:
    filename: str
    rows: int
    columns: tuple[str, ...]
    numeric: tuple[ColumnStats, ...]


def number(value: float) -> str:
    """How the generated code prints a number: whole numbers without a point."""
    return str(int(value)) if float(value).is_integer() else str(round(value, 6))


def analyse(filename: str, data: bytes) -> TableSummary:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig", errors="replace"), newline=""))
    rows = list(reader)
    columns = tuple(reader.fieldnames or ())
    numeric = []
    for column in columns:
        values = _numbers([row.get(column) for row in rows])
        if values:
            numeric.append(ColumnStats(column, len(values), sum(values), min(values), max(values)))
    return TableSummary(filename, len(rows), columns, tuple(numeric))


def _numbers(cells: list[str | None]) -> list[float] | None:
    values = []
    for cell in cells:
        text = (cell or "").strip()
        if not text:
            continue
        try:
            values.append(float(text))
        except ValueError:
            return None  # one word in a column makes it a text column
    return values


def table_logs(summaries: list[TableSummary], written: list[str]) -> str:
    lines = []
    for table in summaries:
        lines.append(
            f"{table.filename}: {table.rows} rows, {len(table.columns)} columns"
            f" ({', '.join(table.columns)})"
        )
        lines += [
            f"  {stats.name}: sum {number(stats.total)}, mean {number(stats.mean)}"
            for stats in table.numeric
        ]
    lines += [f"wrote /mnt/data/{name}" for name in written]
    return "\n".join(lines) + "\n"


def summary_csv(summaries: list[TableSummary]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("file", "rows", "column", "count", "sum", "mean", "min", "max"))
    for table in summaries:
        for stats in table.numeric:
            writer.writerow(
                (
                    table.filename,
                    table.rows,
                    stats.name,
                    stats.count,
                    number(stats.total),
                    number(stats.mean),
                    number(stats.minimum),
                    number(stats.maximum),
                )
            )
    return out.getvalue().encode()


def listing_logs(files: list[tuple[str, int]], written: str) -> str:
    lines = [f"{name}: {size} bytes" for name, size in files] or ["no files in /mnt/data"]
    return "\n".join([*lines, f"wrote /mnt/data/{written}"]) + "\n"


def listing_csv(files: list[tuple[str, int]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([("file", "bytes"), *files])
    return out.getvalue().encode()


def bar_chart(values: list[float]) -> bytes:
    """A white PNG with one bar per value, scaled to the largest (negatives draw nothing)."""
    top = max([value for value in values if value > 0], default=1.0)
    usable = _CHART_HEIGHT - 2 * _CHART_MARGIN
    slot = (_CHART_WIDTH - 2 * _CHART_MARGIN) // max(len(values), 1)
    heights = [int(max(value, 0) / top * usable) for value in values]
    white = bytes((255, 255, 255))

    def row(y: int) -> bytes:
        level = _CHART_HEIGHT - _CHART_MARGIN - y  # pixels above the baseline
        pieces = [white * _CHART_MARGIN]
        for index, height in enumerate(heights):
            colour = bytes(_PALETTE[index % len(_PALETTE)])
            bar = colour if 0 < level <= height else (bytes((60, 60, 60)) if level == 0 else white)
            gap = slot // 5
            pieces.append(white * gap + bar * (slot - 2 * gap) + white * gap)
        line = b"".join(pieces)
        return line + white * (_CHART_WIDTH - len(line) // 3)

    return png.encode_rgb(_CHART_WIDTH, _CHART_HEIGHT, (row(y) for y in range(_CHART_HEIGHT)))


def code(csv_names: list[str], written: list[str]) -> str:
    """The Python the model "runs": it would print the logs above and write `written`."""
    if not csv_names:
        return _LISTING_CODE
    source = _TABLE_CODE.replace("NAMES", repr(csv_names))
    if "plot.png" in written:
        source += _PLOT_CODE
    return (
        source
        + 'print("wrote /mnt/data/summary.csv")\n'
        + ('print("wrote /mnt/data/plot.png")\n' if "plot.png" in written else "")
    )


_TABLE_CODE = """import csv
from pathlib import Path

DATA = Path("/mnt/data")


def fmt(value):
    return str(int(value)) if float(value).is_integer() else str(round(value, 6))


def numbers(rows, column):
    values = []
    for row in rows:
        text = (row.get(column) or "").strip()
        if not text:
            continue
        try:
            values.append(float(text))
        except ValueError:
            return None
    return values or None


summary = [("file", "rows", "column", "count", "sum", "mean", "min", "max")]
sums = []
for name in NAMES:
    with open(DATA / name, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    columns = reader.fieldnames or []
    print(f"{name}: {len(rows)} rows, {len(columns)} columns ({', '.join(columns)})")
    for column in columns:
        values = numbers(rows, column)
        if values is None:
            continue
        total = sum(values)
        print(f"  {column}: sum {fmt(total)}, mean {fmt(total / len(values))}")
        summary.append((name, len(rows), column, len(values), fmt(total),
                        fmt(total / len(values)), fmt(min(values)), fmt(max(values))))
        sums.append((column, total))

with open(DATA / "summary.csv", "w", newline="") as handle:
    csv.writer(handle, lineterminator="\\n").writerows(summary)
"""

_PLOT_CODE = """
import matplotlib.pyplot as plt

plt.figure(figsize=(4, 2.4))
plt.bar([column for column, _ in sums], [total for _, total in sums])
plt.title("Column sums")
plt.savefig(DATA / "plot.png")
"""

_LISTING_CODE = """import csv
from pathlib import Path

DATA = Path("/mnt/data")
files = sorted((path.name, path.stat().st_size) for path in DATA.iterdir() if path.is_file())
for name, size in files:
    print(f"{name}: {size} bytes")
if not files:
    print("no files in /mnt/data")
with open(DATA / "files.csv", "w", newline="") as handle:
    csv.writer(handle, lineterminator="\\n").writerows([("file", "bytes"), *files])
print("wrote /mnt/data/files.csv")
"""
