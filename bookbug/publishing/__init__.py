"""Book assembly: fitting pictures to the page and writing the print and screen PDFs."""

from __future__ import annotations

from bookbug.publishing.editions import Edition, pixels_for
from bookbug.publishing.images import PreparedImage, prepare_page_image
from bookbug.publishing.layout import BookLayout, StoryPage
from bookbug.publishing.pdf import PublishedBook, build_book_pdf

__all__ = [
    "BookLayout", "Edition", "PreparedImage", "PublishedBook", "StoryPage", "build_book_pdf", "pixels_for",
    "prepare_page_image",
]
