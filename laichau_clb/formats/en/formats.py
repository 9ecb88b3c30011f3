# The English interface keeps the Vietnamese date and number conventions: the data are Vietnamese documents.
from laichau_clb.formats.vi.formats import *  # noqa: F401,F403
