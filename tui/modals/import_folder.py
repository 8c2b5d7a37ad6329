"""Import a folder of notes from inside the app: a thread worker with a progress bar."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, Select, Static
from textual.worker import get_current_worker

from kasus.corpus.pseudonymise import import_filter
from kasus.display_text import terminal_line
from kasus.errors import KasusError
from kasus.importing.importer import import_paths
from kasus.model import Site
from kasus.store import open_project
from tui.messages import ImportFinished, ImportProgressed

FAILURES_SHOWN = 5


class ImportFolderModal(ModalScreen[int]):
    """Ask for a folder, import it in a worker, report; dismisses with the files imported."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "close", "Close (cancels a running import)", id="import.close"),
    ]

    def __init__(self, project: Path, actor: str, sites: list[Site]) -> None:
        super().__init__()
        self.project = project
        self.actor = actor
        self.sites = sites
        self.imported = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="import"):
            yield Static("Import a folder of notes (.txt .md .docx .odt .rtf .pdf)",
                         id="import-title")
            yield Input(placeholder="folder path, then Enter", id="import-path")
            yield Static("For files that name no site or role:", id="import-defaults-title")
            with Horizontal(id="import-defaults"):
                yield Select([(site.name, site.id) for site in self.sites],
                             prompt="site from the files", id="import-site")
                yield Input(placeholder="informant role (optional)", id="import-role")
            yield ProgressBar(total=None, show_eta=False, id="import-progress")
            yield Static("", id="import-status")

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    @on(Input.Submitted, "#import-path")
    def _start(self, event: Input.Submitted) -> None:
        folder = Path(event.value).expanduser()
        if not folder.exists():
            self.notify(f"{folder}: no such file or folder", severity="error", markup=False)
            return
        event.input.disabled = True
        defaults = {"role": self.query_one("#import-role", Input).value.strip()}
        site = self.query_one("#import-site", Select).value
        if isinstance(site, str):
            defaults["site"] = site
        self.query_one("#import-status", Static).update(Text(f"importing {folder} …"))
        self.run_import(folder, {k: v for k, v in defaults.items() if v})

    @work(thread=True, exclusive=True, group="import", description="import folder")
    def run_import(self, folder: Path, defaults: dict[str, str]) -> None:
        """Import in a thread with its own connection; the screen stays responsive."""
        worker = get_current_worker()
        counts: Counter[str] = Counter()
        failures: list[str] = []
        try:
            db = open_project(self.project)
        except KasusError as error:
            self.post_message(ImportFinished({"failed": 1}, [str(error)]))
            return
        try:
            # A pseudonymised project stays so: its new notes are replaced before storing.
            with import_filter(db, self.actor) as transform:
                for step in import_paths(db, [folder], self.actor, defaults=defaults,
                                         transform=transform):
                    counts[step.result.status] += 1
                    if step.result.status == "failed":
                        failures.append(terminal_line(f"{step.result.path}: {step.result.reason}"))
                    self.post_message(ImportProgressed(step.done, step.total, step.result.path,
                                                       step.result.status))
                    if worker.is_cancelled:
                        break
        except KasusError as error:
            counts["failed"] += 1
            failures.append(terminal_line(str(error)))
        finally:
            db.close()
        self.post_message(ImportFinished(dict(counts), failures))

    def on_import_progressed(self, message: ImportProgressed) -> None:
        self.query_one("#import-progress", ProgressBar).update(total=message.total,
                                                               progress=message.done)
        name = terminal_line(Path(message.path).name)  # a file name may hold escape codes
        if message.status in ("added", "new version"):
            self.imported += 1
        self.query_one("#import-status", Static).update(
            Text(f"{message.done}/{message.total}  {name}: {message.status}"))

    def on_import_finished(self, message: ImportFinished) -> None:
        summary = ", ".join(f"{n} {status}" for status, n in sorted(message.counts.items()))
        lines = [f"done: {summary or 'nothing to import'} — Escape closes"]
        lines += message.failures[:FAILURES_SHOWN]
        self.query_one("#import-status", Static).update(Text("\n".join(lines)))
        self.notify(f"import finished: {summary}", markup=False,
                    severity="warning" if message.failures else "information")

    def action_close(self) -> None:
        self.workers.cancel_group(self, "import")
        self.dismiss(self.imported)
