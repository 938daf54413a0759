"""Reports, written one way: a run folder (files.run_folder), a report
dict written as report.json, its Markdown and its plots by the study's
Reporter (files.write), and the Markdown pieces the writers share."""
