"""``python -m matcher``: the same as the ``matcher`` command."""

from matcher.cli import main

raise SystemExit(main())
