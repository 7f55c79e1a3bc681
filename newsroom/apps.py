from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class NewsroomConfig(AppConfig):
    name = "newsroom"

    def ready(self):
        from contacts.models import PressContact, PressOffice
        from newsroom.caching import content_changed
        from press.models import (
            Organization,
            Person,
            Quote,
            Release,
            ReleaseImage,
            Role,
            TaggedRelease,
            Topic,
        )

        # Anything a public page shows makes the cached pages stale when it changes.
        public_content = [
            Organization, Person, Quote, Release, ReleaseImage, Role, TaggedRelease, Topic,
            PressContact, PressOffice,
        ]  # fmt: skip
        for model in public_content:
            post_save.connect(content_changed, sender=model, dispatch_uid=f"pages-{model}")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"pages-d-{model}")
        for through in [Release.people.through, Release.organizations.through]:
            m2m_changed.connect(content_changed, sender=through, dispatch_uid=f"pages-{through}")
