"""`python -m stylebridge` runs the command line."""

import sys

from stylebridge.cli.main import main

sys.exit(main())
