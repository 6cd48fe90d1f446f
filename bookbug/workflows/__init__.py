"""The book workflows, written on the engine. Importing this package registers them."""

from bookbug.workflows import create_book, delete_account, edit_page, export_data, record_failure, redo_page  # noqa: F401
