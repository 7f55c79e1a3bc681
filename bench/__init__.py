"""Load and scale benchmarks, run on demand (`make bench`, `make audit`), never in `make test`."""
