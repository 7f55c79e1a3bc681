from contacts.admin import mailings, media, public

__all__ = ["mailings", "media", "public"]
