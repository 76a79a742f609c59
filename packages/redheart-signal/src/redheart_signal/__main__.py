import sys

from redheart_signal.cli import main

sys.exit(main())
