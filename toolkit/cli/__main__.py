"""``python -m toolkit.cli``: the ``influencers-club`` command, for a shell without the script."""

from toolkit.cli import main

raise SystemExit(main())
