"""Progress display for long runs: files, pages, rate and ETA on stderr."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn


class IngestProgress:
    def __init__(self, total_files: int, console: Console) -> None:
        self.started = time.monotonic()
        self.pages = 0
        self.problems = 0
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(
                "{task.fields[pages]} pages · {task.fields[rate]} pages/min · {task.fields[problems]} not registered"
            ),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.task = self.progress.add_task("ingest", total=total_files, pages=0, rate="–", problems=0)

    def __enter__(self) -> IngestProgress:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(*exc)  # type: ignore[arg-type]

    def file_done(self, pages: int, ok: bool) -> None:
        self.pages += pages
        self.problems += 0 if ok else 1
        minutes = max(1e-6, (time.monotonic() - self.started) / 60)
        self.progress.update(
            self.task, advance=1, pages=self.pages, rate=f"{self.pages / minutes:.0f}", problems=self.problems
        )


class CountProgress:
    """A bar for a known number of items (reindexing, exports)."""

    def __init__(self, description: str, total: int, console: Console) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
        )
        self.task = self.progress.add_task(description, total=total)

    def __enter__(self) -> CountProgress:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(*exc)  # type: ignore[arg-type]

    def advance(self, n: int) -> None:
        self.progress.update(self.task, advance=n)
