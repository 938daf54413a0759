"""Bar chart of the --peers report: one panel per column, one bar per row."""

from pathlib import Path

from measurement.report.pyplot import pyplot
from measurement.stats.counts import total
from measurement.studies.peers.figures import COLUMNS, FIXED
from photos.units import MB

PANELS_PER_ROW = 4
FIXED_COLOUR = "tab:red"
OTHER_COLOURS = ["tab:blue", "tab:green", "tab:orange", "tab:purple", "tab:brown"]


def bar_colours(names: list[str]) -> list[str]:
    """The fix red, every other row a colour of its own."""
    others = iter(OTHER_COLOURS)
    return [FIXED_COLOUR if name == FIXED else next(others) for name in names]


def plot(report: dict, directory: Path, path: Path) -> None:
    rows = report["rows"]
    names = list(rows)
    columns = [
        key
        for key in COLUMNS
        if all(total(row.get(key)) is not None for row in rows.values())
    ]
    panel_rows = -(-len(columns) // PANELS_PER_ROW)
    plt = pyplot()
    figure, axes = plt.subplots(
        panel_rows,
        PANELS_PER_ROW,
        figsize=(4 * PANELS_PER_ROW, 3.2 * panel_rows + 1),
        layout="constrained",
        squeeze=False,
    )
    colours = bar_colours(names)
    for ax, key in zip(axes.flat, columns, strict=False):
        title, unit, _ = COLUMNS[key]
        values = [total(rows[name][key]) for name in names]
        if unit == "MB":
            values = [v / MB for v in values]
        bars = ax.bar(range(len(names)), values, color=colours)
        ax.bar_label(bars, fmt="%.3g", fontsize="x-small")
        ax.set_title(title, fontsize="small")
        ax.set_ylabel(unit or "count", fontsize="small")
        ax.set_xticks([])
        ax.grid(axis="y", alpha=0.3)
    for ax in list(axes.flat)[len(columns) :]:
        ax.axis("off")
    figure.legend(
        [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours],
        [rows[name]["title"] for name in names],
        loc="outside lower center",
        ncols=3,
        fontsize="small",
    )
    figure.suptitle(
        f"easy-thumbnails beside its peers: {next(iter(rows.values()))['photos_count']} "
        "photos, nine aliases, local S3 (lower is better)"
    )
    figure.savefig(path, dpi=100)
    plt.close(figure)
