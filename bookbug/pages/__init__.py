"""Page modules. Importing this package registers every page, in navigation order."""

from bookbug.pages import landing  # noqa: F401
from bookbug.pages import create  # noqa: F401
from bookbug.pages import gallery  # noqa: F401
from bookbug.pages import book  # noqa: F401
from bookbug.pages import account  # noqa: F401
from bookbug.pages import settings  # noqa: F401
from bookbug.pages import accounts  # noqa: F401
