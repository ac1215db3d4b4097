"""Benchmarks of publiceval against the tools a user would reach for instead.

Run ``python -m benchmarks --quick`` (under a minute) or ``python -m benchmarks`` (full sizes);
``--help`` lists the size flags. Needs the ``bench`` extra (pandas, pyarrow, samplics).
"""
