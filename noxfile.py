"""Test sessions: one per package (core + that package only), all-together, lint, wheels.

    nox                      # everything (what CI runs)
    nox -s "tests(package='core')"   # one package
    nox -s integration lint wheels
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

import nox

ROOT = Path(__file__).parent
PACKAGES = ["core", "signal", "surd", "emotion", "bentham", "regret"]
CONSTRAINTS = ("-c", str(ROOT / "constraints.txt"))
# Extras a package's tests need (test-only references such as dit).
TEST_EXTRAS = {"surd": "[test]"}

nox.options.sessions = ["lint", "tests", "integration", "wheels"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True


def _pkg(name: str) -> str:
    return str(ROOT / "packages" / f"redheart-{name}")


def _pytest(session: nox.Session, *paths: str) -> None:
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", *paths, *session.posargs,
                env={"PYTHONHASHSEED": "0", "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")})


@nox.session
@nox.parametrize("package", PACKAGES)
def tests(session: nox.Session, package: str) -> None:
    """Install core and one package only, so a dependency the package forgot shows up here."""
    session.install(*CONSTRAINTS, "pytest")
    session.install(*CONSTRAINTS, "-e", _pkg("core"))
    if package != "core":
        session.install(*CONSTRAINTS, "-e", _pkg(package) + TEST_EXTRAS.get(package, ""))
    _pytest(session, f"packages/redheart-{package}/tests")


@nox.session
def integration(session: nox.Session) -> None:
    """Everything installed together: cross-package tests (tests/)."""
    session.install(*CONSTRAINTS, "pytest", "matplotlib")
    session.install(*CONSTRAINTS, *[a for p in PACKAGES for a in ("-e", _pkg(p) + TEST_EXTRAS.get(p, ""))])
    _pytest(session, "tests")


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff==0.17.6")
    session.run("ruff", "check", "packages", "tests", "benchmarks", "noxfile.py")


@nox.session
def wheels(session: nox.Session) -> None:
    """Build every wheel, install them in a fresh venv, and check every plugin registers."""
    dist = Path(session.create_tmp()) / "dist"
    session.install("build")
    for p in PACKAGES:
        session.run("python", "-m", "build", "--wheel", "--outdir", str(dist), _pkg(p), silent=True)
    venv = Path(session.create_tmp()) / "wheel-venv"
    session.run("python", "-m", "venv", "--clear", str(venv))
    py = str(venv / "bin" / "python")
    session.run(py, "-m", "pip", "install", "-q", *CONSTRAINTS, *sorted(glob.glob(str(dist / "*.whl"))),
                external=True)
    check = (
        "import redheart.plugins as p; reg = p.discover(strict=True); "
        f"missing = set({PACKAGES[1:]!r}) - set(reg.plugins); "
        "assert not missing, f'plugins not registered: {missing}'; print(p.format_table(reg))"
    )
    session.run(py, "-c", check, external=True)
    session.run(str(venv / "bin" / "redheart"), "plugins", external=True)
