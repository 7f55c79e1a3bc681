"""Load and scale benchmarks and audits, run on demand as modules from the repository's root
(`python -m bench.<name>`; `make bench`, `make audit`), never in `make test`; the large
newsroom they run on is `python -m bench.generate_data`. See bench/README.md.
"""
