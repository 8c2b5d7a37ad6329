"""The export dialog: what to export, in which format, to which file; the export runs in a
worker and the dialog says where the file went."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from kasus.errors import KasusError
from kasus.export.writers import FORMATS
from kasus.store import open_project
from tui.modals.confirm import ConfirmModal


def export_run() -> ModuleType:
    """The exporters, loaded on first use: with matplotlib (charts), python-docx and lxml
    they add 0.4 s to every start of the workbench (`python -X importtime`)."""
    import kasus.export.run

    return kasus.export.run


CHOICES = [(f"{kind} as {fmt}", f"{kind}:{fmt}") for kind, formats in FORMATS.items()
           for fmt in formats]


class ExportModal(ModalScreen[Path | None]):
    """Dismisses with the path written (or None when closed without exporting)."""

    BINDINGS = [Binding("escape", "close", "Close", id="export.close")]  # noqa: RUF012

    def __init__(self, project: Path, folder: Path | None = None) -> None:
        super().__init__()
        self.project = project
        self.folder = folder
        self.written: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            yield Static("Export for the report", id="export-title")
            yield Select(CHOICES, value=CHOICES[0][1], allow_blank=False, id="export-kind")
            yield Input(placeholder="codes, comma-separated (summary), e.g. bolig,rop",
                        id="export-codes")
            yield Input(placeholder="or a goal number 1–5 (summary)", id="export-goal")
            yield Input(placeholder="file (Enter exports)", id="export-out")
            yield Static("", id="export-status")

    def on_mount(self) -> None:
        self._suggest_path()
        self.query_one("#export-codes", Input).focus()

    @property
    def kind_and_format(self) -> tuple[str, str]:
        kind, fmt = str(self.query_one("#export-kind", Select).value).split(":")
        return kind, fmt

    @on(Select.Changed, "#export-kind")
    def _suggest_path(self) -> None:
        kind, fmt = self.kind_and_format
        path = (self.folder / f"{kind}.{fmt}" if self.folder is not None
                else export_run().default_path(kind, fmt))
        self.query_one("#export-out", Input).value = str(path)

    @on(Input.Submitted)
    def _start(self) -> None:
        out = Path(self.query_one("#export-out", Input).value).expanduser()
        if out.exists():
            self.app.push_screen(ConfirmModal(f"{out} exists. Overwrite it?"),
                                 lambda yes: self.export(out, True) if yes else None)
        else:
            self.export(out, False)

    def export(self, out: Path, force: bool) -> None:
        kind, fmt = self.kind_and_format
        codes = [c.strip() for c in self.query_one("#export-codes", Input).value.split(",")
                 if c.strip()]
        goal_text = self.query_one("#export-goal", Input).value.strip()
        goal = int(goal_text) if goal_text.isdigit() else None
        self.query_one("#export-status", Static).update(Text(f"exporting {kind} …"))
        self.run_export(kind, fmt, out, force, codes, goal)

    @work(thread=True, exclusive=True, group="export", description="export")
    def run_export(self, kind: str, fmt: str, out: Path, force: bool, codes: list[str],
                   goal: int | None) -> None:
        """In a thread with its own connection: a large export does not freeze the screen."""
        try:
            db = open_project(self.project)
            try:
                written = export_run().run_export(db, kind, fmt, out, force, codes, goal)
            finally:
                db.close()
        except KasusError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self._done, written)

    def _failed(self, message: str) -> None:
        self.query_one("#export-status", Static).update(Text(message, style="red"))
        self.notify(message, severity="error", markup=False)

    def _done(self, written: Path) -> None:
        self.written = written
        self.query_one("#export-status", Static).update(
            Text(f"wrote {written} — Escape closes", style="green"))
        self.notify(f"wrote {written}", markup=False)

    def action_close(self) -> None:
        self.dismiss(self.written)
