"""The project's wiring: settings, URLs and WSGI, the admin site with its guarded input and
two-factor sign-in, security headers, the site-wide views, and `load_demo` with the demo's
content (demo.toml).

It sits above the apps: it may import `contacts`, `press` and `core`, and none of them imports
it (pyproject.toml's import-linter contracts, checked by tests/test_structure.py).
"""
