"""An archive of old releases, of the shapes a press office moves into a new newsroom: datelines
with no date, with the date in brackets after the place, with the organization in brackets;
publication dates in the past; a speaker holding two roles at once; a role that went from
acting to permanent; and the byline organization renamed between two releases.

The organizations, people and releases are invented; the prose is this file's own. Read by the
Chromium test that enters the archive through the admin (tests/browser/test_archive_entry.py),
which checks each public page against what was typed here.
"""

import datetime
from dataclasses import dataclass, field

D = datetime.date

# The byline: renamed on 1 July 2020. The archive is entered after the rename happened in
# real life, but the editor records it in the admin between two releases, as it came up.
OLD_NAME, NEW_NAME = "Coastal Cities Network", "Coastal Cities Alliance"
OLD_SLUG, NEW_SLUG = "coastal-cities-network", "coastal-cities-alliance"
RENAMED_AFTER = D(2020, 6, 30)  # the last day of the old name
BOILERPLATE = (
    "The network brings together port cities that plan for rising seas, heat and storms, and "
    "shares what works between their engineers, planners and mayors."
)

ORGANIZATIONS = [
    # name, slug, kind
    ("City of Port Amara", "city-of-port-amara", "city_government"),
    ("Port Amara Water Authority", "port-amara-water-authority", "other"),
    ("Delta Research Institute", "delta-research-institute", "foundation"),
]


@dataclass
class Role:
    title: str
    organization: str
    start: datetime.date | None = None
    end: datetime.date | None = None


@dataclass
class Person:
    name: str
    slug: str
    roles: list[Role]


# Ines Duarte holds two roles at once from May 2019: mayor, and chair of the byline's board.
DUARTE = Person(
    "Ines Duarte",
    "ines-duarte",
    [
        Role("Mayor", "City of Port Amara", D(2017, 10, 1)),
        Role("Chair of the Board", OLD_NAME, D(2019, 5, 1)),
    ],
)
# Tomas Okoro ran the water authority as acting director, then was confirmed. Entered by the
# editor in the person admin, the acting role first without its end: the admin flags it.
OKORO = Person(
    "Tomas Okoro",
    "tomas-okoro",
    [
        Role("Acting Director", "Port Amara Water Authority", D(2019, 9, 1), D(2020, 11, 30)),
        Role("Director", "Port Amara Water Authority", D(2020, 12, 1)),
    ],
)
MENSAH = Person(
    "Abena Mensah",
    "abena-mensah",
    [Role("Senior Researcher", "Delta Research Institute", D(2015, 2, 1))],
)
PEOPLE_SET_UP = [DUARTE, MENSAH]  # Okoro is typed in the person admin by the test


@dataclass
class Quote:
    person: str
    text: str
    # The roles the editor picks to print, in order (labels as the quote form offers them);
    # none: every role held on the date, oldest first.
    roles: list[str] = field(default_factory=list)
    printed: str = ""  # what the public page must print after the speaker's name


@dataclass
class Release:
    title: str
    slug: str
    place: str
    date: datetime.date  # the dateline date, which is also the date in the address
    # Typed into "Published at": in the past, the morning after the dateline (the old site put
    # releases online the next day).
    published: datetime.datetime
    time_zone: str
    summary: str
    body: str
    quotes: list[Quote]
    override: str = ""  # a dateline of an unusual shape, printed exactly as typed
    byline: str = ""  # the name the page must print under "Written by"
    date_typed_late: bool = False  # saved as a draft first without its date

    @property
    def url(self):
        return f"/releases/{self.date:%Y/%m/%d}/{self.slug}/"

    @property
    def printed_dateline(self):
        """Defect 2: an override as typed; otherwise the house style of the reference page."""
        if self.override:
            return self.override
        return f"({self.place}, {self.date:%B} {self.date.day}, {self.date.year})"


def at(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute)  # read in the release's zone


RELEASES = [
    Release(
        title="Port Amara opens its first cooling centres",
        slug="port-amara-opens-its-first-cooling-centres",
        place="PORT AMARA",
        date=D(2018, 7, 12),
        published=at(2018, 7, 13, 10, 30),
        time_zone="Europe/Lisbon",
        summary="Six libraries stay open late as cooling centres through the summer.",
        body="Six public libraries will open until midnight on days above 35 degrees.",
        quotes=[
            Quote(
                "Ines Duarte",
                "Nobody in this city should have to sit out a heatwave alone in a hot flat.",
                printed="Mayor, City of Port Amara",
            )
        ],
        byline=OLD_NAME,
    ),
    Release(
        # A dateline with no date: the place alone, with a dash.
        title="Network members publish a shared flood map",
        slug="network-members-publish-a-shared-flood-map",
        place="LISBON",
        date=D(2019, 2, 20),
        published=at(2019, 2, 21, 9, 0),
        time_zone="Europe/Lisbon",
        summary="Eleven member cities put their flood records into one open map.",
        body="The map joins tide gauges and street reports from eleven harbours.",
        quotes=[
            Quote(
                "Abena Mensah",
                "A flood map is only as good as the oldest record in it, so we started there.",
                printed="Senior Researcher, Delta Research Institute",
            )
        ],
        override="LISBON –",
        byline=OLD_NAME,
    ),
    Release(
        # The date in brackets after the place.
        title="Mayor Duarte takes the chair of the network's board",
        slug="mayor-duarte-takes-the-chair",
        place="NAIROBI",
        date=D(2019, 5, 2),
        published=at(2019, 5, 3, 8, 0),
        time_zone="Africa/Nairobi",
        summary="The mayor of Port Amara is elected chair at the annual assembly.",
        body="Members elected the board at their annual assembly, held this year in Nairobi.",
        quotes=[
            Quote(
                "Ines Duarte",
                "I take the chair of a network that taught my city most of what it knows.",
                # Two roles on the day, printed in the order the editor picks.
                roles=[
                    f"Chair of the Board, {OLD_NAME} (from 1 May 2019)",
                    "Mayor, City of Port Amara (from 1 October 2017)",
                ],
                printed=f"Chair of the Board, {OLD_NAME} and Mayor, City of Port Amara",
            )
        ],
        override="NAIROBI (May 2, 2019) –",
        byline=OLD_NAME,
    ),
    Release(
        # Entered after the rename was recorded, dated before it: the old name is printed.
        # The organization in brackets before the place.
        title="Water authority names an acting director",
        slug="water-authority-names-an-acting-director",
        place="PORT AMARA",
        date=D(2020, 3, 10),
        published=at(2020, 3, 11, 11, 0),
        time_zone="Europe/Lisbon",
        summary="Tomas Okoro leads the authority while the board looks for a director.",
        body="The authority's board asked its head of operations to lead it for the time being.",
        quotes=[
            Quote(
                "Tomas Okoro",
                "The pipes do not wait for the board, and neither will we.",
                printed="Acting Director, Port Amara Water Authority",
            ),
            Quote(
                "Ines Duarte",
                "Tomas knows every valve in this city by name.",
                roles=["Mayor, City of Port Amara (from 1 October 2017)"],
                printed="Mayor, City of Port Amara",
            ),
        ],
        override=f"({OLD_NAME}) – PORT AMARA.",
        byline=OLD_NAME,
    ),
    Release(
        # Saved as a draft before its date was typed (defect 3): on today's date Okoro is the
        # director; on the release's date he was still acting, which the page must print.
        title="Port Amara finishes the harbour wall",
        slug="port-amara-finishes-the-harbour-wall",
        place="PORT AMARA",
        date=D(2020, 10, 5),
        published=at(2020, 10, 6, 15, 0),
        time_zone="Europe/Lisbon",
        summary="The last section of the new harbour wall is in place before the winter storms.",
        body="Four kilometres of wall now stand between the old town and the winter sea.",
        quotes=[
            Quote(
                "Tomas Okoro",
                "This wall was designed for the sea of 2080, not the sea of today.",
                printed="Acting Director, Port Amara Water Authority",
            ),
            Quote(
                "Ines Duarte",
                "The old town will sleep better this winter.",
                printed=f"Mayor, City of Port Amara and Chair of the Board, {NEW_NAME}",
            ),
        ],
        byline=NEW_NAME,
        date_typed_late=True,
    ),
    Release(
        title="Water authority confirms its director",
        slug="water-authority-confirms-its-director",
        place="PORT AMARA",
        date=D(2021, 4, 14),
        published=at(2021, 4, 15, 10, 0),
        time_zone="Europe/Lisbon",
        summary="After fifteen months as acting director, Tomas Okoro is confirmed.",
        body="The board confirmed the appointment unanimously at its April meeting.",
        quotes=[
            Quote(
                "Tomas Okoro",
                "Nothing changes on Monday except the sign on my door.",
                printed="Director, Port Amara Water Authority",
            )
        ],
        byline=NEW_NAME,
    ),
]

# Entered before the editor records the rename in the admin; the others after it.
BEFORE_RENAME = RELEASES[:3]
AFTER_RENAME = RELEASES[3:]
