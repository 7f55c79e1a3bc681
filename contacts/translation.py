"""What readers see of the press offices, in each of the newsroom's languages
(django-modeltranslation, as press/translation.py does for people and topics): a column per
language beside the original, read in the same row, so the press contacts block and page keep
their query count; English is the fallback of an empty translation."""

from modeltranslation.translator import TranslationOptions, register

from contacts.models import PressContact, PressOffice


@register(PressOffice)
class PressOfficeTranslation(TranslationOptions):
    fields = ("name",)


@register(PressContact)
class PressContactTranslation(TranslationOptions):
    fields = ("title",)
