"""Benchmarks of publiceval's whole road against the tools a user would reach for instead.

Run ``python -m benchmarks --quick`` (a few minutes) or ``python -m benchmarks`` (province
sizes: 10M rows, 1,000 OPDs; about 15 minutes); ``--only`` picks stages and ``--help`` lists
them and the size flags. Needs the ``bench`` extra. Results and the machine they were measured
on: ``docs/performance.md``.
"""
