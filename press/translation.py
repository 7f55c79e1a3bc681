"""What readers see of people, organizations and topics, in each of the newsroom's languages
(django-modeltranslation): one column per language beside the original in the same row, so a
page reads them without a join and its query count does not change. The English column is the
fallback: a role with no Spanish title prints its English one on a Spanish page."""

from modeltranslation.translator import TranslationOptions, register

from press.models import Organization, Role, Topic


@register(Role)
class RoleTranslation(TranslationOptions):
    fields = ("title",)


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("name", "short_name", "boilerplate")


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)
