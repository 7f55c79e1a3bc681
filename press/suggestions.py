"""Related Articles and "You may also be interested in": the releases suggested under a release.

Each list's releases are chosen by one statement that returns their ids, best first, from a
bounded set of candidates read from the (key, release) indexes, where a plain ORM query would
score every release that shares anything with this one, tens of thousands at scale; one ORM
query then reads the cards of both lists. The statements are written out (common table
expressions, UNION ALL, a sort PostgreSQL must keep), but nothing in them is typed twice: every
table and column is named from its model, and every live test is ReleaseQuerySet.live()
compiled by the ORM.
"""

import datetime

from django.db import connection
from django.utils import timezone

from press.models import Quote, Release, ReleaseRead, TaggedRelease

# How many of the newest releases of each shared topic, person and organization are candidates
# for Related Articles (scored from indexes alone, so cheap), and of each topic and person for
# "You may also be interested in" (each read from the table and its reads summed, so fewer).
RELATED_PER_KEY = 2000
INTERESTING_PER_TOPIC = 500
# "You may also be interested in" counts the reads of the last this many days.
READ_DAYS = 90
# What a release shares with others: (link model, its field to the release, its field to the key).
TOPICS = (TaggedRelease, "content_object", "tag")
# A release's people are those the editor named and those it quotes (_union()).
PEOPLE = (Release.people.through, "release", "person")
ORGANIZATIONS = (Release.organizations.through, "release", "organization")
PINNED = (Release.pinned_related.through, "from_release", "to_release")


def suggestions(release, limit=3):
    """Related Articles and "You may also be interested in", as lists of `limit` releases at
    most: two queries, the ids of both lists in one statement, then their cards. Both suggest
    releases in the release's language only."""
    now = timezone.now()
    pk = _release_names()[1]
    related, related_params = _related_ids(release, limit, now)
    excluded = (f"SELECT {pk} FROM related", [], limit)
    interesting, interesting_params = _interesting_ids(release, limit, now, excluded)
    rows = _rows(
        f"WITH related AS ({related}) SELECT 0, {pk}, position FROM related UNION ALL "
        f"SELECT 1, {pk}, position FROM ({interesting}) interesting ORDER BY 1, 3",
        [*related_params, *interesting_params],
    )
    cards = _cards([pk for _, pk, _ in rows])
    related_count = sum(1 for which, _, _ in rows if which == 0)
    return cards[:related_count], cards[related_count:]


def related_articles(release, limit=3):
    """Related Articles: the editor's pinned choices first, then live releases scored by what
    they share with `release` (person 3, topic 2, organization 2, dateline place 1), newest
    first on ties. Never the release itself. Two queries (see _related_ids())."""
    return _cards(_ids(*_related_ids(release, limit, timezone.now())))


def also_interesting(release, exclude, limit=3):
    """ "You may also be interested in": the most read live releases of the last READ_DAYS days
    in the topics of `release` or with its people (named or quoted), then the newest by the same
    byline, then the newest of all; never the release itself nor anything in `exclude`. Two
    queries (see _interesting_ids())."""
    ids = [other.pk for other in exclude]
    excluded = (", ".join(["%s"] * len(ids)), ids, len(ids)) if ids else None
    return _cards(_ids(*_interesting_ids(release, limit, timezone.now(), excluded)))


def _ids(sql, params):
    """The ids a statement of this module returns (with their positions), in its order."""
    return [pk for pk, _ in _rows(sql, params)]


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _cards(ids):
    """The releases with these ids, in this order, with what a card needs: one query, none for
    no ids."""
    found = Release.objects.with_cards().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _related_ids(release, limit, now):
    """SQL and parameters: the ids of the `limit` releases related_articles() shows, best
    first, with their positions.

    The winners are chosen from a bounded set of candidates: the newest RELATED_PER_KEY
    releases of each shared topic, person and organization, the newest releases of the same
    place, and the pinned ones. A topic, person or organization with more releases than that
    relates only its newest ones (newest by creation), and in choosing them an older release
    counts only the keys whose newest ones it is among; the few winners are then scored in
    full to order them.

    Candidates come from the (key, release) indexes, at most RELATED_PER_KEY rows per shared
    key, and are scored with one GROUP BY over them; only those that can still win are read from
    the release table. A release sharing only the place scores 1, below any sharing a key, so
    the newest `limit` live releases of the place are all it can need from there."""
    table, pk, place, published = _release_names()
    live, live_params = _live(now, release.language)
    pinned, pinned_params, score, score_params = _full_score(release)
    candidates, params = [], []
    for link, weight in ((TOPICS, 2), (PEOPLE, 3), (ORGANIZATIONS, 2)):
        sql, link_params = _newest_sharing(link, weight, RELATED_PER_KEY, release.pk)
        candidates.append(sql)
        params += link_params
    pinned_table, pinned_from, pinned_to = _names(*PINNED)
    candidates.append(f"SELECT {pinned_to}, 0, 1 FROM {pinned_table} WHERE {pinned_from} = %s")
    params.append(release.pk)
    place_score, place_params = "0", []
    if release.dateline_place:
        candidates.append(
            f"SELECT {pk}, 0, 0 FROM (SELECT r.{pk} FROM {table} r "
            f"WHERE UPPER(r.{place}) = UPPER(%s) AND {live} AND r.{pk} <> %s "
            f"ORDER BY r.{published} DESC, r.{pk} DESC LIMIT %s) same_place"
        )
        params += [release.dateline_place, *live_params, release.pk, limit]
        place_score = f"CASE WHEN UPPER(r.{place}) = UPPER(%s) THEN 1 ELSE 0 END"
        place_params = [release.dateline_place]
    union = " UNION ALL ".join(candidates)
    # A shared place adds 1 at most: once `limit` live candidates are found in order of
    # weight, one whose weight is 2 less than the last of them can never pass it, so only the
    # others are read from the release table.
    sql = (
        "WITH scored AS (SELECT release_id, SUM(weight) AS weight, MAX(pinned) AS pinned "
        f"FROM ({union}) shared GROUP BY release_id), "
        # The live test as a scalar subquery above the sort (_keep_order() keeps it there):
        # the release table is read only until `limit` are found, not for all candidates.
        "enough AS (SELECT MIN(weight) AS weight FROM (SELECT s.weight FROM ("
        f"SELECT release_id, weight FROM scored ORDER BY weight DESC {_keep_order()}) s "
        f"WHERE (SELECT r.{pk} FROM {table} r WHERE r.{pk} = s.release_id AND {live}) "
        "<> %s LIMIT %s) best) "
        # The few winners (under the name r too), scored in full to order them.
        f"SELECT r.{pk}, ROW_NUMBER() OVER (ORDER BY {pinned} DESC, {score} DESC, "
        f"r.{published} DESC, r.{pk} DESC) AS position "
        f"FROM (SELECT r.{pk}, r.{place}, r.{published} FROM scored c JOIN {table} r "
        f"ON r.{pk} = c.release_id "
        "WHERE (c.pinned = 1 OR c.weight >= (SELECT weight - 1 FROM enough)) "
        f"AND {live} AND r.{pk} <> %s "
        f"ORDER BY c.pinned DESC, c.weight + {place_score} DESC, "
        f"r.{published} DESC, r.{pk} DESC LIMIT %s) r ORDER BY position"
    )
    params += [*live_params, release.pk, limit, *pinned_params, *score_params]
    params += [*live_params, release.pk, *place_params, limit]
    return sql, params


def _full_score(release):
    """SQL and parameters: whether the release under the name r is pinned under `release`,
    and its score in full (person 3, topic 2, organization 2, dateline place 1)."""
    table, pk, place = _names(Release, Release._meta.pk.name, "dateline_place")
    counts = [
        (weight, *_count_shared(link, f"r.{pk}", release.pk))
        for weight, link in ((3, PEOPLE), (2, TOPICS), (2, ORGANIZATIONS))
    ]
    score = " + ".join(f"{weight} * {count}" for weight, count, _ in counts)
    score += f" + CASE WHEN UPPER(r.{place}) = UPPER(%s) THEN 1 ELSE 0 END"
    score_params = [param for _, _, params in counts for param in params]
    pinned_table, pinned_from, pinned_to = _names(*PINNED)
    pinned = (
        f"CASE WHEN EXISTS (SELECT 1 FROM {pinned_table} p "
        f"WHERE p.{pinned_from} = %s AND p.{pinned_to} = r.{pk}) THEN 1 ELSE 0 END"
    )
    return pinned, [release.pk], score, [*score_params, release.dateline_place or None]


def _interesting_ids(release, limit, now, excluded=None):
    """SQL and parameters: the ids of the `limit` releases also_interesting() shows, best
    first, with their positions, never the release itself nor those `excluded` names: (SQL
    listing their ids, its parameters, how many it lists at most).

    Precisely, live releases ordered by: in one of the release's topics or with one of its
    people, by the same byline, reads in the last READ_DAYS days, newest. The releases of the
    topics and people considered are the newest INTERESTING_PER_TOPIC of each (newest by
    creation): an older release of a topic or person with more than that is not counted as
    theirs, however much it is read, unless it is also among the newest of the byline or of
    all.

    The candidates are the newest releases of each of the release's topics and people (from the
    (topic, release) and (person, release) indexes) and the newest `limit + excluded + 1`
    live releases by the byline and of all, enough for the places the topics and people leave.
    Whether a candidate is by the byline comes from the (byline, status) index and its reads
    from the (release, day) index; the release table is read only for the candidates that can
    still win: those ranked at least as high as the `limit`-th live one before publication
    times are compared."""
    table, pk, _, published = _release_names()
    _, byline, status = _names(Release, "byline", "status")
    live, live_params = _live(now, release.language)
    excluded_ids, excluded_params, excluded_most = excluded or ("", [], 0)
    enough = limit + excluded_most + 1
    also_excluded = f" AND release_id NOT IN ({excluded_ids})" if excluded_ids else ""
    since = connection.ops.adapt_datefield_value(
        timezone.localdate() - datetime.timedelta(days=READ_DAYS)
    )
    newest = (
        f"SELECT {pk}, 0, {{0}}, 1 FROM (SELECT r.{pk} FROM {table} r WHERE {{1}}{live} "
        f"ORDER BY r.{published} DESC, r.{pk} DESC LIMIT %s) newest"
    )
    sharing = [
        _newest_sharing(link, 1, INTERESTING_PER_TOPIC, release.pk, extra_columns=", 0 AS newest")
        for link in (TOPICS, PEOPLE)
    ]
    topics = " UNION ALL ".join(sql for sql, _ in sharing)
    close, close_params = _close_to("c.release_id", release.pk)
    sql = (
        # in_topics (or with the people), same_byline, newest: where each candidate comes from.
        "WITH candidates AS (SELECT release_id, MAX(weight) AS in_topics, "
        "MAX(pinned) AS same_byline FROM ("
        f"{topics}"
        # Published at any time, from the (byline, status) index alone: live or not is
        # settled below.
        f" UNION ALL SELECT {pk}, 0, 1, 0 FROM {table} WHERE {byline} = %s AND {status} = %s"
        f" UNION ALL {newest.format(1, f'r.{byline} = %s AND ')}"
        f" UNION ALL {newest.format(0, '')}"
        ") sources GROUP BY release_id HAVING MAX(weight) = 1 OR MAX(newest) = 1), "
        # The order before publication times: in the topics, by the byline, reads.
        "ranked AS (SELECT release_id, 2 * CASE WHEN in_topics = 1 OR "
        f"{close} THEN 1 ELSE 0 END + same_byline AS tier, "
        f"{_reads_since('c.release_id')} AS reads "
        "FROM candidates c "
        f"WHERE release_id <> %s{also_excluded}), "
        # The `limit`-th live one, the live test above the sort (_keep_order() keeps it there).
        "last AS (SELECT tier, reads FROM ("
        "SELECT release_id, tier, reads FROM ranked ORDER BY tier DESC, reads DESC "
        f"{_keep_order()}) k "
        f"WHERE (SELECT r.{pk} FROM {table} r WHERE r.{pk} = k.release_id AND {live}) "
        "IS NOT NULL LIMIT 1 OFFSET %s) "
        # Scalar subqueries, worked out once, so that the others are left out before the
        # release table is read.
        f"SELECT r.{pk}, ROW_NUMBER() OVER (ORDER BY k.tier DESC, k.reads DESC, "
        f"r.{published} DESC, r.{pk} DESC) AS position "
        f"FROM ranked k JOIN {table} r ON r.{pk} = k.release_id "
        "WHERE (NOT EXISTS (SELECT 1 FROM last) OR k.tier > (SELECT tier FROM last) "
        "OR (k.tier = (SELECT tier FROM last) AND k.reads >= (SELECT reads FROM last))) "
        f"AND {live} ORDER BY position LIMIT %s"
    )
    params = [
        *(param for _, params in sharing for param in params),
        release.byline_id,
        Release.Status.PUBLISHED.value,
        release.byline_id,
        *live_params,
        enough,
        *live_params,
        enough,
        *close_params,
        since,
        release.pk,
        *excluded_params,
        *live_params,
        limit - 1,
        *live_params,
        limit,
    ]
    return sql, params


def _newest_sharing(link, weight, per_key, release_pk, extra_columns=""):
    """SQL and parameters: (release_id, weight, 0, then `extra_columns`) for the newest
    `per_key` releases (by id) of each key (topic, person, organization) of the release with id
    `release_pk`, read backwards from the (key, release) indexes, each (release, key) once."""
    release, key = _names(*link)[1:]
    mine, mine_params = _union(link, "SELECT {key} FROM {table} WHERE {release} = %s", [release_pk])
    # The id of the last of the newest releases of the key: the candidates start there.
    newest, _ = _union(link, "SELECT {release} FROM {table} WHERE {key} = mine.{key}", [])
    floor = f"SELECT {release} FROM ({newest}) n ORDER BY {release} DESC LIMIT 1 OFFSET %s"
    keys = f"SELECT mine.{key}, COALESCE(({floor}), 0) AS floor FROM ({mine}) mine"
    shared, params = _union(
        link,
        "SELECT t.{release}, t.{key} FROM {table} t JOIN ("
        + keys.replace("{", "{{").replace("}", "}}")
        + ") keys ON t.{key} = keys.{key} AND t.{release} >= keys.floor",
        [per_key - 1, *mine_params],
    )
    sql = (
        f"SELECT {release} AS release_id, {weight} AS weight, 0 AS pinned{extra_columns} "
        f"FROM ({shared}) shared"
    )
    return sql, params


def _count_shared(link, release, release_pk):
    """SQL and parameters: how many keys of one kind (topics, people...) the release `release`
    (an SQL expression) shares with the release with id `release_pk`."""
    key = _names(*link)[2]
    theirs, _ = _union(link, "SELECT {key} FROM {table} WHERE {release} = " + release, [])
    mine, params = _union(link, "SELECT {key} FROM {table} WHERE {release} = %s", [release_pk])
    return f"(SELECT COUNT(*) FROM ({theirs}) x WHERE x.{key} IN ({mine}))", params


def _close_to(release, release_pk):
    """SQL and parameters: whether the release `release` (an SQL expression) has one of the
    topics or one of the people of the release with id `release_pk`."""
    topics, topic_params = _shares(TOPICS, release, release_pk)
    people, people_params = _shares(PEOPLE, release, release_pk)
    return f"({topics} OR {people})", [*topic_params, *people_params]


def _shares(link, release, release_pk):
    """SQL and parameters: whether the release `release` (an SQL expression) has one of the
    keys of one kind (topics, people) of the release with id `release_pk`."""
    key = _names(*link)[2]
    theirs, _ = _union(link, "SELECT {key} FROM {table} WHERE {release} = " + release, [])
    mine, params = _union(link, "SELECT {key} FROM {table} WHERE {release} = %s", [release_pk])
    return f"EXISTS (SELECT 1 FROM ({theirs}) x WHERE x.{key} IN ({mine}))", params


def _union(link, template, params):
    """SQL and parameters: `template` (with {table}, {release} and {key}) written for each
    table holding the link's (release, key) pairs, each pair once; `params` repeat with it.
    A release's people are in two tables: those the editor named, and the speakers it quotes
    (whose columns have the same names), each read through its own (person, release) index:
    the condition is written into each, as neither database moves it into a UNION."""
    table, release, key = _names(*link)
    tables = [table]
    if link is PEOPLE:
        quotes, quote_release, speaker = _names(Quote, "release", "person")
        assert (quote_release, speaker) == (release, key), "the columns must be named alike"
        tables.append(quotes)
    sql = " UNION ".join(template.format(table=name, release=release, key=key) for name in tables)
    return sql, params * len(tables)


def _reads_since(release):
    """SQL: the reads of the release `release` (an SQL expression) since the day %s."""
    table, release_column, day, count = _names(ReleaseRead, "release", "day", "count")
    return (
        f"COALESCE((SELECT SUM(n.{count}) FROM {table} n "
        f"WHERE n.{release_column} = {release} AND n.{day} >= %s), 0)"
    )


def _live(now, language):
    """SQL and parameters: ReleaseQuerySet.live() in `language` compiled by the ORM, as a
    condition on the release table under the name r, which every statement here gives it.
    Compiled once for the whole statement and written in each place that needs it: an ORM
    subquery in each would make building the statement several times slower, for the same
    plan."""
    query = Release.objects.live(now).in_language(language).query
    where = query.where.relabeled_clone({Release._meta.db_table: "r"})
    return query.get_compiler(connection=connection).compile(where)


def _release_names():
    """The release table, and its id, place and publication time columns, quoted for SQL."""
    return _names(Release, Release._meta.pk.name, "dateline_place", "published_at")


def _names(model, *fields):
    """The table of `model` and the column of each of `fields`, quoted for SQL."""
    quote, meta = connection.ops.quote_name, model._meta
    return quote(meta.db_table), *(quote(meta.get_field(name).column) for name in fields)


def _keep_order():
    """Ends a sorted subquery that PostgreSQL must not merge into the query around it (SQLite
    has no OFFSET without LIMIT, and keeps the subquery as it is)."""
    return "OFFSET 0" if connection.vendor == "postgresql" else ""
