"""SQLModel tables and session helpers. Importing this package registers every table."""

from bookbug.db.accounts import ApiToken, SignInAttempt, User, UserSession
from bookbug.db.books import Book, BookStatus, ChatMessage, ImagePrediction, RenderedPage
from bookbug.db.runs import Event, JobStep, Run, RunStatus, StepStatus, Wait
from bookbug.db.app_settings import AppSetting
from bookbug.db.session import get_engine, session_scope, utcnow

__all__ = [
    "ApiToken", "AppSetting", "Book", "BookStatus", "ChatMessage", "Event", "ImagePrediction", "JobStep",
    "RenderedPage", "Run", "RunStatus", "SignInAttempt", "StepStatus", "User", "UserSession", "Wait",
    "get_engine", "session_scope", "utcnow",
]
