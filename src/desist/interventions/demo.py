"""Demo records for requirements and programmes: targets for the demo unit for the last full
financial year and the current one (chosen from the unit's own synthetic results so that the
table shows both met and not met), and assessments and drug tests on a few imported DRRs."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.interventions import service
from desist.interventions.models import Intervention, Target
from desist.interventions.results import unit_data
from desist.measures.interventions import starts_and_completions
from desist.reference.models import InterventionKind

DRUG_TESTED = 3
TESTS_EACH = 3


def financial_years(as_of: date) -> tuple[tuple[date, date], tuple[date, date]]:
    """The last full financial year (April to March) before ``as_of``, and the current one."""
    first = as_of.year if as_of.month >= 4 else as_of.year - 1
    current = (date(first, 4, 1), date(first + 1, 3, 31))
    return (date(first - 1, 4, 1), date(first, 3, 31)), current


@transaction.atomic
def create_demo_targets(local_authority: str, as_of: date) -> list[Target]:
    """DRR targets met (at the unit's last-year results) and ATR targets not met (above
    them), for last year and this year, set by the demo coordinator; then assessments and
    drug tests on the unit's first started DRRs, recorded by the demo recovery worker."""
    coordinator = User.objects.filter(role=Role.IOM_COORDINATOR, username="coordinator").first()
    if coordinator is None or not local_authority:
        return []
    last, current = financial_years(as_of)
    data = unit_data(local_authority)
    results = starts_and_completions(data, last[0], last[1], as_of).breakdowns["by_kind"]
    created = []
    for kind, extra in (("drr", 0), ("atr", 3)):
        done = results.get(kind, {"starts": 0, "completions": 0})
        starts = max(int(done["starts"]) - 1, 0) if not extra else int(done["starts"]) + extra
        completions = (
            max(int(done["completions"]) - 1, 0) if not extra else int(done["completions"]) + extra
        )
        for start, end in (last, current):
            target, _ = Target.objects.update_or_create(
                kind=InterventionKind.objects.get(pk=kind),
                local_authority=local_authority,
                period_start=start,
                period_end=end,
                defaults={"starts_target": starts, "completions_target": completions},
            )
            created.append(service.save_target(target, coordinator, None))
    _demo_drug_tests(local_authority, as_of)
    return created


def _demo_drug_tests(local_authority: str, as_of: date) -> None:
    """Assessments and weekly drug tests on the unit's most recent DRRs, delivered by the
    demo recovery service (which brings the people into its worker's agency scope)."""
    worker = User.objects.filter(role=Role.DRUG_ALCOHOL_WORKER, username="recovery").first()
    if worker is None:
        return
    candidates = Intervention.objects.filter(
        kind_id="drr", start_date__lte=as_of - timedelta(days=7)
    ).select_related("person", "kind")
    chosen = list(
        candidates.filter(person__memberships__local_authority=local_authority)
        .distinct()
        .order_by("-start_date", "pk")[:DRUG_TESTED]
    ) or list(
        candidates.filter(person__local_authority=local_authority).order_by("-start_date", "pk")[
            :DRUG_TESTED
        ]
    )
    results = ["negative", "positive", "negative"][:TESTS_EACH]
    for item in chosen:
        assert item.start_date is not None
        if item.agency_id is None and worker.agency_id is not None:
            item.agency_id = worker.agency_id
            item.save(update_fields=["agency", "modified_on"])
        if not item.assessment:
            on = item.referral_date or item.start_date
            service.record_assessment(item, worker, None, on, "suitable")
        last = min(as_of, item.end_date or as_of)
        for week, result in enumerate(results, start=1):
            on = item.start_date + timedelta(days=7 * week)
            if on > last:
                break
            substances = "cocaine" if result == "positive" else ""
            service.record_drug_test(item, worker, None, on, result, substances)
