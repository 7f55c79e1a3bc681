"""Demo data for `manage.py load_demo`: plain constants, loaded by the command.

References between records use slugs (organizations, people, topics). Organizations are listed
parents first. A release's `published_at` is the wall-clock time at its dateline; the command
reads it in `dateline_time_zone`. A release without a "slug" gets one from its title.
"""

from datetime import date, datetime

ORGANIZATIONS = [
    {
        "slug": "the-rockefeller-foundation",
        "name": "The Rockefeller Foundation",
        "kind": "foundation",
        "city": "New York",
        "country": "United States",
        "website": "https://www.rockefellerfoundation.org/",
        "boilerplate": (
            "The Rockefeller Foundation is a private philanthropy based in New York. It funds "
            "work on health, food, energy and economic opportunity around the world."
        ),
    },
    {
        "slug": "100-resilient-cities",
        "name": "100 Resilient Cities",
        "short_name": "100RC",
        "kind": "other",
        "city": "New York",
        "country": "United States",
        "website": "https://www.100resilientcities.org/",
        "parent": "the-rockefeller-foundation",
        "boilerplate": (
            "100 Resilient Cities was a programme of The Rockefeller Foundation that helped "
            "cities around the world appoint resilience officers and write resilience "
            "strategies. Its member cities went on to form the Resilient Cities Network."
        ),
    },
    {
        "slug": "city-of-seoul",
        "name": "City of Seoul",
        "kind": "city_government",
        "city": "Seoul",
        "country": "South Korea",
        "website": "https://english.seoul.go.kr/",
    },
    {
        "slug": "seoul-metropolitan-government",
        "name": "Seoul Metropolitan Government",
        "short_name": "SMG",
        "kind": "city_government",
        "city": "Seoul",
        "country": "South Korea",
        "website": "https://english.seoul.go.kr/",
        "parent": "city-of-seoul",
        "boilerplate": (
            "The Seoul Metropolitan Government runs the public services of the Korean capital, "
            "a city of close to ten million people. Its resilience work spans disaster safety, "
            "open data and care for residents most exposed to heat, floods and isolation."
        ),
    },
    {
        "slug": "city-of-houston",
        "name": "City of Houston",
        "kind": "city_government",
        "city": "Houston",
        "country": "United States",
        "website": "https://www.houstontx.gov/",
        "boilerplate": (
            "The City of Houston serves the fourth-largest city in the United States. After "
            "years of hurricanes, floods and freezes, it plans for resilience across housing, "
            "drainage, energy and public health, together with its residents and partners."
        ),
    },
    {
        "slug": "resilient-cities-network",
        "name": "Resilient Cities Network",
        "short_name": "R-Cities",
        "kind": "network",
        "city": "Singapore",
        "country": "Singapore",
        "website": "https://resilientcitiesnetwork.org/",
        "boilerplate": (
            "Resilient Cities Network (R-Cities) is a non-profit run by and for its member "
            "cities. From its base in Singapore it helps city governments, resilience officers "
            "and local communities learn from one another, find partners and raise money for "
            "projects that prepare their cities for floods, heat, pandemics and economic shocks."
        ),
    },
]

PEOPLE = [
    {
        "slug": "lauren-sorkin",
        "name": "Lauren Sorkin",
        "honorific": "Ms.",
        "bio": (
            "Lauren Sorkin leads the Resilient Cities Network as its Executive Director, "
            "working with member cities on every continent."
        ),
    },
    {
        "slug": "kyungsun-chung",
        "name": "Kyungsun Chung",
        "honorific": "Mr.",
        "bio": (
            "Kyungsun Chung works on sustainable finance and impact investing in Korea. He "
            "joined the board of the Resilient Cities Network in September 2021."
        ),
    },
    {
        "slug": "sylvester-turner",
        "name": "Sylvester Turner",
        "honorific": "Mr.",
        "bio": (
            "Sylvester Turner served as Mayor of Houston from 2016 to 2023 and chaired the "
            "board of the Resilient Cities Network."
        ),
    },
    {
        "slug": "oh-se-hoon",
        "name": "Oh Se-hoon",
        "honorific": "Mr.",
        "bio": "Oh Se-hoon has been Mayor of Seoul since April 2021.",
    },
    {
        "slug": "nikki-rudnick",
        "name": "Nikki Rudnick",
        "honorific": "Ms.",
        "bio": "Nikki Rudnick handles media relations for the Resilient Cities Network.",
        "email": "press@resilientcitiesnetwork.org",
        "phone": "+1 212 555 0148",
    },
]

ROLES = [
    {
        "person": "lauren-sorkin",
        "organization": "resilient-cities-network",
        "title": "Executive Director",
        "kind": "executive",
        "start_date": date(2020, 6, 1),
    },
    {
        "person": "kyungsun-chung",
        "organization": "resilient-cities-network",
        "title": "Board member",
        "kind": "board",
        "start_date": date(2021, 9, 23),
    },
    {
        "person": "sylvester-turner",
        "organization": "city-of-houston",
        "title": "Mayor",
        "kind": "elected_official",
        "start_date": date(2016, 1, 2),
        "end_date": date(2023, 12, 31),
    },
    {
        "person": "sylvester-turner",
        "organization": "resilient-cities-network",
        "title": "Chair of the Board",
        "kind": "board",
        "start_date": date(2020, 1, 1),
        "end_date": date(2023, 12, 31),
    },
    {
        "person": "oh-se-hoon",
        "organization": "city-of-seoul",
        "title": "Mayor",
        "kind": "elected_official",
        "start_date": date(2021, 4, 8),
    },
    {
        "person": "nikki-rudnick",
        "organization": "resilient-cities-network",
        "title": "Communications Manager",
        "kind": "staff",
    },
]

TOPICS = [
    {
        "slug": "urban-resilience",
        "name": "Urban Resilience",
        "description": "How cities prepare for shocks and stresses, and recover from them.",
    },
    {
        "slug": "board-of-directors",
        "name": "Board of Directors",
        "description": "Who governs the Network, and the decisions they take.",
    },
    {
        "slug": "partnerships",
        "name": "Partnerships",
        "description": "Cities, funders and companies working with the Network.",
    },
    {
        "slug": "asia-pacific",
        "name": "Asia Pacific",
        "description": "News from member cities in Asia and the Pacific.",
    },
    {
        "slug": "north-america",
        "name": "North America",
        "description": "News from member cities in the United States, Canada and Mexico.",
    },
    {
        "slug": "latin-america",
        "name": "Latin America",
        "description": "News from member cities in Latin America and the Caribbean.",
    },
    {
        "slug": "climate-adaptation",
        "name": "Climate Adaptation",
        "description": "Living with heat, drought, storms and rising seas.",
    },
    {
        "slug": "water-resilience",
        "name": "Water Resilience",
        "description": "Flooding, drainage and secure water supplies.",
    },
    {
        "slug": "resilience-finance",
        "name": "Resilience Finance",
        "description": "Paying for resilience: funds, bonds and project preparation.",
    },
    {
        "slug": "pandemic-recovery",
        "name": "Pandemic Recovery",
        "description": "How cities responded to COVID-19 and rebuilt afterwards.",
    },
    {
        "slug": "events",
        "name": "Events",
        "description": "Forums, summits and workshops the Network holds or joins.",
    },
]

REFERENCE_TITLE = (
    "Resilient Cities Network strengthens ties to Korea, adding new Leadership and renewing "
    "Commitments to Collaboration"
)

RELEASES = [
    {
        "title": "Houston invites residents to shape its first resilience strategy",
        "byline": "city-of-houston",
        "dateline_place": "HOUSTON, Texas",
        "dateline_time_zone": "America/Chicago",
        "dateline_date": date(2019, 5, 14),
        "published_at": datetime(2019, 5, 14, 10, 0),
        "summary": (
            "A series of neighborhood workshops will collect ideas on flooding, housing and "
            "jobs for the strategy Houston is writing with 100 Resilient Cities."
        ),
        "body": (
            "<p>The City of Houston will hold a series of public workshops over the summer to "
            "hear what residents want from the city's first resilience strategy.</p>"
            "<p>The sessions will take place in libraries and community centers across the "
            "city. Each will ask the same questions: which risks worry people most, what has "
            "helped their street recover after past storms, and where the city should spend "
            "first.</p>"
            "<p>The strategy is being prepared with support from 100 Resilient Cities, the "
            "programme pioneered by The Rockefeller Foundation, and will be published in "
            "2020.</p>"
            "<p>Dates, places and an online survey for those who cannot attend are listed on "
            "the city's website.</p>"
        ),
        "topics": ["urban-resilience", "north-america", "water-resilience"],
        "people": ["sylvester-turner"],
        "organizations": ["100-resilient-cities", "the-rockefeller-foundation"],
        "quotes": [
            {
                "person": "sylvester-turner",
                "text": (
                    "Nobody knows a neighborhood's weak spots better than the people who "
                    "live there. We want their experience written into this plan."
                ),
            },
        ],
    },
    {
        "title": "Seoul publishes its strategy for urban resilience",
        "byline": "seoul-metropolitan-government",
        "dateline_place": "SEOUL",
        "dateline_time_zone": "Asia/Seoul",
        "dateline_date": date(2019, 10, 8),
        "published_at": datetime(2019, 10, 8, 11, 0),
        "summary": (
            "Resilient Seoul sets out how the capital will prepare for disasters, an ageing "
            "population and economic change, with data and local communities at its center."
        ),
        "body": (
            "<p>The Seoul Metropolitan Government today published Resilient Seoul, the city's "
            "strategy for urban resilience, after three years of work with residents, experts "
            "and the 100 Resilient Cities programme.</p>"
            "<p>The strategy groups its actions under a few broad aims: safer infrastructure, "
            "neighborhoods where people know and help each other, and city decisions based on "
            "shared, openly available data.</p>"
            "<p>Several departments will report on their progress every year, and the city "
            "will publish the figures it uses to measure it.</p>"
        ),
        "topics": ["urban-resilience", "asia-pacific"],
        "organizations": ["city-of-seoul", "100-resilient-cities"],
    },
    {
        "title": "Resilient Cities Network launches to carry on the work of 100 Resilient Cities",
        "byline": "resilient-cities-network",
        "dateline_place": "NEW YORK",
        "dateline_time_zone": "America/New_York",
        "dateline_date": date(2020, 7, 9),
        "published_at": datetime(2020, 7, 9, 9, 0),
        "summary": (
            "Former members of 100 Resilient Cities have formed an independent, city-led "
            "network to keep sharing what works."
        ),
        "body": (
            "<p>Cities that took part in 100 Resilient Cities have come together in a new, "
            "independent organization: the Resilient Cities Network.</p>"
            "<p>The Network will be governed by its members and will keep the practices that "
            "made the earlier programme useful, among them chief resilience officers inside "
            "city halls and a habit of sharing lessons openly between cities.</p>"
            "<p>The Rockefeller Foundation, which founded 100 Resilient Cities in 2013, is "
            "supporting the Network through its first years.</p>"
            "<p>The Network's first task will be helping its members plan a recovery from "
            "COVID-19 that leaves them better prepared for the next crisis.</p>"
        ),
        "topics": ["partnerships", "urban-resilience", "pandemic-recovery"],
        "people": ["lauren-sorkin", "sylvester-turner"],
        "organizations": ["100-resilient-cities", "the-rockefeller-foundation"],
        "media_contact": "nikki-rudnick",
        "quotes": [
            {
                "person": "lauren-sorkin",
                "text": (
                    "Our cities asked for a network that they own and steer. That is what we "
                    "are starting today."
                ),
            },
            {
                "person": "sylvester-turner",
                "text": (
                    "Houston learned a great deal from other cities after Harvey. We intend to "
                    "keep that conversation going."
                ),
            },
        ],
    },
    {
        "title": "Member cities compare notes on a resilient recovery",
        "byline": "resilient-cities-network",
        "dateline_place": "ROTTERDAM",
        "dateline_time_zone": "Europe/Amsterdam",
        "dateline_date": date(2020, 11, 18),
        "published_at": datetime(2020, 11, 18, 14, 0),
        "summary": (
            "An online meeting hosted from Rotterdam brought together resilience officers to "
            "share what has and has not worked in the first months of the pandemic."
        ),
        "body": (
            "<p>More than forty resilience officers met online this week, hosted from "
            "Rotterdam, to compare how their cities have coped with COVID-19 so far.</p>"
            "<h2>What cities shared</h2>"
            "<p>Several described how they turned their resilience teams into coordination "
            "units for food deliveries, shelters and care for older residents. Others spoke "
            "about protecting small businesses through months of closures.</p>"
            "<p>The Network will collect these accounts into a short guide for members, to be "
            "published early next year.</p>"
        ),
        "topics": ["pandemic-recovery", "events", "urban-resilience"],
        "people": ["lauren-sorkin"],
        "media_contact": "nikki-rudnick",
        "quotes": [
            {
                "person": "lauren-sorkin",
                "text": (
                    "No city has a complete answer to this pandemic, but between them our "
                    "members have tried almost everything. That is worth writing down."
                ),
            },
        ],
    },
    {
        "title": "Houston shares lessons from the February freeze with peer cities",
        "byline": "city-of-houston",
        "dateline_place": "HOUSTON, Texas",
        "dateline_time_zone": "America/Chicago",
        "dateline_date": date(2021, 4, 20),
        "published_at": datetime(2021, 4, 20, 10, 30),
        "summary": (
            "Houston officials walked other Network cities through the winter storm that cut "
            "power and water to millions, and what the city is changing as a result."
        ),
        "body": (
            "<p>Houston officials briefed fellow members of the Resilient Cities Network this "
            "week on February's winter storm, which left much of the city without power or "
            "safe water for days.</p>"
            "<p>They described how warming centers were opened, how bottled water reached "
            "residents who could not travel, and where communication with the public fell "
            "short.</p>"
            "<p>The city is reviewing its emergency plans for extreme cold, a hazard that had "
            "received little attention in a city better known for heat and hurricanes.</p>"
        ),
        "topics": ["climate-adaptation", "north-america", "partnerships"],
        "people": ["sylvester-turner"],
        "organizations": ["resilient-cities-network"],
        "quotes": [
            {
                "person": "sylvester-turner",
                "text": (
                    "We were tested by a kind of storm we had not planned for. Other cities "
                    "should not have to learn that lesson the hard way."
                ),
            },
        ],
    },
    {
        "title": REFERENCE_TITLE,
        "is_pinned": True,
        "byline": "resilient-cities-network",
        "dateline_place": "SINGAPORE",
        "dateline_time_zone": "Asia/Singapore",
        "dateline_date": date(2021, 9, 23),
        "published_at": datetime(2021, 9, 23, 9, 0),
        "summary": (
            "Sustainable-finance specialist Kyungsun Chung joins the Network's board, and "
            "Seoul confirms its membership days before the city hosts its International "
            "Urban Resilience Forum."
        ),
        "body": (
            "<p>Resilient Cities Network (R-Cities) today named Kyungsun Chung, a specialist "
            "in sustainability finance and impact investing, to its global Board of "
            "Directors. On the same day, the Seoul Metropolitan Government confirmed that the "
            "City of Seoul will remain a member of the Network.</p>"
            "<p>Both announcements come a week before the International Urban Resilience "
            "Forum Seoul 2021, at a time when cities are trying to steer their economies out "
            "of the COVID-19 pandemic without losing sight of longer-term risks.</p>"
            "<h2>A partnership that began in 2016</h2>"
            "<p>Seoul's relationship with the Network goes back to 2016, when the city joined "
            "100 Resilient Cities, the programme pioneered by The Rockefeller Foundation. "
            "Since publishing its resilience strategy in 2019, Seoul has concentrated on open "
            "data, better-connected city services and stronger neighborhood ties. Under Mayor "
            "Oh Se-hoon the city has now renewed its commitment to working alongside peer "
            "cities.</p>"
            "<p>Executive Director Lauren Sorkin will take part in the forum in Seoul at the "
            "invitation of the Seoul Metropolitan Government. She will talk about how cities "
            "can put new technology to work for resilience while making sure that no resident "
            "is left offline.</p>"
        ),
        "topics": ["board-of-directors", "partnerships", "asia-pacific", "urban-resilience"],
        "people": ["lauren-sorkin", "sylvester-turner", "kyungsun-chung", "oh-se-hoon"],
        "organizations": [
            "seoul-metropolitan-government",
            "city-of-houston",
            "the-rockefeller-foundation",
            "100-resilient-cities",
        ],
        "media_contact": "nikki-rudnick",
        "quotes": [
            {
                "person": "lauren-sorkin",
                "attribution": "Executive Director, Resilient Cities Network",
                "text": (
                    "Kyungsun has spent his career showing how money can be made to work for "
                    "people and the planet. That experience is exactly what our board needs "
                    "as cities look for ways to pay for the resilience they are planning."
                ),
            },
            {
                "person": "sylvester-turner",
                "attribution": "Mayor of Houston and Chair of the Resilient Cities Network Board",
                "text": (
                    "Seoul shows what a city can do when it treats resilience as everyday work "
                    "rather than a special project. Having Seoul stay with the Network is good "
                    "news for every member, Houston included, and our board will be stronger "
                    "for Kyungsun's experience."
                ),
            },
            {
                "person": "kyungsun-chung",
                "attribution": "Board member, Resilient Cities Network",
                "text": (
                    "Cities learn fastest when they learn from each other, and this Network "
                    "makes that possible. I am honored to join the board, and I want to help "
                    "it bring new partners and new money to the cities and people who need "
                    "them most."
                ),
            },
        ],
    },
    {
        "title": "Seoul forum asks what resilience means after the pandemic",
        "byline": "seoul-metropolitan-government",
        "dateline_place": "SEOUL",
        "dateline_time_zone": "Asia/Seoul",
        "dateline_date": date(2021, 9, 30),
        "published_at": datetime(2021, 9, 30, 10, 0),
        "summary": (
            "The International Urban Resilience Forum Seoul 2021 gathered cities and experts "
            "from across Asia to discuss recovery, technology and inclusion."
        ),
        "body": (
            "<p>The Seoul Metropolitan Government hosted the International Urban Resilience "
            "Forum Seoul 2021 this week, with city officials and researchers from across Asia "
            "taking part in person and online.</p>"
            "<p>Speakers looked at how the pandemic changed the way cities think about risk, "
            "and at the part digital services played in keeping residents informed and "
            "cared for.</p>"
            "<p>Lauren Sorkin of the Resilient Cities Network spoke on keeping new technology "
            "within reach of every resident, including older people and those on low "
            "incomes.</p>"
        ),
        "topics": ["events", "asia-pacific", "pandemic-recovery"],
        "people": ["oh-se-hoon", "lauren-sorkin"],
        "organizations": ["resilient-cities-network", "city-of-seoul"],
        "quotes": [
            {
                "person": "oh-se-hoon",
                "text": (
                    "Seoul wants to learn from its neighbors as much as it wants to share its "
                    "own experience. This forum is one way we do both."
                ),
            },
        ],
    },
    {
        "title": "Latin American cities form a working group on water security",
        "byline": "resilient-cities-network",
        "dateline_place": "MEXICO CITY",
        "dateline_time_zone": "America/Mexico_City",
        "dateline_date": date(2022, 3, 22),
        "published_at": datetime(2022, 3, 22, 9, 0),
        "summary": (
            "On World Water Day, member cities in Latin America agreed to pool data and "
            "experience on droughts, floods and ageing water networks."
        ),
        "body": (
            "<p>Member cities of the Resilient Cities Network in Latin America have formed a "
            "working group on water security, announced in Mexico City on World Water "
            "Day.</p>"
            "<p>Many of the region's cities face both too much and too little water: heavy "
            "seasonal rains that flood low-lying districts, and dry months when supply runs "
            "short.</p>"
            "<p>The group will meet every quarter, exchange data on leakage and flood risk, "
            "and prepare joint proposals to regional development banks.</p>"
        ),
        "topics": ["latin-america", "water-resilience", "partnerships"],
        "people": ["lauren-sorkin"],
        "media_contact": "nikki-rudnick",
        "quotes": [
            {
                "person": "lauren-sorkin",
                "text": (
                    "Water is where climate change reaches people first. These cities have "
                    "decided to face that together rather than one at a time."
                ),
            },
        ],
    },
    {
        "title": "Network opens a project preparation programme for city resilience finance",
        "byline": "resilient-cities-network",
        "dateline_place": "SINGAPORE",
        "dateline_time_zone": "Asia/Singapore",
        "dateline_date": date(2022, 6, 15),
        "published_at": datetime(2022, 6, 15, 9, 0),
        "summary": (
            "A new programme will help member cities turn resilience plans into projects that "
            "lenders and investors can fund."
        ),
        "body": (
            "<p>The Resilient Cities Network is opening a programme to help member cities "
            "prepare resilience projects for funding.</p>"
            "<p>Cities often have strong plans but struggle to present them in the form that "
            "banks and investors expect. The programme will pair city teams with finance "
            "specialists to cost projects, estimate their benefits and identify possible "
            "funders.</p>"
            "<p>A first group of cities in Asia and the Pacific will start in the autumn, "
            "with other regions to follow.</p>"
        ),
        "topics": ["resilience-finance", "asia-pacific", "partnerships"],
        "people": ["kyungsun-chung", "lauren-sorkin"],
        "media_contact": "nikki-rudnick",
        "quotes": [
            {
                "person": "kyungsun-chung",
                "text": (
                    "There is money for good projects. What cities often lack is the time and "
                    "expertise to show that their projects are good. We can help with that."
                ),
            },
        ],
    },
    {
        "title": "Houston and Seoul trade notes on flood-ready neighborhoods",
        "byline": "city-of-houston",
        "dateline_place": "HOUSTON, Texas",
        "dateline_time_zone": "America/Chicago",
        "dateline_date": date(2023, 5, 9),
        "published_at": datetime(2023, 5, 9, 11, 0),
        "summary": (
            "A delegation from the Seoul Metropolitan Government visited Houston to see how "
            "the city is rebuilding drainage and buying out homes in flood zones."
        ),
        "body": (
            "<p>Officials from the Seoul Metropolitan Government spent three days in Houston "
            "this week, visiting detention basins, rebuilt bayous and neighborhoods where "
            "flood-prone homes have been bought out.</p>"
            "<p>In return, the Seoul team presented the early-warning systems the city uses "
            "for its underground spaces and low-lying housing.</p>"
            "<p>The visit was arranged through the Resilient Cities Network, of which both "
            "cities are members.</p>"
        ),
        "topics": ["water-resilience", "partnerships", "north-america", "asia-pacific"],
        "people": ["sylvester-turner", "oh-se-hoon"],
        "organizations": ["seoul-metropolitan-government", "resilient-cities-network"],
        "quotes": [
            {
                "person": "sylvester-turner",
                "text": (
                    "Houston and Seoul are a world apart, but the water behaves the same way. "
                    "We have a lot to teach each other."
                ),
            },
        ],
    },
    {
        "title": "Seoul extends smart safety checks to older residents living alone",
        "byline": "seoul-metropolitan-government",
        "dateline_place": "SEOUL",
        "dateline_time_zone": "Asia/Seoul",
        "dateline_date": date(2023, 9, 12),
        "published_at": datetime(2023, 9, 12, 10, 0),
        "summary": (
            "Connected sensors that alert care workers when something seems wrong will reach "
            "thousands more homes across the city."
        ),
        "body": (
            "<p>The Seoul Metropolitan Government is extending a program of connected sensors "
            "that watch over older residents who live alone.</p>"
            "<p>The devices notice long periods without movement, unusual temperatures or "
            "missed routines, and alert a local care worker, who calls or visits. Residents "
            "choose whether to take part and can leave the program at any time.</p>"
            "<p>The city says the checks helped it reach people quickly during recent heat "
            "waves, when isolated older residents are most at risk.</p>"
        ),
        "topics": ["urban-resilience", "asia-pacific", "climate-adaptation"],
        "people": ["oh-se-hoon"],
        "organizations": ["city-of-seoul"],
        "quotes": [
            {
                "person": "oh-se-hoon",
                "text": (
                    "A resilient city is one where no one is forgotten behind a closed door. "
                    "Technology helps us keep that promise."
                ),
            },
        ],
    },
    {
        "title": "Network calls for adaptation finance to reach cities directly",
        "byline": "resilient-cities-network",
        "dateline_place": "Abu Dhabi, United Arab Emirates",
        "dateline_time_zone": "Asia/Dubai",
        "dateline_date": date(2023, 12, 5),
        "published_at": datetime(2023, 12, 5, 12, 0),
        "summary": (
            "At the climate talks in the Gulf, the Network urged governments and lenders to "
            "let cities apply for adaptation money in their own right."
        ),
        "body": (
            "<p>The Resilient Cities Network used this year's climate talks in the United Arab "
            "Emirates to press for adaptation funding that cities can reach without going "
            "through national ministries.</p>"
            "<p>Cities carry out much of the practical work of adapting to a hotter climate, "
            "from shading streets to enlarging drains, but receive a small share of the "
            "money set aside for it.</p>"
            "<p>The Network proposed simpler application rules for smaller grants and "
            "technical help for cities preparing their first bids.</p>"
        ),
        "topics": ["resilience-finance", "climate-adaptation", "events"],
        "people": ["kyungsun-chung", "lauren-sorkin"],
        "media_contact": "nikki-rudnick",
        "quotes": [
            {
                "person": "kyungsun-chung",
                "text": (
                    "If we want adaptation to happen on the ground, the money has to reach "
                    "the people who work on the ground."
                ),
            },
            {
                "person": "lauren-sorkin",
                "text": (
                    "Mayors cannot wait for every agreement to trickle down. They need "
                    "a door they can knock on themselves."
                ),
            },
        ],
    },
    {
        "title": "Cities gather in Rotterdam to learn to live with water",
        "byline": "resilient-cities-network",
        "dateline_place": "ROTTERDAM",
        "dateline_time_zone": "Europe/Amsterdam",
        "dateline_date": date(2024, 4, 16),
        "published_at": datetime(2024, 4, 16, 10, 0),
        "summary": (
            "Resilience officers from four continents toured water squares, floating homes and "
            "storm barriers in a week of site visits."
        ),
        "body": (
            "<p>Resilience officers from member cities on four continents spent a week in "
            "Rotterdam looking at how a city below sea level keeps its residents dry.</p>"
            "<p>They visited public squares that double as rainwater basins, homes built to "
            "float, and the barriers that guard the port against storm surges.</p>"
            "<p>Each delegation left with a short plan for one idea to test at home within "
            "the next year.</p>"
        ),
        "topics": ["water-resilience", "climate-adaptation", "events"],
        "people": ["lauren-sorkin"],
        "media_contact": "nikki-rudnick",
        "quotes": [
            {
                "person": "lauren-sorkin",
                "text": (
                    "Seeing a flood defense that is also a basketball court changes how a "
                    "city engineer thinks. That is why we bring people here."
                ),
            },
        ],
    },
    {
        "title": "Latin American members publish a shared playbook for extreme heat",
        "byline": "resilient-cities-network",
        "dateline_place": "MEXICO CITY",
        "dateline_time_zone": "America/Mexico_City",
        "dateline_date": date(2024, 10, 8),
        "published_at": datetime(2024, 10, 8, 9, 30),
        "summary": (
            "The playbook collects measures that cities in the region have used to protect "
            "residents during heat waves, with their costs and results."
        ),
        "body": (
            "<p>Member cities in Latin America have published a shared playbook for extreme "
            "heat, drawing on measures they have tried over recent summers.</p>"
            "<p>It covers early warnings, cooling centers, tree planting, reflective roofs and "
            "changes to working hours for outdoor workers, with notes on what each cost and "
            "how well it worked.</p>"
            "<p>The playbook is free to download in Spanish, Portuguese and English.</p>"
        ),
        "topics": ["latin-america", "climate-adaptation", "urban-resilience"],
        "people": ["lauren-sorkin"],
        "media_contact": "nikki-rudnick",
        "quotes": [
            {
                "person": "lauren-sorkin",
                "text": (
                    "Heat is a quiet disaster. This playbook helps cities act before the "
                    "hospitals fill up, not after."
                ),
            },
        ],
    },
    {
        "title": "Board of Directors sets the Network's priorities for the next five years",
        "byline": "resilient-cities-network",
        "dateline_place": "SINGAPORE",
        "dateline_time_zone": "Asia/Singapore",
        "dateline_date": date(2025, 3, 18),
        "published_at": datetime(2025, 3, 18, 9, 0),
        "summary": (
            "The board agreed a strategy focused on finance for city projects, climate "
            "adaptation and support for new member cities."
        ),
        "body": (
            "<p>The Board of Directors of the Resilient Cities Network has approved the "
            "Network's strategy for the next five years.</p>"
            "<h2>Three priorities</h2>"
            "<p>The strategy commits the Network to helping members raise money for their "
            "projects, to putting climate adaptation at the center of its programs, and to "
            "welcoming cities that have not yet appointed a resilience officer.</p>"
            "<p>Progress will be reported to members at each annual meeting.</p>"
        ),
        "topics": ["board-of-directors", "resilience-finance", "urban-resilience"],
        "people": ["kyungsun-chung", "lauren-sorkin"],
        "media_contact": "nikki-rudnick",
        "quotes": [
            {
                "person": "kyungsun-chung",
                "text": (
                    "The board wanted a plan that member cities will feel in their budgets, "
                    "not only in their reports."
                ),
            },
            {
                "person": "lauren-sorkin",
                "text": "This strategy came from our cities. Now we deliver it with them.",
            },
        ],
    },
    {
        "title": "Network and The Rockefeller Foundation renew support for resilience officers",
        "byline": "resilient-cities-network",
        "dateline_place": "NEW YORK",
        "dateline_time_zone": "America/New_York",
        "dateline_date": date(2025, 6, 10),
        "published_at": datetime(2025, 6, 10, 9, 0),
        "summary": (
            "A renewed grant will fund training and peer exchanges for the city staff who "
            "lead resilience work in member cities."
        ),
        "body": (
            "<p>The Resilient Cities Network and The Rockefeller Foundation have renewed their "
            "partnership to support the officers who lead resilience work inside city "
            "halls.</p>"
            "<p>The grant will pay for a yearly training program, peer exchanges between "
            "cities facing similar risks, and a small fund for officers to test new "
            "ideas.</p>"
            "<p>The Foundation created the role of chief resilience officer through 100 "
            "Resilient Cities, and many cities have kept it since.</p>"
        ),
        "topics": ["partnerships", "north-america", "urban-resilience"],
        "people": ["lauren-sorkin"],
        "organizations": ["the-rockefeller-foundation", "100-resilient-cities"],
        "media_contact": "nikki-rudnick",
        "quotes": [
            {
                "person": "lauren-sorkin",
                "text": (
                    "Resilience officers are the people who make plans happen. Investing in "
                    "them is investing in every city they serve."
                ),
            },
        ],
    },
    # Not public: a draft, and a release scheduled far in the future.
    {
        "title": "Resilient Cities Network annual review 2025",
        "slug": "draft-annual-review-2025",
        "status": "draft",
        "byline": "resilient-cities-network",
        "dateline_place": "SINGAPORE",
        "dateline_time_zone": "Asia/Singapore",
        "dateline_date": date(2025, 12, 15),
        "published_at": None,
        "summary": "A look back at the Network's year. Draft: not for publication.",
        "body": "<p>Draft text to come.</p>",
        "topics": ["urban-resilience"],
        "media_contact": "nikki-rudnick",
    },
    {
        "title": "Resilient Cities Network looks ahead to the next century of city life",
        "slug": "scheduled-outlook-2099",
        "byline": "resilient-cities-network",
        "dateline_place": "SINGAPORE",
        "dateline_time_zone": "Asia/Singapore",
        "dateline_date": date(2099, 1, 1),
        "published_at": datetime(2099, 1, 1, 9, 0),
        "summary": "Scheduled for 2099: it stays hidden until its publication time comes.",
        "body": (
            "<p>This release is scheduled. It is published, but its publication time is in "
            "the future, so no public page shows it yet.</p>"
        ),
        "topics": ["urban-resilience", "events"],
        "media_contact": "nikki-rudnick",
    },
]

PRESS_OFFICES = [
    {"name": "New York City", "order": 1, "time_zone": "America/New_York"},
    {"name": "Mexico City", "order": 2, "time_zone": "America/Mexico_City"},
]

# "office" is a press office name, or None for the global contacts.
PRESS_CONTACTS = [
    {
        "office": None,
        "name": "Lynette Lim",
        "title": "Global Communications Lead",
        "email": "lynette.lim@resilientcitiesnetwork.org",
        "phone": "+65 6000 0142",
        "order": 0,
    },
    {
        "office": "New York City",
        "name": "Thomas Halaczinsky",
        "title": "Communications, North America",
        "email": "thomas.halaczinsky@resilientcitiesnetwork.org",
        "phone": "+1 212 555 0137",
        "order": 1,
    },
    {
        "office": "New York City",
        "name": "Newsroom duty officer",
        "title": "Internal: out-of-hours escalation",
        "email": "duty@resilientcitiesnetwork.org",
        "phone": "+1 212 555 0199",
        "order": 9,
        "is_public": False,
    },
    {
        "office": "Mexico City",
        "name": "Fabiola Guillen",
        "title": "Communications, Latin America",
        "email": "fabiola.guillen@resilientcitiesnetwork.org",
        "phone": "+52 55 5000 0124",
        "order": 1,
    },
    {
        "office": "Mexico City",
        "name": "Isabel Parra",
        "title": "Media Relations, Latin America",
        "email": "isabel.parra@resilientcitiesnetwork.org",
        "phone": "+52 55 5000 0131",
        "order": 2,
    },
]
