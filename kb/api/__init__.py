"""Knowledge-base REST API (/api/v1/kb/): public reads and votes, staff editing.

Public endpoints (AllowAny, anon/user throttles) render `kb.selectors` page data, so the API
shows exactly what the help-center pages show, with the same language fallback and caching.
"""

from .public import *  # noqa: F403
from .staff import *  # noqa: F403
