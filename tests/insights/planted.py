"""Figures planted for the insights tests, with what each page must then show. Everything
happens on fixed days around NOW (Friday 20 November 2026, noon UTC): the last 7 days are
14-20 November, the 7 before them 7-13 November."""

import datetime

from contacts.models import Coverage, DeliveryEvent, Mailing, Subscriber
from press.models import ReleaseRead
from tests.factories import (
    make_delivery,
    make_mailing,
    make_media_contact,
    make_outlet,
    make_release,
    make_subscriber,
    make_topic,
)

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def at(day, hour=10, minute=0):
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def nov(day):
    return datetime.date(2026, 11, day)


def plant():
    heat, water = make_topic("Extreme Heat"), make_topic("Water")
    heat_plan = make_release("Heat plan", topics=[heat], published_at=at(18, 9, 30))
    water_plan = make_release("Water plan", topics=[water], published_at=at(10))
    ReleaseRead.objects.add_counts(
        {
            (heat_plan.pk, nov(18)): 40,
            (heat_plan.pk, nov(19)): 25,
            (water_plan.pk, nov(10)): 30,
            (water_plan.pk, nov(18)): 5,
        },
        hours={(heat_plan.pk, at(18, 9)): 12, (heat_plan.pk, at(18, 10)): 28},
        hosts={(heat_plan.pk, "news.example.org"): 9, (heat_plan.pk, "search.example"): 4},
    )
    for number in range(3):
        subscribe(f"new{number}@example.org", created=at(19), confirmed=at(19, 11), topics=[heat])
    subscribe("pending@example.org", created=at(19))
    leaving = subscribe("gone@example.org", created=at(1), confirmed=at(2), topics=[water])
    Subscriber.objects.filter(pk=leaving.pk).update(status="unsubscribed", unsubscribed_at=at(19))

    planet = make_outlet("The Daily Planet")
    mailing = make_mailing(heat_plan, status=Mailing.Status.DONE)
    lois = make_media_contact("Lois", "Lane", outlet=planet)
    clark = make_media_contact("Clark", "Kent", outlet=planet)
    jimmy = make_media_contact("Jimmy", "Olsen")
    sent(mailing, lois, "delivered", "opened", "clicked")
    sent(mailing, clark, "delivered")
    sent(mailing, jimmy, "bounced")
    Coverage.objects.create(
        release=heat_plan,
        url="https://planet.example/heat",
        outlet=planet,
        published_on=nov(19),
        title="City plans for heat",
    )
    return {"heat_plan": heat_plan, "water_plan": water_plan, "lois": lois, "clark": clark}


def subscribe(email, created, confirmed=None, topics=()):
    subscriber = make_subscriber(email, status="confirmed" if confirmed else "pending")
    subscriber.topics.set(topics)
    Subscriber.objects.filter(pk=subscriber.pk).update(
        created_at=created, confirmed_at=confirmed, all_topics=not topics
    )
    return subscriber


def sent(mailing, contact, *kinds, when=None):
    delivery = make_delivery(mailing, contact, status="sent", sent_at=when or at(18, 10))
    for kind in kinds:
        source = {"opened": "pixel", "clicked": "redirect"}.get(kind, "provider")
        DeliveryEvent.objects.create(delivery=delivery, kind=kind, source=source, at=at(18, 11))
    return delivery
