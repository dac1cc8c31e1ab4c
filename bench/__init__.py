"""azresp's benchmarks: run on demand with ``python -m bench`` (see bench/README.md)."""
