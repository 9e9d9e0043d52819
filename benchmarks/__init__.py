"""Benchmarks and corpus generators (not part of the installed package)."""
