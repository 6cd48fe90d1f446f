"""The book workflows, written on the engine. Importing this package registers them."""

from bookbug.workflows import create_book, record_failure, redo_page  # noqa: F401
