"""What the wheel holds, where pyproject.toml cannot say it: every package of the apps (found,
so that a new module or folder needs no edit here), and the site's templates/, static/ and locale/,
which the repository keeps at its top level but the wheel carries inside the newsroom package,
where newsroom/settings.py looks for them once installed. bench/ and tests/ are not installed.
"""

from setuptools import find_namespace_packages, find_packages, setup

APPS = ["newsroom", "core", "press", "contacts", "api", "insights"]
# The repository's folders the wheel puts inside the newsroom package.
SHIPPED = {
    "newsroom.templates": "templates",
    "newsroom.static": "static",
    "newsroom.locale": "locale",
}


def shipped_packages():
    """Each shipped folder and every folder in it, as packages: setuptools installs the files
    of the packages it is told about, and warns about folders it is not."""
    return [
        name
        for package, folder in SHIPPED.items()
        for name in [package, *(f"{package}.{sub}" for sub in find_namespace_packages(folder))]
    ]


setup(
    packages=[*find_packages(include=[f"{app}*" for app in APPS]), *shipped_packages()],
    package_dir=SHIPPED,
    package_data={
        "newsroom": ["demo.toml"],
        "api": ["openapi.json"],
        **dict.fromkeys(shipped_packages(), ["*"]),
    },
)
