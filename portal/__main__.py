"""`python -m portal …` is the same as the `portal` command."""
from portal.cli import main

raise SystemExit(main())
