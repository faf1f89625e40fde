"""Proposals on the case database for the web pages, and the decisions taken on them.

``proposals_for`` runs ``propose.propose`` (with the matrix settings and selection criteria in
force on the date) over the case database, narrowed first to the people the user may see
(``permissions.proposal_people``): people outside the scope never enter the computation, so
they can never appear. Everyone's score depends on their own history only, so narrowing does
not change anybody's score or whether they are proposed. Ranks are by matrix score within the
user's scope (ties by person identifier), where ``propose`` ranks within each area of residence.

``adopt`` and ``decline`` write a ``SelectionDecision`` with the score, settings and criteria
versions at the time (and, for an adoption, the ``CohortMembership`` with its reason), and one
``changed`` event in the audit log, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import transaction
from django.http import HttpRequest

from desist.accounts.access import AnyUser
from desist.audit.models import Verb
from desist.audit.service import record
from desist.cohorts.models import CohortMembership
from desist.people.models import Person
from desist.reference.models import Scheme
from desist.scoring.matrix import COMPONENTS
from desist.scoring.settings import MatrixSettings
from desist.selection.criteria import CRITERIA_FILE, Criteria, SchemeCriteria, load_criteria
from desist.selection.models import SelectionDecision
from desist.selection.permissions import proposal_people

#: How many of the highest matrix scores among people not proposed the page offers for an
#: override (adopting someone the criteria did not propose).
NOT_PROPOSED_SHOWN = 20


class SelectionError(Exception):
    """A decision that cannot be recorded; the message says why (shown on the form)."""


@dataclass(frozen=True)
class Candidate:
    """One person for one scheme: proposed or not, with their matrix score and flags."""

    person: Person
    proposed: bool
    rank: int | None
    score: float
    grade: str
    components: dict[str, float]
    reasons: tuple[str, ...]
    flags: tuple[str, ...]
    latest_decision: SelectionDecision | None = None
    #: Start of the person's open membership of the scheme, if they are in it already: an
    #: adoption or a decline then makes no sense (a de-selection is a panel's decision).
    member_since: dt.date | None = None

    @property
    def declined(self) -> bool:
        latest = self.latest_decision
        return latest is not None and latest.decision == SelectionDecision.Decision.DECLINED


@dataclass
class ProposalList:
    """Proposals for one scheme as of one date, for one user's scope."""

    scheme: SchemeCriteria
    criteria: Criteria
    settings: MatrixSettings
    as_of: dt.date
    proposed: list[Candidate]
    not_proposed: list[Candidate]
    left_out: int
    funnel: list[tuple[str, int]] = field(default_factory=list)
    _scores: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    _people: dict[str, Person] = field(default_factory=dict, repr=False)
    _data: Any = field(default=None, repr=False)
    _members: dict[int, dt.date] = field(default_factory=dict, repr=False)

    def candidate(self, person: Person) -> Candidate | None:
        """The person as a candidate (proposed or not), or None outside the scope."""
        for candidate in self.proposed:
            if candidate.person.pk == person.pk:
                return candidate
        for candidate in self.not_proposed:
            if candidate.person.pk == person.pk:
                return candidate
        if person.source_id not in self._people:
            return None
        flags = _flag_texts(self._data, self.as_of, self.criteria, [person.source_id])
        return _not_proposed(
            person, self._scores.get(person.source_id), flags, None, self._members.get(person.pk)
        )


def schemes() -> Criteria:
    """The selection criteria in the shipped file (versioned, docs/scoring.md section 3)."""
    return load_criteria(CRITERIA_FILE)


def _narrow(frames: dict[str, pl.DataFrame], people: dict[str, Any]) -> dict[str, pl.DataFrame]:
    """The frames with only the rows of ``people`` (by source_id)."""
    keep = pl.col("person_id").is_in(list(people))
    return {
        name: frame.filter(keep) if "person_id" in frame.columns else frame
        for name, frame in frames.items()
    }


def _components(row: dict[str, Any] | None) -> dict[str, float]:
    return {c: float((row or {}).get(c) or 0) for c in COMPONENTS}


def _not_proposed(
    person: Person,
    row: dict[str, Any] | None,
    flags: dict[str, tuple[str, ...]],
    latest: SelectionDecision | None = None,
    member_since: dt.date | None = None,
) -> Candidate:
    score = float((row or {}).get("score") or 0)
    return Candidate(
        person=person,
        proposed=False,
        rank=None,
        score=score,
        grade=str((row or {}).get("grade") or "low"),
        components=_components(row),
        reasons=(),
        flags=flags.get(person.source_id, ()),
        latest_decision=latest,
        member_since=member_since,
    )


def _flag_texts(data: Any, as_of: dt.date, criteria: Criteria, ids: list[str]) -> dict:
    from desist.selection.propose import person_flags

    found = person_flags(data, as_of, criteria, ids)
    return {
        pid: tuple([*own.get("already_managed", []), *own.get("in_custody", []),
                    *own.get("other_panel", [])])
        for pid, own in found.items()
    }  # fmt: skip


def proposals_for(
    user: AnyUser, scheme_code: str, as_of: dt.date, shown: int = NOT_PROPOSED_SHOWN
) -> ProposalList:
    """Proposals for ``scheme_code`` among the people the user may see, as of ``as_of``.

    People with problems in their history (``scoring.history.problem_person_ids``) are left out and
    counted (``left_out``), as ``--skip-invalid`` does. Raises KeyError for an unknown scheme.
    """
    from desist.dataset.database import read_database_frames
    from desist.dataset.frames import dataset_from_polars
    from desist.scoring.history import problem_person_ids
    from desist.scoring.matrix import run_matrix
    from desist.scoring.settings import settings_for
    from desist.selection.propose import propose

    criteria = schemes()
    scheme = criteria.schemes[scheme_code]
    people = {p.source_id: p for p in proposal_people(user)}
    frames = _narrow(read_database_frames(), people)
    data = dataset_from_polars(frames, "polars")
    skipped = problem_person_ids(data, as_of)
    if skipped:
        people = {pid: p for pid, p in people.items() if pid not in skipped}
        data = dataset_from_polars(_narrow(frames, people), "polars")
    settings = settings_for(as_of)[0]
    matrix = run_matrix(data, as_of, settings)
    result = propose(data, as_of, scheme, criteria, matrix)
    scores = {row["person_id"]: row for row in matrix.scores.to_dicts()}
    decisions = _latest_decisions(user, scheme_code)
    members = _open_members(user, scheme.scheme)
    ranked = result.frame.sort(["score", "person_id"], descending=[True, False]).to_dicts()
    proposed = [
        Candidate(
            person=people[row["person_id"]],
            proposed=True,
            rank=rank,
            score=float(row["score"]),
            grade=str(row["grade"]),
            components=_components(row),
            reasons=tuple(row["reasons"].split("; ")) if row["reasons"] else (),
            flags=tuple(row["flags"].split("; ")) if row["flags"] else (),
            latest_decision=decisions.get(people[row["person_id"]].pk),
            member_since=members.get(people[row["person_id"]].pk),
        )
        for rank, row in enumerate(ranked, start=1)
    ]
    chosen = {c.person.source_id for c in proposed}
    others = [
        row for row in matrix.scores.to_dicts() if row["person_id"] not in chosen and row["score"]
    ][:shown]  # the scores are sorted, highest first
    flags = _flag_texts(data, as_of, criteria, [row["person_id"] for row in others])
    not_proposed = [
        _not_proposed(person, row, flags, decisions.get(person.pk), members.get(person.pk))
        for row in others
        if (person := people.get(row["person_id"])) is not None
    ]
    listing = ProposalList(
        scheme=scheme,
        criteria=criteria,
        settings=settings,
        as_of=as_of,
        proposed=proposed,
        not_proposed=not_proposed,
        left_out=len(skipped),
        funnel=result.funnel,
    )
    listing._scores, listing._people, listing._data = scores, people, data
    listing._members = members
    return listing


def _latest_decisions(user: AnyUser, scheme_code: str) -> dict[int, SelectionDecision]:
    """The latest decision on each person of the user's scope for the scheme, by person pk
    (person records only through ``proposal_people``, never the whole partnership's)."""
    latest: dict[int, SelectionDecision] = {}
    decisions = SelectionDecision.objects.filter(
        proposal_scheme=scheme_code, person__in=proposal_people(user)
    )
    for decision in decisions.order_by("created_on", "pk"):
        latest[decision.person_id] = decision
    return latest


def _open_members(user: AnyUser, scheme_id: str) -> dict[int, dt.date]:
    """When each person of the user's scope already in the scheme (an open membership) joined
    it, by person pk."""
    open_now = CohortMembership.objects.filter(
        scheme_id=scheme_id, end_date__isnull=True, person__in=proposal_people(user)
    )
    return dict(open_now.values_list("person_id", "start_date"))


def recent_decisions(user: AnyUser, scheme_code: str, limit: int = 20) -> list[SelectionDecision]:
    """The latest decisions for the scheme on people the user may see, newest first."""
    return list(
        SelectionDecision.objects.filter(
            proposal_scheme=scheme_code, person__in=proposal_people(user)
        ).select_related("person", "decided_by")[:limit]
    )


def _decision(
    user: AnyUser,
    listing: ProposalList,
    candidate: Candidate,
    decision: str,
    reason: str,
    membership: CohortMembership | None = None,
) -> SelectionDecision:
    full_name = getattr(user, "get_full_name", lambda: "")()
    return SelectionDecision.objects.create(
        person=candidate.person,
        proposal_scheme=listing.scheme.code,
        scheme_id=listing.scheme.scheme,
        decision=decision,
        reason=reason,
        decided_by_id=user.pk,
        decided_by_name=full_name or user.get_username(),
        local_authority=getattr(user, "local_authority", "") or candidate.person.local_authority,
        as_of=listing.as_of,
        proposed=candidate.proposed,
        rank=candidate.rank,
        score=candidate.score,
        grade=candidate.grade,
        components=candidate.components,
        settings_version=listing.settings.version,
        settings_fingerprint=listing.settings.fingerprint,
        criteria_version=listing.criteria.version,
        reasons="; ".join(candidate.reasons),
        flags="; ".join(candidate.flags),
        membership=membership,
    )


def _describe(listing: ProposalList, candidate: Candidate) -> str:
    where = f"proposed, rank {candidate.rank}" if candidate.proposed else "not proposed"
    return (
        f"{listing.scheme.label} ({where}; matrix score {candidate.score:g}, settings "
        f"v{listing.settings.version}, criteria v{listing.criteria.version})"
    )


@transaction.atomic
def adopt(
    user: AnyUser,
    request: HttpRequest | None,
    listing: ProposalList,
    candidate: Candidate,
    reason: str,
    start_date: dt.date,
    tier: int | None,
) -> SelectionDecision:
    """Adopt the candidate into the scheme: a membership with the reason, the decision
    (an override when they were not proposed) and a ``changed`` audit event."""
    scheme = Scheme.objects.get(pk=listing.scheme.scheme)
    person = candidate.person
    open_now = person.memberships.filter(scheme=scheme, end_date__isnull=True).first()
    if open_now is not None:
        raise SelectionError(f"Already in {scheme.label} since {open_now.start_date:%-d %B %Y}")
    if person.memberships.filter(scheme=scheme, start_date=start_date).exists():
        raise SelectionError(f"Already had a {scheme.label} membership starting on this date")
    membership = CohortMembership.objects.create(
        person=person,
        scheme=scheme,
        cohort_type=listing.scheme.cohort_type,
        tier=tier,
        local_authority=getattr(user, "local_authority", "") or person.local_authority,
        lead_agency_id=getattr(user, "agency_id", None),
        start_date=start_date,
        adoption_reason=reason,
    )
    kind = (
        SelectionDecision.Decision.ADOPTED
        if candidate.proposed
        else SelectionDecision.Decision.ADOPTED_OVERRIDE
    )
    decision = _decision(user, listing, candidate, kind, reason, membership)
    record(
        Verb.CHANGED,
        user=user,
        request=request,
        person=person,
        obj=membership,
        detail=f"Adopted into {_describe(listing, candidate)}",
        reason=reason,
    )
    return decision


@transaction.atomic
def decline(
    user: AnyUser,
    request: HttpRequest | None,
    listing: ProposalList,
    candidate: Candidate,
    reason: str,
) -> SelectionDecision:
    """Decline a proposed candidate (an override of the score) and log it; not someone
    already in the scheme (ending a membership is a panel's de-selection, with its reason)."""
    if not candidate.proposed:
        raise SelectionError("Only a proposed person can be declined")
    if candidate.member_since is not None:
        raise SelectionError(
            f"Already in {listing.scheme.label} since {candidate.member_since:%-d %B %Y}: a "
            "de-selection is recorded at a panel"
        )
    decision = _decision(user, listing, candidate, SelectionDecision.Decision.DECLINED, reason)
    record(
        Verb.CHANGED,
        user=user,
        request=request,
        person=candidate.person,
        obj=decision,
        detail=f"Proposal declined: {_describe(listing, candidate)}",
        reason=reason,
    )
    return decision
