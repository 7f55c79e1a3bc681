"""The generated newsroom of `python -m bench.generate_data`, by what it generates: the
directory (organizations, people, topics), releases, and contacts (press offices, media
contacts, subscribers); with the draws they share, the bulk writer and the search vectors."""
