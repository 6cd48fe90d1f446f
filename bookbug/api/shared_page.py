"""The public reader of a shared book as one plain HTML page: no script, no account, no socket.

Served by the API rather than the Reflex app because link previews (Open Graph) are read by
crawlers that run no JavaScript: the title and the cover have to be in the first answer.
"""

from __future__ import annotations

from html import escape

from bookbug.services.sharing import SharedBook

STYLE = """
body{margin:0;font-family:Georgia,'Noto Serif',serif;background:#fbf7f2;color:#2b2118}
header{padding:1.5rem 1rem;text-align:center}
h1{margin:0 0 .5rem;font-size:2rem}
main{max-width:46rem;margin:0 auto;padding:0 1rem 3rem}
figure{margin:0 0 2.5rem;background:#fff;border-radius:.6rem;padding:1rem;box-shadow:0 1px 4px #0002}
figure img{width:100%;height:auto;border-radius:.4rem;display:block}
figcaption{font-size:1.25rem;line-height:1.6;margin-top:.8rem}
.number{color:#8a7a6a;font-size:.85rem}
a.download{display:inline-block;padding:.5rem 1rem;border-radius:.5rem;background:#e5533d;color:#fff;
  text-decoration:none}
footer{text-align:center;color:#8a7a6a;font-size:.85rem;padding-bottom:2rem}
"""


def _description(book: SharedBook) -> str:
    first = next((page.text for page in book.pages if page.text.strip()), "")
    words = " ".join(first.split())
    return (words[:197] + "…") if len(words) > 200 else (words or "A picture book made with Bookbug.")


def render(book: SharedBook, token: str, *, base_url: str, lang: str = "en") -> str:
    """The reader page. `base_url` makes the preview's addresses absolute, as unfurlers need."""
    title = escape(book.title)
    image = book.cover_url or (book.pages[0].image_url if book.pages else None)
    meta = [
        ('property="og:type"', "book"),
        ('property="og:title"', book.title),
        ('property="og:description"', _description(book)),
        ('property="og:url"', f"{base_url}/shared/{token}"),
        ('property="og:site_name"', "Bookbug"),
        ('name="twitter:card"', "summary_large_image" if image else "summary"),
        ('name="description"', _description(book)),
        ('name="robots"', "noindex, nofollow"),  # a private link: not for search engines
    ]
    if image:
        meta.append(('property="og:image"', f"{base_url}{image}"))
        meta.append(('property="og:image:alt"', f"The cover of {book.title}"))
    tags = "\n".join(f'<meta {name} content="{escape(value)}">' for name, value in meta)
    pages = "\n".join(
        f'<figure id="page-{page.number}"><img src="{escape(page.image_url)}" alt="Page {page.number}" '
        f'loading="lazy"><figcaption><span class="number">{page.number}</span><br>{escape(page.text)}'
        f"</figcaption></figure>"
        for page in book.pages
    )
    download = (f'<p><a class="download" href="{escape(book.pdf_url)}">Download the PDF</a></p>'
                if book.pdf_url else "")
    return f"""<!doctype html>
<html lang="{escape(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Bookbug</title>
{tags}
<style>{STYLE}</style>
</head>
<body>
<header><h1>{title}</h1>{download}</header>
<main>
{pages}
</main>
<footer>Made with Bookbug. Shared with you by the book's owner.</footer>
</body>
</html>
"""
