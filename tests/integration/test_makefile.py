"""What make's variables become on the command lines it runs."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def reproduce_command(*variables: str) -> str:
    """The command make reproduce would run, set-up left out."""
    done = subprocess.run(
        [
            "make",
            "-n",
            "-o",
            "setup",
            "-o",
            ".venv/.installed",
            "reproduce",
            *variables,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    (command,) = [line for line in done.stdout.splitlines() if "measurement" in line]
    return command


def test_make_reproduce_network_chooses_the_network_profile():
    assert " reproduce --network internet " in reproduce_command("NETWORK=internet")


def test_make_reproduce_on_loopback_passes_no_network_option():
    """So that ARGS="--storage filesystem", which has no network, still runs."""
    assert "--network" not in reproduce_command()


def test_an_option_in_args_comes_last_and_wins():
    command = reproduce_command("NETWORK=internet", "ARGS=--network same-region")
    assert command.endswith("--network internet --network same-region")
