"""Front-end assets: the copy from npm's dist files, and serving them without collectstatic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from django.test import Client
from pytest_django.fixtures import Settings
from typer.testing import CliRunner

from desist.web import assets
from desist.web.cli import assets as assets_command


def test_root_relative_asset_urls_become_relative_to_the_css_file() -> None:
    css = (
        "a{background:url(/assets/images/x.svg)}"
        '@font-face{src:url("/assets/fonts/b.woff2") format("woff2"),url(\'/assets/fonts/b.woff\')}'
        "b{background:url(data:image/png;base64,AAA)}c{background:url(/other/y.png)}"
    )
    assert assets.relative_asset_urls(css) == (
        "a{background:url(assets/images/x.svg)}"
        '@font-face{src:url("assets/fonts/b.woff2") format("woff2"),url(\'assets/fonts/b.woff\')}'
        "b{background:url(data:image/png;base64,AAA)}c{background:url(/other/y.png)}"
    )


def test_the_gds_transport_font_faces_are_left_out() -> None:
    """Only services on GOV.UK may use the typeface: the copy leaves its rules out."""
    css = (
        "a{color:red}"
        '@font-face{font-family:GDS Transport;src:url(assets/fonts/light.woff2) format("woff2")}'
        "@font-face{font-family:Other;src:url(o.woff2)}b{font-family:GDS Transport,arial}"
    )
    assert assets.without_gds_fonts(css) == (
        "a{color:red}@font-face{font-family:Other;src:url(o.woff2)}"
        "b{font-family:GDS Transport,arial}"
    )


def fake_node_modules(root: Path) -> Path:
    """A node_modules tree with every file ``COPIES`` names."""
    node_modules = root / "node_modules"
    for copy in assets.COPIES:
        source = node_modules / copy.source
        if "." in source.name:
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_text("x{background:url(/assets/images/i.svg)}")
        else:
            (source / "images").mkdir(parents=True)
            (source / "images" / "i.svg").write_text("<svg/>")
            (source / "fonts").mkdir()
            (source / "fonts" / "light.woff2").write_bytes(b"font")
    return node_modules


def test_copy_dist_and_staleness(tmp_path: Path) -> None:
    (tmp_path / "package-lock.json").write_text('{"lockfileVersion": 3}')
    vendor = tmp_path / "vendor"
    assert assets.is_stale(vendor, tmp_path)

    assets.copy_dist(fake_node_modules(tmp_path), vendor)
    (vendor / assets.STAMP_NAME).write_text(assets.stamp_text(tmp_path))
    assert not assets.is_stale(vendor, tmp_path)
    css = (vendor / "govuk-frontend" / "govuk-frontend.min.css").read_text()
    assert "url(assets/images/i.svg)" in css
    assert (vendor / "govuk-frontend" / "assets" / "images" / "i.svg").is_file()
    assert not (vendor / "govuk-frontend" / "assets" / "fonts").exists()
    assert (vendor / "axe-core" / "axe.min.js").is_file()

    (tmp_path / "package-lock.json").write_text('{"lockfileVersion": 3, "changed": true}')
    assert assets.is_stale(vendor, tmp_path)
    (tmp_path / "package-lock.json").write_text('{"lockfileVersion": 3}')
    (vendor / "axe-core" / "axe.min.js").unlink()
    assert assets.is_stale(vendor, tmp_path)


def test_missing_package_lock_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(assets.AssetsError, match=r"package-lock\.json"):
        assets.lock_hash(tmp_path)


def test_package_json_names_the_three_packages() -> None:
    package = (assets.REPO_ROOT / "package.json").read_text()
    for name, major in [
        ("govuk-frontend", 6),
        ("@ministryofjustice/frontend", 11),
        ("axe-core", 4),
    ]:
        assert re.search(rf'"{re.escape(name)}": "\^{major}\.', package), name


def test_the_assets_command_builds_or_finds_the_copy(built_assets: None) -> None:
    app = typer.Typer()
    app.command()(assets_command)
    result = CliRunner().invoke(app, [])
    assert result.exit_code == 0, result.output
    assert "assets are ready" in result.output
    assert not assets.is_stale()


@pytest.mark.django_db
def test_static_files_are_served_without_collectstatic(
    built_assets: None, settings: Settings, tmp_path: Path
) -> None:
    """WhiteNoise finds files in the apps' static folders: STATIC_ROOT can stay empty."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    client = Client()  # no sign-in: static files are public
    served = {
        "/static/web/css/desist.css": "text/css",
        "/static/web/js/desist.js": "text/javascript",
        "/static/vendor/govuk-frontend/govuk-frontend.min.css": "text/css",
        "/static/vendor/govuk-frontend/govuk-frontend.min.js": "text/javascript",
        "/static/vendor/moj-frontend/moj-frontend.min.css": "text/css",
        "/static/vendor/axe-core/axe.min.js": "text/javascript",
    }
    for url, content_type in served.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith(content_type), (url, response["Content-Type"])


@pytest.mark.django_db
def test_every_url_in_the_vendor_css_resolves(built_assets: None) -> None:
    client = Client()
    for css_url in (
        "/static/vendor/govuk-frontend/govuk-frontend.min.css",
        "/static/vendor/moj-frontend/moj-frontend.min.css",
    ):
        css = b"".join(client.get(css_url).streaming_content).decode()  # type: ignore[attr-defined]
        references = set(re.findall(r"""url\(["']?([^)"']+)["']?\)""", css))
        references = {ref for ref in references if not ref.startswith("data:")}
        assert references, css_url
        base = css_url.rsplit("/", 1)[0]
        for reference in references:
            assert not reference.startswith("/"), reference
            response = client.get(f"{base}/{reference}")
            assert response.status_code == 200, (css_url, reference)
