"""The networks the local S3 server can stand in for, each figure with its source.

A profile is a first-byte latency, applied once to every request before it is
answered, and bandwidths down (bodies the server sends) and up (bodies it
receives): per connection, and for a link that all connections share. None is
no limit. The server applies them itself (app.py, shaping.py): nothing of the
machine's own network changes, so a profile other than loopback is a
simulated network, and the report says so.

Where a figure is assumed rather than published, its comment says so.
"""

from dataclasses import dataclass

MBIT = 1_000_000 / 8  # bytes per second in a megabit per second


@dataclass(frozen=True)
class Profile:
    name: str
    latency_seconds: float = 0.0
    connection_download_bytes_per_second: float | None = None
    connection_upload_bytes_per_second: float | None = None
    link_download_bytes_per_second: float | None = None
    link_upload_bytes_per_second: float | None = None
    sources: tuple[str, ...] = ()

    @property
    def simulated(self) -> bool:
        """Whether the server shapes anything: loopback answers as it can."""
        return self != Profile(self.name, sources=self.sources)

    @property
    def download_bytes_per_second(self) -> float | None:
        """What one download alone gets: the narrower of its connection and the link."""
        return narrower(
            self.connection_download_bytes_per_second,
            self.link_download_bytes_per_second,
        )

    @property
    def upload_bytes_per_second(self) -> float | None:
        return narrower(
            self.connection_upload_bytes_per_second, self.link_upload_bytes_per_second
        )

    def as_report(self) -> dict:
        """report.json's metadata.network."""
        return {
            "profile": self.name,
            "latency_seconds": self.latency_seconds,
            "download_bytes_per_second": self.download_bytes_per_second,
            "upload_bytes_per_second": self.upload_bytes_per_second,
            "connection_download_bytes_per_second": (
                self.connection_download_bytes_per_second
            ),
            "connection_upload_bytes_per_second": self.connection_upload_bytes_per_second,
            "link_download_bytes_per_second": self.link_download_bytes_per_second,
            "link_upload_bytes_per_second": self.link_upload_bytes_per_second,
            "simulated": self.simulated,
            "sources": list(self.sources),
        }


def narrower(a: float | None, b: float | None) -> float | None:
    limits = [rate for rate in (a, b) if rate is not None]
    return min(limits) if limits else None


# This machine's own loopback, unshaped: what every run measured before
# profiles, and the default.
LOOPBACK = Profile("loopback")

# A server in its bucket's region (an EC2 instance beside its S3 bucket).
SAME_REGION = Profile(
    "same-region",
    # Assumed, inside AWS's "tens of milliseconds": the median latency of
    # small requests, in "Best Practices Design Patterns: Optimizing Amazon S3
    # Performance", section "Timeouts and Retries for Latency-Sensitive
    # Applications".
    latency_seconds=0.030,
    # About 85 MB/s per connection: the same paper's section "Horizontal
    # Scaling and Request Parallelization for High Throughput" advises one
    # concurrent request per 85-90 MB/s of throughput wanted.
    connection_download_bytes_per_second=85 * 1_000_000,
    connection_upload_bytes_per_second=85 * 1_000_000,
    # Assumed: an instance with a 10 Gbit/s network card, the example the
    # same section saturates with about 15 requests at once.
    link_download_bytes_per_second=10_000 * MBIT,
    link_upload_bytes_per_second=10_000 * MBIT,
    sources=(
        "https://docs.aws.amazon.com/whitepapers/latest/s3-optimizing-performance-best-practices/timeouts-and-retries-for-latency-sensitive-applications.html",
        "https://docs.aws.amazon.com/whitepapers/latest/s3-optimizing-performance-best-practices/horizontal-scaling-and-request-parallelization-for-high-throughput.html",
    ),
)

# A laptop, or a server elsewhere, on a home line to the bucket's region, as
# the 2013 measurements were taken.
INTERNET = Profile(
    "internet",
    # Assumed: a first byte across a continent, from a home line to AWS.
    latency_seconds=0.080,
    # 15.6 Mbit/s: the average subscribed download speed in the FCC's
    # "Measuring Broadband America", February 2013. The line is the limit;
    # a connection gets all of it.
    link_download_bytes_per_second=15.6 * MBIT,
    # Assumed: 2 Mbit/s, about an eighth of the download, as a home line's
    # upload is a fraction of its download.
    link_upload_bytes_per_second=2 * MBIT,
    sources=(
        "https://www.fcc.gov/reports-research/reports/measuring-broadband-america/measuring-broadband-america-february-2013",
    ),
)

PROFILES = {profile.name: profile for profile in (LOOPBACK, SAME_REGION, INTERNET)}


def profile(name: str) -> Profile:
    """The profile of that name; ValueError, naming the profiles, for another."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(
            f"{name!r} is not a network profile: give one of {', '.join(PROFILES)}"
        ) from None
