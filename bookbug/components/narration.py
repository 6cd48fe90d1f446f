"""The reader's voice: a player for the page shown, "Read to me" (each page read in turn, the
page turned when its voice ends) and Stop. Shown only for pages that have narration.

Turning is done by pressing the reader's own Next button, so reading along, the arrow keys and
clicks share one path; the browser plays the next page's audio once it can.
"""

from __future__ import annotations

import reflex as rx

from bookbug.state.rows import PageRow

AUDIO_ID = "page-audio"

# 'ended' and 'canplay' do not bubble: they are heard in the capture phase, once per page load.
READ_ALONG = f"""
(() => {{
  if (window.__bookbugReadAlong) return;
  const along = window.__bookbugReadAlong = {{on: false, next: false}};
  document.addEventListener('ended', (event) => {{
    if (event.target.id !== '{AUDIO_ID}' || !along.on) return;
    const next = document.getElementById('reader-next');
    if (next && !next.disabled) {{ along.next = true; next.click(); }} else {{ along.on = false; }}
  }}, true);
  document.addEventListener('canplay', (event) => {{
    if (event.target.id === '{AUDIO_ID}' && along.next) {{ along.next = false; event.target.play(); }}
  }}, true);
}})();
"""
_AUDIO = f"document.getElementById('{AUDIO_ID}')"
PLAY = f"{_AUDIO}?.play()"
READ_TO_ME = f"window.__bookbugReadAlong.on = true; const a = {_AUDIO}; if (a) {{ a.currentTime = 0; a.play(); }}"
STOP = f"window.__bookbugReadAlong.on = false; window.__bookbugReadAlong.next = false; {_AUDIO}?.pause()"


def narration_controls(current: PageRow) -> rx.Component:
    return rx.cond(
        current.audio_url != "",
        rx.hstack(
            rx.el.audio(src=current.audio_url, controls=True, preload="auto", id=AUDIO_ID,
                        aria_label="The voice reading this page", style={"height": "2.2rem"}),
            rx.button(rx.icon("play"), "Play", on_click=rx.call_script(PLAY), variant="soft", id="play-page"),
            rx.button(rx.icon("book-open"), "Read to me", on_click=rx.call_script(READ_TO_ME), variant="soft",
                      id="read-to-me"),
            rx.button(rx.icon("square"), "Stop", on_click=rx.call_script(STOP), variant="ghost", id="stop-reading"),
            rx.script(READ_ALONG),
            align="center", spacing="2", wrap="wrap", id="narration",
        ),
    )
