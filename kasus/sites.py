"""Case sites: the municipalities and districts documents belong to."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from sqlite_utils import Database

from kasus.errors import KasusError, NotFoundError
from kasus.importing.normalise import normalise_field
from kasus.model import Site

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})
SITE_FIELDS = ("id", "name", "kind", "population", "county", "region")


def slugify(name: str) -> str:
    """A stable ascii id from a Norwegian name: 'Karmøy' -> 'karmoy'."""
    folded = unicodedata.normalize("NFKD", name.translate(_FOLD))
    ascii_only = folded.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-") or "site"


def load_sites_file(path: str | Path) -> list[dict[str, Any]]:
    """Read a sites.yaml file: a 'sites:' list of id, name and attributes."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as error:
        raise KasusError(f"{path}: cannot read sites file ({error})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise KasusError(f"{path}{line}: YAML syntax error in sites file") from None
    entries = data.get("sites") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(
        isinstance(entry, dict) and entry.get("name") for entry in entries
    ):
        raise KasusError(f"{path}: expected a 'sites:' list whose entries each have a name")
    return entries


def upsert_sites(db: Database, entries: list[dict[str, Any]]) -> None:
    """Add or update sites from sites-file entries, inside the caller's transaction."""
    for entry in entries:
        row = {key: entry.get(key) for key in SITE_FIELDS}
        row["id"] = row["id"] or slugify(str(entry["name"]))
        extra = {k: v for k, v in entry.items() if k not in SITE_FIELDS}
        row["attributes"] = json.dumps(extra, ensure_ascii=False)
        db.table("sites").upsert(row, pk="id")


def find_or_refuse_site(db: Database, name_or_id: str, create: bool = False) -> str:
    """The id of the site with this name or id; a new one is made only when create, else
    refused with the nearest known sites, since a misspelt site splits a case in two."""
    # One clean line: a name from front matter or --site may hold controls or line breaks.
    wanted = normalise_field(name_or_id)
    if not wanted:
        raise KasusError("a document needs a site", "pass --site or set site: in front matter")
    try:
        return find_site(db, wanted)
    except NotFoundError:
        if not create:
            raise NotFoundError(f"site {wanted!r} is not in the project",
                                f"did you mean {', '.join(nearest_sites(db, wanted))}? "
                                "(or pass --new-site to add it)") from None
    site_id = slugify(wanted)
    if not db.table("sites").count_where("id = ?", [site_id]):
        db.table("sites").insert({"id": site_id, "name": wanted, "attributes": "{}"})
    return site_id


def nearest_sites(db: Database, wanted: str, limit: int = 3) -> list[str]:
    """The names of the known sites closest to a name, for 'did you mean'."""
    from rapidfuzz import fuzz, process, utils

    names = [row[0] for row in db.execute("SELECT name FROM sites ORDER BY name")]
    folded = {name: _fold_name(name) for name in names}
    found = process.extract(_fold_name(wanted), folded, scorer=fuzz.WRatio, limit=limit,
                            processor=utils.default_process)
    return [name for _, _, name in found]


def _fold_name(name: str) -> str:
    return name.translate(_FOLD).casefold()


def list_sites(db: Database) -> list[Site]:
    """Every site, by name."""
    return [
        Site(**{key: row[key] for key in SITE_FIELDS})
        for row in db.table("sites").rows_where(order_by="name")
    ]


def find_site(db: Database, name_or_id: str) -> str:
    """The id of an existing site, by id or name (case-insensitive)."""
    wanted = name_or_id.strip().casefold()
    for row in db.query("SELECT id, name FROM sites"):
        if wanted in (row["id"].casefold(), row["name"].casefold()):
            return str(row["id"])
    raise NotFoundError(f"no site {name_or_id!r}", "see `kasus stats` for sites")
