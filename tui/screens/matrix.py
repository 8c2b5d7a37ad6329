"""The framework matrix: sites as rows, codes or whole goals as columns; per cell the passage
count, the summary's status and first line. Enter opens the cell."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Static

from kasus.codebook.codes import list_codes
from kasus.errors import KasusError
from kasus.synthesis import (
    ColumnChoice,
    Matrix,
    MatrixCell,
    MatrixColumn,
    build_matrix,
    save_choice,
    saved_choice,
)
from kasus.synthesis.matrix import TO_SUMMARISE
from tui.messages import Jump
from tui.modals.code_picker import CodePickerModal
from tui.modals.matrix_columns import MatrixColumnsModal
from tui.screens.cell import CellScreen
from tui.session import Session
from tui.widgets.footer import KeyFooter

CELL_WIDTH = 16
HEADER_CHARS = 12
STATUS_MARK = {"draft": ("◇ draft", "yellow"), "reviewed": ("✓ reviewed", "green"),
               TO_SUMMARISE: ("• to summarise", "bold magenta")}


def header(column: MatrixColumn) -> str:
    """A short column header: the code id without its parent's prefix, cut to fit."""
    short = column.id.rsplit(".", 1)[-1]
    return short if len(short) <= HEADER_CHARS else short[:HEADER_CHARS - 1] + "…"


def cell_text(cell: MatrixCell) -> Text:
    """Two lines: the passage count with the summary's status, then its first line, or
    "to summarise" for a cell with passages and no summary."""
    text = Text(f"{cell.passages:>3}", style="bold" if cell.passages else "dim")
    if cell.status == TO_SUMMARISE:
        mark, style = STATUS_MARK[TO_SUMMARISE]
        text.append("\n")
        text.append(mark, style=style)
        return text
    if cell.status in STATUS_MARK:
        mark, style = STATUS_MARK[cell.status]
        text.append(f" {mark}", style=style)
    line = cell.first_line
    if len(line) > CELL_WIDTH:
        line = line[:CELL_WIDTH - 1] + "…"
    text.append(f"\n{line}", style="italic")
    return text


class MatrixScreen(Screen[Jump | None]):
    """The matrix of one project; the column choice is saved through the core."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "close", "Back", id="matrix.close"),
        # Before the table's own Enter, so the footer shows what it does here.
        Binding("enter", "open_cell", "Open cell", id="matrix.open", priority=True),
        Binding("k", "choose_columns", "Columns", id="matrix.columns"),
        Binding("a", "add_column", "Add column", id="matrix.add"),
        Binding("x", "drop_column", "Drop column", id="matrix.drop"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.matrix: Matrix | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="matrix-title")
        yield DataTable(id="matrix-table", cursor_type="cell", zebra_stripes=True)
        yield Static(id="matrix-focus")
        yield KeyFooter()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#matrix-table", DataTable)

    def on_mount(self) -> None:
        self.show_matrix()
        self.table.focus()

    def show_matrix(self, keep: Coordinate | None = None) -> None:
        """Build the matrix from the store and fill the table (keeping the cursor's place)."""
        matrix = build_matrix(self.session.db)
        self.matrix = matrix
        table = self.table
        place = keep or table.cursor_coordinate
        table.clear(columns=True)
        table.fixed_columns = 1
        table.add_column("site", key="site")
        for col in matrix.columns:
            table.add_column(header(col), key=col.id, width=CELL_WIDTH)
        for site in matrix.sites:
            table.add_row(Text(site.name, style="bold"),
                          *(cell_text(matrix.cell(site.id, col.id)) for col in matrix.columns),
                          key=site.id, height=2)
        choice = saved_choice(self.session.db)
        shown = {"goals": "the six goal rows", "goal": f"the codes of goal {choice.goal}",
                 "codes": "codes picked"}[choice.mode]
        title = Text("Framework matrix", style="bold")
        title.append(f"  {len(matrix.sites)} sites × {len(matrix.columns)} columns: {shown}",
                     style="dim")
        self.query_one("#matrix-title", Static).update(title)
        if matrix.sites and matrix.columns:
            row = min(place.row, len(matrix.sites) - 1)
            column = min(max(place.column, 1), len(matrix.columns))
            table.move_cursor(row=row, column=column, animate=False)
        self.show_focus()

    def focused_cell(self) -> tuple[str, MatrixColumn] | None:
        """(site id, column) under the cursor, or None on the site names."""
        if self.matrix is None or not self.matrix.sites:
            return None
        at = self.table.cursor_coordinate
        if at.column < 1 or at.column > len(self.matrix.columns):
            return None
        return self.matrix.sites[at.row].id, self.matrix.columns[at.column - 1]

    @on(DataTable.CellHighlighted)
    def show_focus(self) -> None:
        """The full name of the focused cell's site and column, its counts and first line."""
        focus = self.query_one("#matrix-focus", Static)
        found = self.focused_cell()
        if found is None or self.matrix is None:
            focus.update(Text("← → ↑ ↓ move · Enter opens a cell", style="dim"))
            return
        site_id, col = found
        site = next(s for s in self.matrix.sites if s.id == site_id)
        cell = self.matrix.cell(site_id, col.id)
        text = Text(f"{site.name} × {col.label_nb}", style="bold")
        text.append(f" ({col.id})\n", style="dim")
        text.append(f"{cell.passages} passages in {cell.documents} notes")
        if cell.status:
            mark, style = STATUS_MARK.get(cell.status, (cell.status, "dim"))
            text.append(" · ")
            text.append(mark, style=style)
        if cell.version is not None:
            text.append(f" · version {cell.version}", style="dim")
        if cell.first_line:
            text.append(f"\n{cell.first_line}", style="italic")
        focus.update(text)

    @on(DataTable.CellSelected)
    def _cell_selected(self) -> None:
        self.action_open_cell()

    def action_open_cell(self) -> None:
        found = self.focused_cell()
        if found is None:
            return
        site_id, col = found
        self.app.push_screen(CellScreen(self.session, site_id, col.id), self.cell_closed)

    def cell_closed(self, target: Jump | None) -> None:
        if target is not None:
            self.dismiss(target)
        else:
            self.show_matrix()

    def choose(self, choice: ColumnChoice) -> None:
        try:
            save_choice(self.session.db, choice, self.session.coder)
        except KasusError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.show_matrix(Coordinate(self.table.cursor_coordinate.row, 1))

    def action_choose_columns(self) -> None:
        def chosen(choice: ColumnChoice | str | None) -> None:
            if isinstance(choice, ColumnChoice):
                self.choose(choice)
            elif choice == "codes":
                self.pick_code(keep=False)

        self.app.push_screen(MatrixColumnsModal(saved_choice(self.session.db)), chosen)

    def action_add_column(self) -> None:
        self.pick_code(keep=True)

    def pick_code(self, keep: bool) -> None:
        """Pick a code for a column: added after the present columns, or alone."""
        present = [col.id for col in self.matrix.columns] if keep and self.matrix else []
        codes = [c for c in list_codes(self.session.db) if c.status == "active"]

        def picked(code_id: str | None) -> None:
            if code_id in present:
                self.notify(f"{code_id} is a column already", timeout=3)
            elif code_id:
                self.choose(ColumnChoice("codes", codes=(*present, code_id)))

        self.app.push_screen(CodePickerModal(codes, "A code for a matrix column"), picked)

    def action_drop_column(self) -> None:
        found = self.focused_cell()
        if found is None or self.matrix is None:
            return
        rest = tuple(col.id for col in self.matrix.columns if col.id != found[1].id)
        if not rest:
            self.notify("the matrix keeps at least one column", severity="warning")
            return
        self.choose(ColumnChoice("codes", codes=rest))

    def action_close(self) -> None:
        self.dismiss(None)
