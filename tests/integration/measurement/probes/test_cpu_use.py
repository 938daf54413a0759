"""measurement.probes.cpu_use: CPU time read from outside the processes it is about."""

import subprocess
import sys
import time

import pytest

from measurement.probes import cpu_use

# A parent whose child spends about half a second of CPU and is reaped, as a
# Celery worker reaps a pool process it replaced; then it waits to be read.
PARENT = """
import subprocess, sys
subprocess.run([sys.executable, "-c",
    "import time\\nend = time.process_time() + 0.5\\nwhile time.process_time() < end: pass"])
print("reaped", flush=True)
sys.stdin.readline()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_trees_cpu_counts_the_children_it_has_reaped_and_the_machine_saw_them():
    machine_before = cpu_use.machine_busy_seconds()
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert parent.stdout.readline() == "reaped\n"
        seconds = cpu_use.tree_cpu_seconds(parent.pid)
        machine_after = cpu_use.machine_busy_seconds()
    finally:
        parent.communicate("go\n", timeout=30)

    assert seconds >= 0.5
    assert machine_after - machine_before >= 0.5
    assert cpu_use.tree_cpu_seconds(parent.pid) == 0.0  # gone


def test_the_sampler_samples_until_its_block_ends():
    with cpu_use.CpuSampler(lambda: []) as sampler:
        time.sleep(3 * cpu_use.SAMPLE_EVERY_SECONDS)

    times = [sample.time_unix_seconds for sample in sampler.samples]
    assert len(times) >= 3
    assert times == sorted(times)
    assert {sample.processes_seconds for sample in sampler.samples} == {0.0}
