from press.admin import people, releases, topics

__all__ = ["people", "releases", "topics"]
