"""The live progress display: a bar for the whole book, one per stage, and one for the pages."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

STAGE_NAMES = {
    "intake": "Talking it over", "plot": "Planning the plot", "writing": "Writing the story",
    "characters": "Drawing the characters", "pages": "Illustrating the pages", "assembling": "Binding the book",
    "complete": "Done", "abandoned": "Waiting for you",
}


class BookProgress:
    """Feed it the stream's events; it draws while the book is made."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(TextColumn("{task.description:<26}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=console, transient=False)
        self.book = self.progress.add_task("Book (%)", total=100)
        self.stages: dict[str, TaskID] = {}
        self.current: str | None = None
        self.pages: TaskID | None = None
        self.started = False

    def __enter__(self) -> BookProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        if not self.started:
            self.progress.start()
            self.started = True

    def stop(self) -> None:
        if self.started:
            self.progress.stop()
            self.started = False

    def update(self, event: str, data: dict[str, Any]) -> None:
        self.start()
        stage = data.get("stage")
        if isinstance(stage, str) and stage and stage != self.current:
            self._enter_stage(stage)
        percent = data.get("percent")
        if isinstance(percent, (int, float)):
            self.progress.update(self.book, completed=float(percent))
        if event == "page":
            total = int(data.get("total") or 0) or None
            if self.pages is None:
                self.pages = self.progress.add_task("Pages", total=total)
            self.progress.update(self.pages, total=total, advance=1)

    def finish(self, event: str) -> None:
        if event == "complete":
            self.progress.update(self.book, completed=100)
            for task in self.stages.values():
                self.progress.update(task, completed=1)
        self.stop()

    def _enter_stage(self, stage: str) -> None:
        if self.current in self.stages:
            self.progress.update(self.stages[self.current], completed=1)
        self.current = stage
        if stage not in self.stages and stage != "complete":
            self.stages[stage] = self.progress.add_task(STAGE_NAMES.get(stage, stage.capitalize()), total=1)
