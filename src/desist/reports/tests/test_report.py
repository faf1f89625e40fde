"""The report built from the case database: its figures are the measures' own (computed here
directly on the same data), it prints as a real PDF, and providers are laid out or reported."""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Any

import pytest

from desist.dataset.database import read_database
from desist.dataset.frames import read_dataset
from desist.measures import (
    Period,
    custody_reentry,
    offending_tracker,
    proven_reoffending,
    rag_movement,
)
from desist.reports import figures
from desist.reports.build import Report, build_report, render_html, render_pdf
from desist.reports.figures import direction, percent, pounds, rounded, trend_quarters
from desist.reports.tests.conftest import PERIOD

TESTS = "desist.reports.tests.providers_for_tests"


def build(providers: tuple[str, ...] = ()) -> Report:
    return build_report(
        read_database("duckdb"),
        PERIOD,
        partnership="Test partnership",
        source="the case database",
        providers=providers,
    )


def column(report: Report, title: str, name: str) -> list[Any]:
    table = report.table(title)
    index = table.columns.index(name)
    return [row[index] for row in table.rows]


def row(report: Report, title: str, label: str) -> tuple[Any, ...]:
    return next(r for r in report.table(title).rows if r[0] == label)


@pytest.mark.django_db
def test_the_figures_are_the_measures_computed_directly_on_the_same_data(imported: Path) -> None:
    report = build()
    data = read_database("polars")  # another engine, the same case database
    last = min(PERIOD.end, PERIOD.as_of)

    tracker = offending_tracker(data, last).figures
    title = f"Total managed cohort {tracker['people']:,}, as of {last.isoformat()}"
    assert tracker["people"] > 0
    assert row(report, title, "Before adoption")[1:] == (
        rounded(tracker["projected_before"], 0),
        pounds(tracker["cost_before"]),
    )
    assert row(report, title, "During adoption")[1:] == (
        rounded(tracker["projected_during"], 0),
        pounds(tracker["cost_during"]),
    )
    assert row(report, title, "Comparison (%)")[1:] == (
        rounded(tracker["change_pct"]),
        rounded(tracker["cost_change_pct"]),
    )

    whole, *quarters = proven_reoffending(
        data, [Period(PERIOD.start, PERIOD.end, "x"), *trend_quarters(PERIOD)], PERIOD.as_of
    )
    headline = row(report, f"The cohort of the period {PERIOD.start} to {PERIOD.end}", "All")
    assert headline[1:4] == (
        whole.figures["cohort"],
        whole.figures["reoffenders"],
        percent(whole.figures["rate"]),
    )
    assert column(report, "Trend: quarterly cohorts", "People") == [
        q.figures["cohort"] for q in quarters
    ]
    assert column(report, "Trend: quarterly cohorts", "Status")[:4] == ["final"] * 4
    rates = [percent(q.figures["rate"]) for q in quarters]
    assert column(report, "Trend: quarterly cohorts", "On the previous cohort") == [
        direction(before, after) for before, after in zip([None, *rates], rates, strict=False)
    ]

    custody = custody_reentry(data, PERIOD.start, PERIOD.end, PERIOD.as_of)
    title = "People managed who started a sentence or recall in custody while managed"
    assert row(report, title, "All schemes")[1:4] == (
        custody.figures["people_managed"],
        custody.figures["people_reentered"],
        percent(custody.figures["share"]),
    )

    rag = rag_movement(data, PERIOD.start, PERIOD.end, PERIOD.as_of)
    assert column(report, "RAG reviews by colour", "Reviews") == [
        g["reviews"] for g in rag.breakdowns["by_colour"].values()
    ]
    moved = f"How the RAG of the {rag.figures['people_reviewed']:,} people reviewed moved"
    assert column(report, moved, "People") == [
        rag.figures["improving"],
        rag.figures["unchanged"],
        rag.figures["worsening"],
    ]


@pytest.mark.django_db
def test_the_report_reads_a_data_set_folder_as_it_reads_the_imported_database(
    imported: Path,
) -> None:
    from_folder = figures.measure_tables(read_dataset(imported, "duckdb"), PERIOD)
    from_database = figures.measure_tables(read_database("duckdb"), PERIOD)
    assert [t.rows for t in from_folder] == [t.rows for t in from_database]


def pdf_streams(pdf: bytes) -> list[bytes]:
    """Every stream of the PDF, inflated (WeasyPrint compresses them with Flate)."""
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            streams.append(match.group(1))
    return streams


def pdf_text(pdf: bytes) -> str:
    """The text the PDF shows, read back through its fonts' ToUnicode maps: a small reader
    for WeasyPrint's output (pypdf is not in the environment). Glyph ids of all fonts share
    one map, which holds for the one font family the report uses."""
    streams = pdf_streams(pdf)
    glyphs: dict[bytes, str] = {}
    for stream in streams:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for glyph, code in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                glyphs.setdefault(glyph.lower(), bytes.fromhex(code.decode()).decode("utf-16-be"))
    shown = []
    for stream in streams:
        for array in re.findall(rb"\[(.*?)\]\s*TJ", stream, re.S):
            hexes = b"".join(re.findall(rb"<([0-9a-fA-F]+)>", array)).lower()
            shown.append(
                "".join(glyphs.get(hexes[i : i + 4], "?") for i in range(0, len(hexes), 4))
            )
    return re.sub(r"\s+", " ", " ".join(shown))


@pytest.mark.django_db
def test_the_report_prints_as_a_pdf_with_its_figures_and_definitions(imported: Path) -> None:
    report = build()
    html = render_html(report)
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    pages = len(re.findall(rb"/Type\s*/Page\b", b"\n".join(pdf_streams(pdf))))
    assert pages >= 3
    text = pdf_text(pdf)
    assert f"page {pages} of {pages}" in text
    assert "Performance report" in text and "Data as of 30 June 2026" in text
    for table in report.tables:
        assert table.title in text
    assert "regression to the mean" in text
    assert "Ministry of Justice, Guide to Proven Reoffending Statistics" in text
    before = report.table(report.tables[1].title).rows[0]
    assert f"Before adoption {before[1]:,.0f} {before[2]:,}" in text


@pytest.mark.django_db
def test_the_html_is_self_contained_with_a_chart_per_charted_table(imported: Path) -> None:
    report = build()
    html = render_html(report)
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    charted = [t for t in report.tables if t.chart]
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="report-chart"') == len(
        charted
    )
    assert html.count("Definition:</strong>") == len(report.tables)


@pytest.mark.django_db
def test_without_providers_the_report_has_the_measures_sections_only(imported: Path) -> None:
    report = build(())
    assert [s.title for s in report.sections] == [
        figures.COHORT,
        figures.TRACKER,
        figures.REOFFENDING,
        figures.CUSTODY,
        figures.RAG,
    ]
    assert report.problems == []


@pytest.mark.django_db
def test_providers_add_sections_and_failing_ones_are_reported_not_hidden(imported: Path) -> None:
    report = build((f"{TESTS}.people_in_the_case_store", f"{TESTS}.broken", f"{TESTS}.malformed"))
    assert report.sections[-1].title == "People in the case store"
    counted = report.sections[-1].tables[0]
    assert sum(int(r[1] or 0) for r in counted.rows) == 800
    assert [p.provider for p in report.problems] == [f"{TESTS}.broken", f"{TESTS}.malformed"]
    assert "the register table is missing" in report.problems[0].message
    assert "row 1 has 1 cells for 2 columns" in report.problems[1].message
    assert "Malformed" not in [s.title for s in report.sections]  # nothing half shown
    html = render_html(report)
    assert "Sections that could not be produced" in html
    assert "the register table is missing" in html
    assert "People by sex" in html


@pytest.mark.django_db
def test_a_provider_that_cannot_be_imported_is_reported(imported: Path) -> None:
    report = build(("desist.nowhere.report.report_sections",))
    assert report.problems[0].message.startswith("ModuleNotFoundError")


@pytest.mark.django_db
def test_an_empty_case_database_gives_a_report_with_no_figures_not_an_error() -> None:
    report = build()
    assert report.table("RAG reviews by colour").rows[0] == ("Red", 0, None)
    assert "No figures for this period." in render_html(report)


def overflowing(box: Any, width: float) -> list[str]:
    """The boxes of a laid-out page that reach past its right edge."""
    found = []
    x, w = getattr(box, "position_x", None), getattr(box, "width", None)
    if isinstance(x, int | float) and isinstance(w, int | float) and x + w > width + 1:
        found.append(f"{type(box).__name__} {getattr(box, 'element_tag', '')}")
    for child in getattr(box, "children", None) or []:
        found.extend(overflowing(child, width))
    return found


@pytest.mark.django_db
def test_every_table_fits_the_width_of_an_a4_page(imported: Path) -> None:
    from weasyprint import HTML

    html = render_html(build((f"{TESTS}.wide",)))
    pages = HTML(string=html).render().pages
    assert [box for page in pages for box in overflowing(page._page_box, page.width)] == []
