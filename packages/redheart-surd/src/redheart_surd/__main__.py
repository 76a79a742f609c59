"""``python -m redheart_surd FILE.csv --target COL ...`` (the ``redheart surd`` command)."""

import sys

from .cli import main

sys.exit(main())
