from press.admin import people, releases

__all__ = ["people", "releases"]
