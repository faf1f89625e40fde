"""The partnership's sections of the scrutiny report: priorities against their targets, the
red risks, and information sharing agreements overdue for review (the Wolverhampton report's
"progress against the strategic priorities" and "key risks", seeds/003; Havering's ISAs,
seeds/004). The provider of ``desist.reports.sections``: it computes, the report lays out.

The risk register is read as it stood at the end of the as-of date (its change history), so
a report for a past period shows the risks the board saw then.
"""

from __future__ import annotations

from datetime import datetime, time

from django.utils import timezone

from desist.partnership import rules
from desist.partnership.models import (
    Indicator,
    Risk,
    SharingAgreement,
    current_thresholds,
    figure,
    latest_result,
)
from desist.reports.sections import Cell, ReportPeriod, ReportTable

SECTION = "Partnership priorities and risks"
STATUS_TEXT = {
    rules.TargetStatus.MET: "Met",
    rules.TargetStatus.NOT_MET: "Not met",
    rules.TargetStatus.NO_RESULT: "No result in the period",
}


def priorities_table(period: ReportPeriod) -> ReportTable:
    """Each indicator's latest quarterly result whose quarter ended in the period (by the
    as-of date), against its target."""
    last_day = min(period.end, period.as_of)
    indicators = Indicator.objects.select_related("priority").prefetch_related("results")
    rows: list[tuple[Cell, ...]] = []
    notes: list[str] = []
    for indicator in indicators.order_by("priority__name", "name"):
        result = latest_result(indicator, on_or_before=last_day)
        if result is not None and result.ends_on < period.start:
            result = None
        status = rules.target_status(
            result.value if result else None, indicator.target, indicator.direction
        )
        rows.append(
            (
                indicator.priority.name,
                indicator.name,
                figure(indicator.target, indicator.unit) or None,
                float(result.value) if result else None,
                result.period_label if result else None,
                STATUS_TEXT[status],
            )
        )
        notes.append(f"{indicator.name}: {indicator.definition} Source: {indicator.source}.")
    if not rows:
        notes.append("The partnership has recorded no indicators.")
    return ReportTable(
        section=SECTION,
        title="Strategic priorities against their targets",
        columns=("Priority", "Indicator", "Target", "Result", "Quarter", "Against target"),
        rows=tuple(rows),
        definition=(
            "Indicators and targets of the partnership's strategy, from its priorities "
            "register (quarterly monitoring, as in the Safer Wolverhampton Partnership's "
            "performance framework). Met: the result is at or above the target (higher is "
            "better) or at or below it (lower is better). Each indicator's own definition and "
            f"source follow. Results recorded as of {period.as_of.isoformat()}."
        ),
        notes=tuple(notes),
    )


def red_risks_table(period: ReportPeriod) -> ReportTable:
    """Open risks rated red at the end of the as-of date."""
    moment = timezone.make_aware(datetime.combine(period.as_of, time.max))
    thresholds = current_thresholds()
    rows: list[tuple[Cell, ...]] = []
    risks = sorted(Risk.history.as_of(moment), key=lambda r: (-r.score, r.review_date, r.pk))
    for risk in risks:
        if risk.status != Risk.Status.OPEN:
            continue
        if rules.risk_colour(risk.score, thresholds) != rules.Colour.RED:
            continue
        rows.append(
            (
                risk.title,
                risk.probability,
                risk.impact,
                risk.score,
                risk.owner,
                risk.mitigations,
                risk.review_date.isoformat(),
                "Yes" if rules.review_overdue(risk.review_date, period.as_of) else "No",
            )
        )
    notes = () if rows else ("No open risk was rated red.",)
    return ReportTable(
        section=SECTION,
        title="Red rated risks",
        columns=(
            "Risk",
            "Probability",
            "Impact",
            "Score",
            "Owner",
            "Mitigations",
            "Review date",
            "Review overdue",
        ),
        rows=tuple(rows),
        definition=(
            "Risk score = probability x impact, each from 1 to 5; red rated risks have a "
            f"score of {thresholds.red_from} and above (Safer Wolverhampton Partnership risk "
            "register: red at 15 and above). From the partnership's risk register as it stood "
            f"on {period.as_of.isoformat()}."
        ),
        notes=notes,
        chart="Score",
    )


def agreements_table(period: ReportPeriod) -> ReportTable:
    """Information sharing agreements whose review date had passed by the as-of date."""
    rows: list[tuple[Cell, ...]] = [
        (
            agreement.name,
            ", ".join(agreement.party_list),
            agreement.signed_on.isoformat() if agreement.signed_on else "Not signed",
            agreement.review_date.isoformat(),
        )
        for agreement in SharingAgreement.objects.order_by("review_date", "name")
        if rules.review_overdue(agreement.review_date, period.as_of)
    ]
    return ReportTable(
        section=SECTION,
        title="Information sharing agreements overdue for review",
        columns=("Agreement", "Parties", "Signed", "Review date"),
        rows=tuple(rows),
        definition=(
            "Agreements in the partnership's register whose review date is before "
            f"{period.as_of.isoformat()} (the Havering report lists each ISA with its sign-off "
            "and review, 2017)."
        ),
        notes=() if rows else ("No agreement was overdue for review.",),
    )


def report_sections(period: ReportPeriod) -> list[ReportTable]:
    return [priorities_table(period), red_risks_table(period), agreements_table(period)]
