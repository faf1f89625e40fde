"""Build the front-end assets: GOV.UK Frontend, MoJ Frontend and axe-core from npm.

The npm packages are pinned by ``package.json`` and ``package-lock.json`` at the repository
root. ``ensure_assets`` installs them with ``npm ci`` and copies their built ``dist`` files
into ``static/vendor/`` beside this module (git-ignored, never committed). A stamp file there
records the hash of the lock file, so the copy is redone only when the lock file changes or
a file is missing.

The packages' CSS refers to fonts and images as ``url(/assets/...)``, from the site root. The
copy rewrites those to ``url(assets/...)``, relative to the CSS file, so that they resolve
under any ``STATIC_URL``. The GDS Transport typeface belongs to services on GOV.UK, and
desist uses a system font (``static/web/css/desist.css``): the copy leaves out the font files
and the CSS's ``@font-face`` rules for them, so that no page can ever ask for them.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent
VENDOR_DIR = WEB_DIR / "static" / "vendor"
REPO_ROOT = WEB_DIR.parents[2]
STAMP_NAME = ".desist-assets"

_ROOT_ASSET_URL = re.compile(r"""url\((['"]?)/assets/""")
_GDS_FONT_FACE = re.compile(r"@font-face\{[^}]*GDS Transport[^}]*\}")
#: Bumped when the copy itself changes, so that an older copy counts as stale.
RECIPE = "2: without the GDS Transport fonts"


class AssetsError(RuntimeError):
    """The assets could not be built (no npm, no package.json, a failed install)."""


@dataclass(frozen=True)
class Copy:
    """One file or folder to copy from ``node_modules`` into ``static/vendor``."""

    source: str
    target: str
    rewrite_css: bool = False


COPIES: tuple[Copy, ...] = (
    Copy("govuk-frontend/dist/govuk/govuk-frontend.min.css", "govuk-frontend/", True),
    Copy("govuk-frontend/dist/govuk/govuk-frontend.min.css.map", "govuk-frontend/"),
    Copy("govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk-frontend/"),
    Copy("govuk-frontend/dist/govuk/govuk-frontend.min.js.map", "govuk-frontend/"),
    Copy("govuk-frontend/dist/govuk/assets", "govuk-frontend/assets"),
    Copy("@ministryofjustice/frontend/moj/moj-frontend.min.css", "moj-frontend/", True),
    Copy("@ministryofjustice/frontend/moj/moj-frontend.min.css.map", "moj-frontend/"),
    Copy("@ministryofjustice/frontend/moj/moj-frontend.min.js", "moj-frontend/"),
    Copy("@ministryofjustice/frontend/moj/moj-frontend.min.js.map", "moj-frontend/"),
    Copy("@ministryofjustice/frontend/moj/assets", "moj-frontend/assets"),
    Copy("axe-core/axe.min.js", "axe-core/"),
)


def relative_asset_urls(css: str) -> str:
    """Rewrite root-relative ``url(/assets/...)`` references to ``url(assets/...)``."""
    return _ROOT_ASSET_URL.sub(lambda match: f"url({match.group(1)}assets/", css)


def without_gds_fonts(css: str) -> str:
    """Remove the ``@font-face`` rules of GDS Transport (only services on GOV.UK may use it)."""
    return _GDS_FONT_FACE.sub("", css)


def lock_hash(repo_root: Path = REPO_ROOT) -> str:
    """The SHA-256 of ``package-lock.json``: what the vendor copy was built from."""
    lock_file = repo_root / "package-lock.json"
    if not lock_file.is_file():
        raise AssetsError(f"{lock_file} is missing: the assets are built from a source checkout")
    return hashlib.sha256(lock_file.read_bytes()).hexdigest()


def stamp_text(repo_root: Path = REPO_ROOT) -> str:
    """What the stamp file of a current copy holds: the lock file's hash and the recipe."""
    return f"{lock_hash(repo_root)} {RECIPE}"


def _target_path(copy: Copy, vendor_dir: Path) -> Path:
    if copy.target.endswith("/"):
        return vendor_dir / copy.target / Path(copy.source).name
    return vendor_dir / copy.target


def is_stale(vendor_dir: Path = VENDOR_DIR, repo_root: Path = REPO_ROOT) -> bool:
    """Whether the vendor folder is missing, incomplete or built from another lock file."""
    stamp = vendor_dir / STAMP_NAME
    if not stamp.is_file() or stamp.read_text().strip() != stamp_text(repo_root):
        return True
    return not all(_target_path(copy, vendor_dir).exists() for copy in COPIES)


def _npm_ci(repo_root: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsError("npm is not installed: install Node.js and npm (apt-get install npm)")
    result = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise AssetsError(f"npm ci failed ({result.returncode}):\n{result.stderr.strip()}")


def copy_dist(node_modules: Path, vendor_dir: Path) -> None:
    """Copy the built files from ``node_modules`` into a fresh ``vendor_dir``."""
    if vendor_dir.exists():
        shutil.rmtree(vendor_dir)
    for copy in COPIES:
        source = node_modules / copy.source
        if not source.exists():
            raise AssetsError(f"{source} is missing after npm ci")
        target = _target_path(copy, vendor_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("fonts"))
        elif copy.rewrite_css:
            css = relative_asset_urls(source.read_text(encoding="utf-8"))
            target.write_text(without_gds_fonts(css), "utf-8")
        else:
            shutil.copy2(source, target)


def ensure_assets(force: bool = False) -> None:
    """Install the npm packages and copy their ``dist`` files when missing or stale."""
    if not force and not is_stale():
        return
    if not (REPO_ROOT / "package.json").is_file():
        raise AssetsError(f"no package.json in {REPO_ROOT}")
    _npm_ci(REPO_ROOT)
    copy_dist(REPO_ROOT / "node_modules", VENDOR_DIR)
    (VENDOR_DIR / STAMP_NAME).write_text(stamp_text() + "\n")
