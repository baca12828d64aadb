"""Marshmallow schemas of the API edge: what a client may send, and what it gets back (one module per area)."""
from society_saas.api.schemas.common import *  # noqa: F401,F403
from society_saas.api.schemas.members import *  # noqa: F401,F403
from society_saas.api.schemas.governance import *  # noqa: F401,F403
from society_saas.api.schemas.decisions import *  # noqa: F401,F403
from society_saas.api.schemas.dues import *  # noqa: F401,F403
from society_saas.api.schemas.oversight import *  # noqa: F401,F403
from society_saas.api.schemas.webhooks import *  # noqa: F401,F403
