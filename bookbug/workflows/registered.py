"""Importing this module registers every book workflow with the engine's default registry."""

from bookbug.workflows import create_book, delete_account, edit_page, export_data, record_failure, redo_page

WORKFLOWS = (create_book, delete_account, edit_page, export_data, record_failure, redo_page)
