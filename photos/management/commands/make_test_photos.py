import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from photos.sample_photos import HEIGHT, WIDTH, write_test_photo
from photos.units import MB


class Command(BaseCommand):
    help = (
        f"Write realistic test photos ({WIDTH}x{HEIGHT} JPEGs of about 2 MB, like the "
        "2013 set) into a folder, for when no real photos are at hand. The same seed "
        "gives the same files; existing files are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count",
            type=int,
            default=20,
            help="How many photos (default 20, as in 2013).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=2013,
            help="Seed of the photos' content (default 2013).",
        )
        parser.add_argument(
            "--dir",
            type=Path,
            default=settings.BASE_DIR / "test_photos",
            help="Folder to write to (default test_photos/).",
        )

    def handle(self, *args, count: int, seed: int, dir: Path, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        started = time.perf_counter()
        paths = []
        # Drawing an 8 MP landscape is numpy-bound: one photo per core.
        with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
            futures = [
                pool.submit(write_test_photo, dir, seed, number)
                for number in range(1, count + 1)
            ]
            for number, future in enumerate(futures, start=1):
                path = future.result()
                paths.append(path)
                if options["verbosity"] >= 1:
                    self.stdout.write(
                        f"[{number}/{count}] {path.name}: {path.stat().st_size / MB:.2f} MB"
                    )
        total_bytes = sum(path.stat().st_size for path in paths)
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} photos, {total_bytes / MB:.1f} MB, in {dir} "
                f"({time.perf_counter() - started:.1f} s)."
            )
        )
