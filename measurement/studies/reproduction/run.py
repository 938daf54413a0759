"""The 2013 README's measurements, each in a process of its own: load_photos,
the index page cold then warm, and generate_all_thumbnail_aliases."""

import time
from pathlib import Path

from counting.s3_bytes import all_kinds
from counting.s3_operations import all_operations
from counting.statement_kinds import all_statement_kinds
from measurement.harness.measured_command import (
    read_counts,
    report_figures,
    run_command,
)
from measurement.harness.run import Run, ScenarioFailed
from measurement.harness.session import session
from measurement.harness.site import (
    SETTLE_SECONDS,
    fetch_showing_progress,
    serving,
)
from measurement.metadata import project_aliases
from measurement.probes.samples import read_samples
from measurement.report import files
from measurement.stats import growth
from measurement.stats.rss import rss_figures
from measurement.studies.reproduction.answer import answer
from measurement.studies.reproduction.figures import per_photo
from measurement.studies.reproduction.markdown import REPORTER
from measurement.switches import Switches

LATEST = "latest"


def page_and_commands(peer: str | None) -> tuple[str, list[str], str]:
    """The page, the delete command and the generate command of a library."""
    if peer:
        return (
            "/peers/",
            ["delete_peer_thumbnails", "--noinput"],
            "generate_peer_thumbnails",
        )
    return (
        "/",
        ["delete_photo_thumbnails", "--noinput"],
        "generate_all_thumbnail_aliases",
    )


def index(
    run: Run,
    path: str = "/",
    loads_named: tuple[str, ...] = ("cold", "warm"),
    scenario: str = "index",
) -> dict:
    """Serve the site and load its page (path) once per name in loads_named:
    by default twice, cold then warm. With gunicorn the memory is the
    master's and its workers' added up."""
    with serving(run, scenario) as (port, log_path):
        time.sleep(SETTLE_SECONDS)
        loads = {}
        for name in loads_named:
            run.say(f"    GET {path} ({name}) ...")
            run.reset_s3_counts()
            started = time.time()
            try:
                status, body_bytes = fetch_showing_progress(
                    run, f"http://127.0.0.1:{port}{path}"
                )
            except OSError as error:
                raise ScenarioFailed(
                    f"GET {path} ({name}) failed: {error}; see {log_path}."
                ) from None
            finished = time.time()
            s3_requests, s3_bytes = run.s3_counts(), run.s3_bytes()
            time.sleep(SETTLE_SECONDS)
            run.say(
                f"    GET {path} ({name}): HTTP {status}, {finished - started:.2f} s"
            )
            loads[name] = {
                "seconds": round(finished - started, 3),
                "status": status,
                "body_bytes": body_bytes,
                "s3_requests": s3_requests,
                "s3_bytes": s3_bytes,
                "started": started,
                "settled": finished + SETTLE_SECONDS,
            }
    samples = read_samples(run.samples_path(scenario))
    requests = [
        r for r in read_counts(run.counts_path(scenario)) if r["event"] == "request"
    ]
    requests = [r for r in requests if r["path"] == path]
    if len(requests) != len(loads_named):
        raise ScenarioFailed(
            f"Expected {len(loads_named)} requests of {path} in the server, "
            f"counted {len(requests)}."
        )
    origin = samples[0].time_unix_seconds
    result = {}
    for (name, page), request in zip(loads.items(), requests, strict=True):
        result[name] = {
            "seconds": page["seconds"],
            "queries_count": request["queries_count"],
            "queries_by_kind": all_statement_kinds(request["queries_by_kind"]),
            "s3_requests": page["s3_requests"],
            "s3_bytes": page["s3_bytes"],
            **rss_figures(samples, page["started"], page["settled"]),
            "http_status": page["status"],
            "body_bytes": page["body_bytes"],
            "checks": {
                "s3_requests_client": all_operations(request["s3_requests"]),
                "s3_bytes_client": all_kinds(request["s3_bytes"]),
                "debug_queries_count": request["debug_queries_count"],
                "debug_transactions_count": request["debug_transactions_count"],
                "debug_lock_queries_count": request["debug_lock_queries_count"],
            },
            "phases": [
                {
                    "name": f"GET {path} {name}",
                    "start_seconds": round(page["started"] - origin, 3),
                    "end_seconds": round(page["started"] + page["seconds"] - origin, 3),
                }
            ],
        }
    result["rss_csv"] = f"rss-{scenario}.csv"
    return result


def generate(run: Run, command: str = "generate_all_thumbnail_aliases") -> dict:
    """command makes every alias of every photo, printing a line per photo."""
    measured = run_command(run, "generate", [command])
    photos = per_photo(measured["records"], measured["samples"])
    return {
        **report_figures(measured, "generate"),
        **growth.fit(photos),
        "per_photo": photos,
    }


def the_2013_scenarios(run: Run, peer: str | None, restarted_page: bool) -> dict:
    """The index page cold and warm, then generate: the 2013 README's figures."""
    page, delete, make = page_and_commands(peer)
    served_by = (
        f"gunicorn ({run.workers} workers)" if run.server == "gunicorn" else "runserver"
    )
    run.say(
        f"2/3 index: {served_by}, then {page} cold (every alias generated) and warm"
    )
    measured = {"index": index(run, page)}
    if restarted_page:
        run.say(f"    {page} again, from a restarted server")
        measured["index_restarted"] = index(
            run, page, ("restarted",), "index-restarted"
        )
    run.say(f"3/3 generate: delete the thumbnails, then {make}")
    run.say("    " + run.manage(*delete).strip())
    measured["generate"] = generate(run, make)
    return measured


def reproduce(
    switches: Switches, out_dir: Path, say=print, restarted_page: bool = False
) -> tuple[dict, Path]:
    """Run the three scenarios and write the report; with restarted_page,
    also load the page once more from a new server process, after the cold
    and warm loads."""
    with files.run_folder(out_dir) as (run_dir, started):
        say(f"Reproducing the 2013 measurements into {run_dir}/")
        with session(switches, run_dir, started, say) as run_session:
            load = run_session.load_photos(steps=3)
            measured = the_2013_scenarios(
                run_session.run, switches.peer, restarted_page
            )
            report = run_session.report({"load": load, **measured})
        report["answer"] = answer(report, len(project_aliases()))
        files.write(report, REPORTER, run_dir, run_dir.parent / LATEST)
    return report, run_dir
