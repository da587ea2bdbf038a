"""Benchmarks that print figures: `make bench` (or `.venv/bin/python -m bench`) runs them all."""
