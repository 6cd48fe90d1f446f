"""What the pages display, as small plain records (never blobs: images are URLs)."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from bookbug.views import BookSummary, MessageView, PageView


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


@dataclasses.dataclass
class MessageRow:
    id: str
    role: str  # user | assistant
    content: str  # shown as text, never as HTML
    chips: list[str]
    phase: str
    turn: int

    @classmethod
    def of(cls, view: MessageView) -> MessageRow:
        return cls(id=view.id, role=view.role, content=view.content, chips=list(view.chips),
                   phase=view.phase or "", turn=view.turn)


@dataclasses.dataclass
class BriefRow:
    label: str
    value: str  # "" while the conversation has not settled it


@dataclasses.dataclass
class OutlineRow:
    page: str  # "Page 3" or "Pages 3-5"
    sentence: str


def sized_url(url: str, size: str) -> str:
    """A picture route asking for its copy of `size` (see publishing/screen_sizes.py)."""
    return url + ("&" if "?" in url else "?") + f"size={size}"


@dataclasses.dataclass
class BookCard:
    id: str
    title: str
    status: str
    cover_url: str
    percent: int
    stage: str
    created: str
    href: str

    @classmethod
    def of(cls, summary: BookSummary) -> BookCard:
        # a thumbnail: the card is small, the stored picture is print-sized
        cover = sized_url(summary.cover_url, "thumb") if summary.cover_url else ""
        return cls(id=summary.id, title=summary.title, status=summary.status, cover_url=cover,
                   percent=int(round(summary.percent or 0)), stage=summary.stage or "",
                   created=when(summary.created_at), href=book_href(summary.id, summary.status))


@dataclasses.dataclass
class PageRow:
    number: int
    text: str
    image_url: str
    pending: bool = False  # a redone version waits beside the old one (previous_*) for a choice
    previous_text: str = ""
    previous_image_url: str = ""
    description: str = ""  # what the picture shows: its alt text
    thumb_url: str = ""  # a small copy, for the pages landing while the book is made
    audio_url: str = ""  # the voice reading the page ("": not narrated)
    alt: str = ""  # what the picture shows, from its art direction

    @classmethod
    def of(cls, view: PageView) -> PageRow:
        # the reader gets copies sized for screens; only the PDF uses the print file
        previous = sized_url(view.previous_image_url, "screen") if view.previous_image_url else ""
        return cls(number=view.number, text=view.text, image_url=sized_url(view.image_url, "screen"),
                   pending=view.pending, previous_text=view.previous_text or "", previous_image_url=previous,
                   description=view.description, thumb_url=sized_url(view.image_url, "thumb"),
                   audio_url=view.audio_url or "", alt=view.alt)


@dataclasses.dataclass
class TokenRow:
    id: str
    name: str
    prefix: str
    created: str
    last_used: str
    expires: str


@dataclasses.dataclass
class SessionRow:
    id: str
    device: str
    created: str
    last_seen: str


@dataclasses.dataclass
class ExportRow:
    id: str
    status: str  # preparing | ready | failed
    percent: int
    created: str
    size: str  # "12.3 MB" once ready
    download_url: str  # "" until ready
    error: str


def size_words(size: int | None) -> str:
    if not size:
        return ""
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / (1024 * 1024):.1f} MB"


@dataclasses.dataclass
class RunRow:
    id: str
    workflow: str
    status: str
    book_id: str
    stage: str
    attempts: int
    error: str
    created: str
    can_rerun: bool
    can_cancel: bool


@dataclasses.dataclass
class StepRow:
    step_id: str
    kind: str
    status: str
    attempts: int
    duration: str
    error: str


@dataclasses.dataclass
class SettingRow:
    label: str
    value: str


TALKING_STATUSES = ("draft", "intake", "plot", "abandoned")


def book_href(book_id: str, status: str) -> str:
    """A book still in conversation opens the chat; any other opens the book itself."""
    return f"/create/{book_id}" if status in TALKING_STATUSES else f"/books/{book_id}"


@dataclasses.dataclass
class SpendRow:
    """One line of the operators' spending tables (dollars are estimates from the price table)."""

    label: str
    usd: str
    calls: str


@dataclasses.dataclass
class PriceRow:
    provider: str
    model: str
    input: str
    output: str
    cache_read: str
    cache_write: str
    image: str
    taken_on: str
    source: str  # "list price" or "set here"
