"""The words, names and places the generated rows are made of, and the kinds they come in."""

import zoneinfo

from contacts.models import Subscriber
from press.models import Organization, Role

WORDS = """
city cities resilience resilient climate heat flood floods water coastal urban network mayor
mayors council partnership partners program programme community communities neighborhood
housing infrastructure transport transit energy solar grid storm storms drought wildfire risk
risks adaptation planning plan strategy strategies funding fund investment investments
finance bond bonds public private sector health hospital schools school youth jobs economy
economic recovery emergency response preparedness data research report study survey index
pilot project projects launch launches announces announced commitment commitments leaders
leadership summit forum conference workshop members member global regional local national
international cooperation collaboration support new first annual million billion residents
citizens people families workers businesses green trees parks river rivers sea level rise
rain rainfall cooling shade buildings roads bridges ports food security equity inclusion
women children elderly vulnerable neighborhoods districts region country countries year years
week month today tomorrow future past present goal goals target targets progress results
impact impacts lessons practice practices tools guide toolkit training experts officials
government governments agency agencies foundation foundations university universities
""".split()
ADJECTIVES = """
Urban Coastal Climate Water Heat Flood Green Digital Social Economic Public Community Housing
Energy Transport Health Food Youth Regional Global Local Circular Blue Nature Disaster
""".split()
NOUNS = """
Resilience Adaptation Planning Finance Equity Security Innovation Infrastructure Recovery
Preparedness Mobility Governance Partnerships Data Research Policy Leadership Inclusion Risk
Justice Systems Networks Solutions Investment Action
""".split()
FIRST_NAMES = """
Maria James Aisha Wei Olga Carlos Fatima John Priya Ahmed Sofia Liam Chen Amara Lucas Yuki
Elena Omar Grace David Nadia Kwame Laura Mateo Hana Samuel Ines Ivan Zara Daniel Mei Tomas
Leila Peter Ana Ravi Claire Jorge Noor Michael Sara Kenji Julia Ali Emma Pablo Lina Arjun
Rosa Felix Amina Hugo Chloe Diego Yara Oscar Nina Marco Alice Tariq Eva Jonas Lucia Kofi
Helen Andre Maya Samir Irene Victor Dana Paulo Rita Min Tara Bruno Lea Hassan Vera Nikolai
""".split()
LAST_NAMES = """
Garcia Smith Okafor Wang Petrova Silva Haddad Johnson Sharma Khan Rossi Murphy Chen Mensah
Martin Tanaka Popescu Farouk Kim Cohen Nguyen Boateng Muller Lopez Sato Adeyemi Costa Ivanov
Ali Park Novak Santos Yilmaz Brown Fernandez Kowalski Hansen Dubois Moreau Schmidt Rahman
Tan Nakamura Oliveira Mwangi Jensen Bianchi Lee Walker Reyes Hughes Abdi Lindqvist Castro
Diaz Sokolov Ahmed Evans Takahashi Wilson Asante Kruger Suzuki Romero Herrera Larsen Singh
Patel Okonkwo Horvat Vargas Nieminen Gomez Stewart Chowdhury Bauer Ortiz Hassan Eriksen Kaur
""".split()
INITIALS = "ABCDEFGHJKLMNPRSTW"
HONORIFICS = ["", "", "", "", "Dr.", "Mr.", "Ms."]
# (place as printed in datelines, country, time zone)
PLACES = [
    ("New York", "United States", "America/New_York"),
    ("Houston", "United States", "America/Chicago"),
    ("Los Angeles", "United States", "America/Los_Angeles"),
    ("Mexico City", "Mexico", "America/Mexico_City"),
    ("Bogota", "Colombia", "America/Bogota"),
    ("Sao Paulo", "Brazil", "America/Sao_Paulo"),
    ("Buenos Aires", "Argentina", "America/Argentina/Buenos_Aires"),
    ("London", "United Kingdom", "Europe/London"),
    ("Paris", "France", "Europe/Paris"),
    ("Rotterdam", "Netherlands", "Europe/Amsterdam"),
    ("Athens", "Greece", "Europe/Athens"),
    ("Istanbul", "Turkey", "Europe/Istanbul"),
    ("Lagos", "Nigeria", "Africa/Lagos"),
    ("Nairobi", "Kenya", "Africa/Nairobi"),
    ("Cape Town", "South Africa", "Africa/Johannesburg"),
    ("Accra", "Ghana", "Africa/Accra"),
    ("Dubai", "United Arab Emirates", "Asia/Dubai"),
    ("Chennai", "India", "Asia/Kolkata"),
    ("Dhaka", "Bangladesh", "Asia/Dhaka"),
    ("Bangkok", "Thailand", "Asia/Bangkok"),
    ("Jakarta", "Indonesia", "Asia/Jakarta"),
    ("Singapore", "Singapore", "Asia/Singapore"),
    ("Manila", "Philippines", "Asia/Manila"),
    ("Seoul", "South Korea", "Asia/Seoul"),
    ("Tokyo", "Japan", "Asia/Tokyo"),
    ("Sydney", "Australia", "Australia/Sydney"),
    ("Wellington", "New Zealand", "Pacific/Auckland"),
]
ZONES = {zone: zoneinfo.ZoneInfo(zone) for _, _, zone in PLACES}
ORGANIZATION_PATTERNS = [
    ("City of {place}", Organization.Kind.CITY_GOVERNMENT),
    ("{place} {noun} Office", Organization.Kind.CITY_GOVERNMENT),
    ("{adjective} {noun} Foundation", Organization.Kind.FOUNDATION),
    ("{place} {adjective} Fund", Organization.Kind.FOUNDATION),
    ("{adjective} {noun} Network", Organization.Kind.NETWORK),
    ("{last} {noun} Group", Organization.Kind.COMPANY),
    ("{place} {adjective} Partners", Organization.Kind.COMPANY),
    ("The {place} {adjective} Herald", Organization.Kind.MEDIA),
    ("{adjective} {noun} Institute", Organization.Kind.OTHER),
]
ROLE_TITLES = [
    ("Mayor", Role.Kind.ELECTED_OFFICIAL),
    ("Deputy Mayor", Role.Kind.ELECTED_OFFICIAL),
    ("Chief Resilience Officer", Role.Kind.STAFF),
    ("Executive Director", Role.Kind.EXECUTIVE),
    ("Director of Programs", Role.Kind.EXECUTIVE),
    ("Board member", Role.Kind.BOARD),
    ("Chair of the Board", Role.Kind.BOARD),
    ("Program Manager", Role.Kind.STAFF),
    ("Senior Advisor", Role.Kind.OTHER),
]
# The first people lead the newsroom's own organization: its leadership page.
LEADERS = 12
LEADER_TITLES = ROLE_TITLES[3:7]
TITLE_VERBS = "launches announces joins expands renews welcomes publishes opens celebrates".split()
TITLE_ADJECTIVES = ["new", "first", "annual", "expanded", "joint", "regional"]
OUTLET_NAMES = ["Times", "Post", "Radio", "Daily", "Review", "Wire", "Journal", "News", "Observer"]
JOB_TITLES = ["Reporter", "Editor", "Correspondent", "Producer", "Columnist", "Freelancer"]
LANGUAGES = ["English", "Spanish", "French", "Portuguese", "Korean", "Japanese", "Arabic"]
SUBSCRIBER_STATUSES = [
    (Subscriber.Status.CONFIRMED, 70),
    (Subscriber.Status.PENDING, 15),
    (Subscriber.Status.PAUSED, 5),
    (Subscriber.Status.UNSUBSCRIBED, 10),
]
