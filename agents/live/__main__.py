"""`python3 -m agents.live`: the bench image's session (see agents.live.flow)."""

import sys

from agents.live.flow import main

sys.exit(main())
