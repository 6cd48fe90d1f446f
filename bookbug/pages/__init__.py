"""Page modules. Importing this package registers every page, in navigation order."""

from bookbug.pages import landing  # noqa: F401
