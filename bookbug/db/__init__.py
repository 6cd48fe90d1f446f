"""Bookbug's SQLModel tables and session helpers. Importing this package registers them (the
durable engine's own tables live in bookbug/engine/tables.py)."""

from bookbug.db.accounts import ApiToken, SignInAttempt, SignInTicket, User, UserSession
from bookbug.db.books import Book, BookStatus, ChatMessage, ImagePrediction, RenderedPage
from bookbug.db.app_settings import AppSetting
from bookbug.db.ledger import DaySpend, LedgerEntry, PriceEntry
from bookbug.db.limits import LimitSlot
from bookbug.db.privacy import AccountDeletion, DataExport, ExportStatus
from bookbug.db.sharing import BookShare
from bookbug.db.session import get_engine, session_scope, utcnow

__all__ = [
    "AccountDeletion", "ApiToken", "AppSetting", "Book", "BookShare", "BookStatus", "ChatMessage", "DataExport",
    "DaySpend", "ExportStatus", "ImagePrediction", "LedgerEntry", "LimitSlot", "PriceEntry", "RenderedPage",
    "SignInAttempt", "SignInTicket", "User", "UserSession", "get_engine", "session_scope", "utcnow",
]
