"""Plot RSS over time for each scenario, phases marked, from the report dict."""

from itertools import accumulate
from pathlib import Path

from measurement.probes.samples import read_samples
from measurement.report.pyplot import pyplot
from photos.units import MB


def phases(figures: dict) -> list[dict]:
    return figures["phases"]


def plot(report: dict, directory: Path, path: Path) -> None:
    scenarios = report["scenarios"]
    index = scenarios["index"]
    panels = [
        ("load_photos", scenarios["load"]["rss_csv"], phases(scenarios["load"]), []),
        (
            "runserver: index / cold, then warm",
            index["rss_csv"],
            phases(index["cold"]) + phases(index["warm"]),
            [],
        ),
        (
            "generate_all_thumbnail_aliases",
            scenarios["generate"]["rss_csv"],
            phases(scenarios["generate"]),
            photo_times(scenarios["generate"]),
        ),
    ]
    plt = pyplot()
    figure, axes = plt.subplots(len(panels), 1, figsize=(10, 9), layout="constrained")
    for ax, (title, csv_name, marked, photo_marks) in zip(axes, panels, strict=True):
        samples = read_samples(directory / csv_name)
        origin = samples[0].time_unix_seconds
        seconds = [s.time_unix_seconds - origin for s in samples]
        ax.plot(
            seconds, [s.rss_bytes / MB for s in samples], label="RSS", color="tab:blue"
        )
        if all(s.uss_bytes is not None for s in samples):
            ax.plot(
                seconds,
                [s.uss_bytes / MB for s in samples],
                label="USS",
                color="tab:blue",
                linestyle=":",
            )
        for number, phase in enumerate(marked):
            ax.axvspan(
                phase["start_seconds"],
                phase["end_seconds"],
                color=("tab:orange", "tab:green")[number % 2],
                alpha=0.15,
                label=phase["name"],
            )
        peak = max(samples, key=lambda s: s.rss_bytes)
        ax.annotate(
            f"peak {peak.rss_bytes / MB:.1f} MB",
            (peak.time_unix_seconds - origin, peak.rss_bytes / MB),
            xytext=(0, 6),
            textcoords="offset points",
            ha="center",
            fontsize="small",
        )
        for when in photo_marks:
            ax.axvline(when, color="grey", linewidth=0.5, alpha=0.6)
        ax.set_title(title)
        ax.set_ylabel("MB")
        # Headroom for the peak's label.
        ax.set_ylim(0, peak.rss_bytes / MB * 1.15)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize="small")
    axes[-1].set_xlabel(
        "seconds since the process started (grey lines: each photo done)"
    )
    meta = report["metadata"]
    figure.suptitle(
        f"easy-thumbnails issue #230: {meta['photos']['count']} photos, "
        f"storage {meta['switches']['storage']}, DEBUG "
        f"{'on' if meta['switches']['debug'] else 'off'}"
    )
    figure.savefig(path, dpi=100)
    plt.close(figure)


def photo_times(generate: dict) -> list[float]:
    """When each photo was done, in seconds since the process started."""
    start = generate["phases"][0]["start_seconds"]
    return [start + t for t in accumulate(p["seconds"] for p in generate["per_photo"])]
