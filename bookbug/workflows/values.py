"""What the book workflows' steps hand each other that is no story model of its own: the intake's
and the plot review's replies, the limits a book is made under, a picture and how it was made.

Every model keeps the field names of the dicts the steps returned before, so a run in flight
across that deploy replays its stored dicts as these models (the engine validates a stored
result into the type its step function declares: bookbug/engine/results.py).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from bookbug.story import Brief, Plot
from bookbug.views import MessageView


class IntakeReply(BaseModel):
    """One intake turn: the brief as it now stands, and the next question unless it is `done`."""

    brief: Brief
    done: bool
    message: str
    turn: int
    chat: MessageView | None = None  # the question asked (none once done)


class PlotOffer(BaseModel):
    plot: Plot
    turn: int
    chat: MessageView


class PlotReply(BaseModel):
    """The user's answer to a plot: approved, or the plot offered again (`chat`)."""

    approved: bool
    brief: Brief
    plot: Plot
    turn: int
    chat: MessageView | None = None


class BookLimits(BaseModel):
    """The operators' caps a book is made under, read once per book."""

    page_concurrency: int
    pages_per_book: int | None = None
    characters_per_book: int | None = None


class DrawingBudget(BaseModel):
    """How hard one picture is tried, read once per picture."""

    quality_tries: int
    redraws: int
    vision: bool


class Started(BaseModel):
    """A paid prediction (a picture or a reading) that exists at its provider."""

    prediction_id: str
    provider: str


class Quality(BaseModel):
    score: float
    passed: bool
    problems: list[str] = Field(default_factory=list)
    vision: dict[str, Any] | None = None  # Claude's eye's scores, where it looked
    attempt: int | None = None  # on a kept picture: which try it was


class Scoring(BaseModel):
    """One vision scoring of a candidate; empty when there is no scorer."""

    score: float | None = None
    passed: bool | None = None
    vision: dict[str, Any] | None = None
    problems: list[str] = Field(default_factory=list)

    def applied_to(self, quality: Quality) -> Quality:
        if self.score is None or self.passed is None:
            return quality
        return quality.model_copy(update={"score": self.score, "passed": self.passed, "vision": self.vision,
                                          "problems": [*quality.problems, *self.problems]})


class _Drawing(BaseModel):
    """A stored picture: its file, its size, the model and prediction that drew it, how good it is."""

    key: str
    width: int
    height: int
    model: str
    prediction_id: str
    quality: Quality


class Candidate(_Drawing):
    """One try at a picture, fetched and checked, stored under its own key until one is kept."""

    attempt: int = 0


class Picture(_Drawing):
    """A drawn picture as kept, and after how many tries."""

    attempts: int


class Sheet(Picture):
    """A character's sheet, reused as a reference on every page."""

    name: str


class PrintCopy(BaseModel):
    print_key: str


class RedonePicture(Picture):
    """A redo's picture, kept as the page's pending version `version`, print-ready and described."""

    print_key: str
    print: dict[str, Any] = Field(default_factory=dict)
    alt: str = ""
    version: int


class Settled(BaseModel):
    """The page's version after a redo is settled (or given up), and the files no longer needed."""

    version: int
    discard: list[str] = Field(default_factory=list)


class EditApplied(BaseModel):
    page: int
    edit: int
    text: str


class NarrationPlan(BaseModel):
    """Whether a page is read aloud (`provider`, None: not, and `why`), and how hard it is tried."""

    provider: str | None = None
    why: str = ""
    redraws: int = 0


class Narration(BaseModel):
    """A page's reading as kept (its sentence timings stay on the page's row)."""

    key: str
    text: str
    duration: float
    provider: str
    voice: str
    timing: str


class BookFiles(BaseModel):
    pdf_key: str
    screen_pdf_key: str
    pdf_pages: int
    pdf_bytes: int


class Epub(BaseModel):
    epub_key: str
    epub_bytes: int
    narrated: bool


# -- a family's data: the export's and the account deletion's steps --------------------------

class ExportPlan(BaseModel):
    books: int  # how many books the export packs, fixed at its first step


class PackedBook(BaseModel):
    files: int  # files in this book's part of the zip


class SealedExport(BaseModel):
    bytes: int  # the finished zip's size


class ClosedAccount(BaseModel):
    credentials: int  # sessions, API tokens and sign-in tickets that went
    books: int
    exports: int


class ForgottenRuns(BaseModel):
    forgotten: int  # the engine's runs and events deleted for the account's books and exports


class DeletedFiles(BaseModel):
    files: int


class DeletedRows(BaseModel):
    rows: int


class FinalPass(BaseModel):
    forgotten: int
    files: int


class Erased(BaseModel):
    deleted: bool
