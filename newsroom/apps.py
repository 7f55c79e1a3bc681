from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project's own app: commands that span press and contacts (load_demo)."""

    name = "newsroom"
