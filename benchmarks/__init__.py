"""Benchmarks, apart from the tests: ``python -m benchmarks`` (``make bench``)."""
