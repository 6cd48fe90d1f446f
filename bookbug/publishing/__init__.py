"""Book assembly: fitting pictures to the page, writing the print and screen PDFs and the EPUB."""

from __future__ import annotations

from bookbug.publishing.editions import Edition, pixels_for
from bookbug.publishing.epub import EpubBook, EpubPage, PageNarration, build_epub
from bookbug.publishing.images import PreparedImage, prepare_page_image
from bookbug.publishing.layout import BookLayout, StoryPage
from bookbug.publishing.pdf import PublishedBook, build_book_pdf

__all__ = [
    "BookLayout", "Edition", "EpubBook", "EpubPage", "PageNarration", "build_epub", "PreparedImage", "PublishedBook", "StoryPage", "build_book_pdf", "pixels_for",
    "prepare_page_image",
]
