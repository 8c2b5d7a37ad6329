"""From evidence to the report: the framework matrix, cell summaries and goal judgements.

The screens need one or two calls each: the matrix `build_matrix`; a cell `cell_detail`, then
`save_summary` or `restore_summary`; the goal screen `goal_table` or `goal_row`, then
`save_judgement`, `cite` or `uncite`; `ground_source` opens a cited passage.
"""

from kasus.synthesis.columns import GOAL_ROWS, ColumnChoice, MatrixColumn, save_choice, saved_choice
from kasus.synthesis.grounds import Ground, cite, ground_source, grounds_of, uncite
from kasus.synthesis.judgements import (
    LEVELS,
    JudgementVersion,
    SubJudgement,
    judgement_history,
    parse_level,
    restore_judgement,
    save_judgement,
)
from kasus.synthesis.matrix import CellDetail, Matrix, MatrixCell, build_matrix, cell_detail
from kasus.synthesis.overview import GoalRow, goal_row, goal_table
from kasus.synthesis.summaries import (
    STATUSES,
    SummaryVersion,
    restore_summary,
    save_summary,
    summary_history,
)

__all__ = [
    "GOAL_ROWS", "LEVELS", "STATUSES", "CellDetail", "ColumnChoice", "GoalRow", "Ground",
    "JudgementVersion", "Matrix", "MatrixCell", "MatrixColumn", "SubJudgement",
    "SummaryVersion", "build_matrix", "cell_detail", "cite", "goal_row", "goal_table",
    "ground_source", "grounds_of", "judgement_history", "parse_level", "restore_judgement",
    "restore_summary",
    "save_choice", "save_judgement", "save_summary", "saved_choice", "summary_history",
    "uncite",
]
