"""Referrals on a nominal's timeline (called from ``desist.web.nominal.timeline``).

A referral is case work; the need the receiving service recorded shows only to those who may
read that pathway (health and drugs and alcohol needs are health data).
"""

from __future__ import annotations

from collections.abc import Collection

from desist.accounts.access import Category, pathway_category
from desist.people.models import Person
from desist.referrals.models import Referral
from desist.web.nominal import TimelineEntry


def _day(value: object) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def timeline_entries(person: Person, categories: Collection[Category]) -> list[TimelineEntry]:
    if Category.CASE_WORK not in categories:
        return []
    referrals = Referral.objects.filter(person=person).select_related(
        "receiving_agency", "referred_by"
    )
    entries = []
    for referral in referrals:
        need = (
            referral.get_need_display()
            if referral.need and pathway_category(referral.need) in categories
            else ""
        )
        details = (
            ("Status", referral.status_label),
            ("Need", need),
            ("Priority", referral.get_priority_display()),
            ("First contact", _day(referral.first_contact_on)),
            ("Outcome", referral.get_outcome_display()),
        )
        entries.append(
            TimelineEntry(
                on=referral.referred_on,
                kind="referral",
                title=f"Referred to {referral.receiving_agency}",
                details=tuple((label, value) for label, value in details if value),
                byline=str(referral.referred_by or ""),
            )
        )
    return entries
