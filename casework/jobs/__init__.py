"""Timed work: the scheduler process (`flask --app casework scheduler`) and its jobs, which call
services. Never started inside a web worker (DESIGN.md §5)."""
