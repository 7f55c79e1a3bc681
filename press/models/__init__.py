from press.models.corrections import Correction
from press.models.gallery import ReleaseImage, Rendition
from press.models.organizations import Organization, OrganizationName, Person, Role
from press.models.quotes import Quote
from press.models.reads import ReleaseRead, ReleaseReadHour, ReleaseReferrer
from press.models.releases import Release
from press.models.topics import TaggedRelease, Topic, TopicRedirect
from press.models.workflow import PreviewDecision, PreviewLink, SlugRedirect, Transition

__all__ = [
    "Correction",
    "Organization",
    "OrganizationName",
    "Person",
    "PreviewDecision",
    "PreviewLink",
    "Quote",
    "Release",
    "ReleaseImage",
    "ReleaseRead",
    "ReleaseReadHour",
    "ReleaseReferrer",
    "Rendition",
    "Role",
    "SlugRedirect",
    "TaggedRelease",
    "Topic",
    "TopicRedirect",
    "Transition",
]
