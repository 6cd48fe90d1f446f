"""SQLModel tables and session helpers. Importing this package registers every table."""

from bookbug.db.accounts import ApiToken, SignInAttempt, SignInTicket, User, UserSession
from bookbug.db.books import Book, BookStatus, ChatMessage, ImagePrediction, RenderedPage
from bookbug.db.runs import Event, JobStep, Run, RunStatus, StepStatus, Wait
from bookbug.db.app_settings import AppSetting
from bookbug.db.limits import LimitSlot
from bookbug.db.session import get_engine, session_scope, utcnow

__all__ = [
    "ApiToken", "AppSetting", "Book", "BookStatus", "ChatMessage", "Event", "ImagePrediction", "JobStep",
    "LimitSlot", "RenderedPage", "Run", "RunStatus", "SignInAttempt", "SignInTicket", "StepStatus", "User",
    "UserSession", "Wait",
    "get_engine", "session_scope", "utcnow",
]
