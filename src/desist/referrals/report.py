"""The referrals section of the scrutiny report: referrals of vulnerable people made in the
period, their triage, and the time from referral to first contact (the Solihull vulnerability
portal, seeds/000: "used over 140 times in the four months", "reducing time to assistance").
The provider of ``desist.reports.sections``: it computes, the report lays out."""

from __future__ import annotations

from collections import Counter

from desist.referrals import rules
from desist.referrals.models import Referral
from desist.reports.sections import Cell, ReportPeriod, ReportTable

SECTION = "Referrals of vulnerable people"


def _row(label: str, referrals: list[Referral], period: ReportPeriod) -> tuple[Cell, ...]:
    as_of = period.as_of
    triaged = [r for r in referrals if r.triaged_on is not None and r.triaged_on <= as_of]
    contacted = [
        r for r in referrals if r.first_contact_on is not None and r.first_contact_on <= as_of
    ]
    days = [rules.days_to_first_contact(r.referred_on, r.first_contact_on) for r in contacted]
    times = rules.contact_times(d for d in days if d is not None)
    closed = [r for r in referrals if r.outcome_on is not None and r.outcome_on <= as_of]
    return (
        label,
        len(referrals),
        len(triaged),
        len(contacted),
        times.median,
        times.p90,
        len(closed),
    )


def report_sections(period: ReportPeriod) -> list[ReportTable]:
    """One row per receiving service and a total; then the outcomes of those closed."""
    referrals = list(
        Referral.objects.filter(
            referred_on__gte=period.start, referred_on__lte=min(period.end, period.as_of)
        )
        .select_related("receiving_agency")
        .order_by("receiving_agency__name", "referred_on", "pk")
    )
    by_agency: dict[str, list[Referral]] = {}
    for referral in referrals:
        by_agency.setdefault(referral.receiving_agency.name, []).append(referral)
    rows = [_row(name, items, period) for name, items in by_agency.items()]
    rows.append(_row("All services", referrals, period))
    definition = (
        "Referrals made by officers to a receiving service in the period (by referral date), "
        "from the case database as of "
        f"{period.as_of.isoformat()}. Days to first contact = first contact date minus "
        "referral date, in whole days, for the referrals with a first contact by the as-of "
        "date; median (the mean of the middle two for an even count) and 90th percentile "
        "(nearest rank). Local definitions (docs/referrals.md), modelled on the Solihull "
        "vulnerability portal."
    )
    outcomes = Counter(
        r.get_outcome_display()
        for r in referrals
        if r.outcome and r.outcome_on is not None and r.outcome_on <= period.as_of
    )
    return [
        ReportTable(
            section=SECTION,
            title="Referrals and time to first contact",
            columns=(
                "Receiving service",
                "Referrals",
                "Triaged",
                "First contact made",
                "Median days to first contact",
                "90th percentile days to first contact",
                "Closed",
            ),
            rows=tuple(rows),
            definition=definition,
            notes=() if referrals else ("No referrals were made in the period.",),
            chart="Referrals",
        ),
        ReportTable(
            section=SECTION,
            title="Outcomes of the referrals closed",
            columns=("Outcome", "Referrals"),
            rows=tuple((label, count) for label, count in sorted(outcomes.items())),
            definition=(
                "The outcome the receiving service recorded when it closed each referral made "
                f"in the period, as of {period.as_of.isoformat()}."
            ),
            notes=() if outcomes else ("No referral made in the period was closed.",),
            chart="Referrals",
        ),
    ]
