"""Create a project from a codebook and an indicator set, and summarise what it holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kasus import __version__
from kasus.audit import now, record
from kasus.codebook.codes import CodebookChanges, sync_codebook
from kasus.codebook.file import load_codebook
from kasus.errors import ProjectError
from kasus.evidence.indicators import load_indicators, sync_indicators
from kasus.paths import data_root
from kasus.sites import load_sites_file, upsert_sites
from kasus.store import create_project, transaction

DEFAULT_CODEBOOK = data_root() / "codebook.yaml"
DEFAULT_INDICATORS = data_root() / "indicators.csv"
DEFAULT_SITES = data_root() / "corpus" / "sites.yaml"


def init_project(
    path: str | Path,
    actor: str,
    codebook_path: str | Path | None = None,
    indicators_path: str | Path | None = None,
    sites_path: str | Path | None = None,
) -> Database:
    """Create a project file holding the indicator set, the codebook and the case sites.

    Inputs are validated before the file is created, so a bad codebook leaves nothing behind.
    """
    indicators = load_indicators(indicators_path or DEFAULT_INDICATORS)
    codebook = load_codebook(
        codebook_path or DEFAULT_CODEBOOK, indicator_ids=[ind.id for ind in indicators]
    )
    sites_file = Path(sites_path) if sites_path else DEFAULT_SITES
    sites = load_sites_file(sites_file) if sites_file.exists() else []
    db = create_project(path)
    try:
        with transaction(db):
            db.table("project").insert_all(
                [
                    {"key": "created_at", "value": now()},
                    {"key": "created_by", "value": actor},
                    {"key": "kasus_version", "value": __version__},
                    {"key": "codebook", "value": codebook.name},
                ]
            )
            sync_indicators(db, indicators)
            sync_codebook(db, codebook, actor)
            upsert_sites(db, sites)
            record(db, actor, "project.init", "project", str(path))
    except BaseException:
        db.close()
        Path(path).unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    return db


def reload_codebook(db: Database, path: str | Path, actor: str) -> CodebookChanges:
    """Load a changed codebook into a project: add, update, retire; never delete."""
    indicator_ids = [row["id"] for row in db.table("indicators").rows]
    codebook = load_codebook(path, indicator_ids=indicator_ids)
    with transaction(db):
        return sync_codebook(db, codebook, actor)


@dataclass
class Stats:
    sites: list[dict[str, Any]] = field(default_factory=list)
    documents: int = 0
    words: int = 0
    codes: int = 0
    retired_codes: int = 0
    codings: int = 0
    coders: dict[str, int] = field(default_factory=dict)
    indicators: int = 0


def project_stats(db: Database) -> Stats:
    """Sites with their documents and words, codes, and live codings per coder."""
    if "codings" not in db.table_names():
        raise ProjectError("not a kasus project")
    sites = list(
        db.query(
            "SELECT sites.id, sites.name, count(documents.id) AS documents, "
            "coalesce(sum(documents.word_count), 0) AS words, "
            "(SELECT count(*) FROM codings JOIN documents d ON d.id = codings.document_id "
            " WHERE d.site_id = sites.id AND codings.removed_at IS NULL) AS codings "
            "FROM sites LEFT JOIN documents ON documents.site_id = sites.id "
            "GROUP BY sites.id ORDER BY sites.name"
        )
    )
    coders = {
        row["coder"]: row["n"]
        for row in db.query(
            "SELECT coder, count(*) AS n FROM codings WHERE removed_at IS NULL "
            "GROUP BY coder ORDER BY coder"
        )
    }
    return Stats(
        sites=sites,
        documents=sum(site["documents"] for site in sites),
        words=sum(site["words"] for site in sites),
        codes=db.table("codes").count_where("status = 'active'"),
        retired_codes=db.table("codes").count_where("status = 'retired'"),
        codings=sum(coders.values()),
        coders=coders,
        indicators=db.table("indicators").count,
    )
