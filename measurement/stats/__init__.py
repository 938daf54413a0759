"""Arithmetic the studies share: plain functions of figures, samples and
counts. Nothing here starts a process or reads a file."""
