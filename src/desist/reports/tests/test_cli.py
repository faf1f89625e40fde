"""``desist report``: the file it writes, its audit event, and its one-line errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from desist.audit.models import AuditEvent, Verb
from desist.cli import app

pytestmark = pytest.mark.django_db
PERIOD = ["--from", "2025-04-01", "--to", "2026-03-31", "--as-of", "2026-06-30"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["report", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_command_has_help() -> None:
    code, out, _ = run("--help")
    assert code == 0 and "--output" in out and "--as-of" in out


def test_a_pdf_from_a_data_set_folder_logged_as_a_disclosure(
    dataset_folder: Path, tmp_path: Path
) -> None:
    output = tmp_path / "report.pdf"
    code, _, err = run(
        *PERIOD,
        "--data",
        str(dataset_folder),
        "--output",
        str(output),
        "--recipient",
        "Safer Partnership Board",
        "--purpose",
        "Quarterly update",
    )
    assert code == 0, err
    assert output.read_bytes().startswith(b"%PDF-")
    wrote = re.search(rf"Wrote {re.escape(str(output))} \(PDF, (\d+) sections", err)
    assert wrote and int(wrote.group(1)) >= 5  # the measures' five, then the providers'
    assert "data as of 2026-06-30" in err
    event = AuditEvent.objects.get(verb=Verb.DISCLOSED)
    assert event.user_id is None and "(desist report)" in event.detail
    assert event.reason == "Quarterly update (to Safer Partnership Board)"


def test_html_from_the_case_database(imported: Path, tmp_path: Path) -> None:
    output = tmp_path / "report.html"
    code, _, err = run(*PERIOD, "--output", str(output))
    assert code == 0, err
    html = output.read_text(encoding="utf-8")
    assert "<h1>Performance report</h1>" in html and "the case database" in html
    assert AuditEvent.objects.get(verb=Verb.DISCLOSED).reason.startswith(
        "Partnership performance report"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2025-13-01", "--to", "2026-03-31"], "--from: '2025-13-01' is not a date"),
        (["--from", "2026-04-01", "--to", "2026-03-31"], "starts 2026-04-01 after it ends"),
        (
            ["--from", "2025-04-01", "--to", "2026-03-31", "--as-of", "2025-01-01"],
            "after the as-of date 2025-01-01",
        ),
    ],
)
def test_bad_dates_give_one_line_and_no_file(args: list[str], message: str, tmp_path: Path) -> None:
    output = tmp_path / "report.pdf"
    code, _, err = run(*args, "--output", str(output))
    assert code == 1
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert not output.exists()
    assert not AuditEvent.objects.exists()


def test_an_unknown_output_format_or_folder_is_refused(tmp_path: Path) -> None:
    code, _, err = run(*PERIOD, "--output", str(tmp_path / "report.docx"))
    assert code == 1 and "must end in .html or .pdf" in err
    code, _, err = run(*PERIOD, "--output", str(tmp_path / "missing" / "report.pdf"))
    assert code == 1 and "does not exist" in err


def test_a_missing_data_folder_is_named(tmp_path: Path) -> None:
    code, _, err = run(
        *PERIOD, "--data", str(tmp_path / "nowhere"), "--output", str(tmp_path / "r.html")
    )
    assert code == 1 and err.startswith("error: ") and "nowhere" in err
