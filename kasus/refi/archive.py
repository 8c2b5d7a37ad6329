"""A .qdpx archive from elsewhere, opened without trusting it: sizes, names and bombs checked."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kasus.errors import KasusError
from kasus.importing.office_reader import unsafe_member_name

MB = 1024 * 1024
# What kasus will read out of an archive. Audio and video members may be far larger, but
# they are never read, so only the members kasus reads are held to these sizes.
MAX_XML_BYTES = 200 * MB
MAX_SOURCE_BYTES = 50 * MB
MAX_READ_BYTES = 1024 * MB
MAX_MEMBERS = 100_000
MAX_RATIO = 200  # text and XML pack 3-20:1; zip bombs 1000:1 and more

_HINT = "refused for safety; if the file is genuine, export it again from its tool"


@dataclass
class QdpxArchive:
    """The members of a checked .qdpx: the project XML and the sources folder by file name."""

    path: Path
    zip: zipfile.ZipFile
    project_member: str
    sources: dict[str, zipfile.ZipInfo]  # casefolded file name -> member
    read_bytes: int = 0

    def project_xml(self) -> bytes:
        return self._read(self.zip.getinfo(self.project_member), MAX_XML_BYTES)

    def source(self, reference: str) -> bytes | None:
        """The bytes of the member a source path points at, however the tool wrote the
        path (internal://x.txt, x.txt, sources/x.txt, Sources\\x.txt); None if absent."""
        name = reference.replace("\\", "/").rsplit("/", 1)[-1].casefold()
        member = self.sources.get(name)
        return None if member is None else self._read(member, MAX_SOURCE_BYTES)

    def _read(self, member: zipfile.ZipInfo, limit: int) -> bytes:
        if member.file_size > limit:
            raise KasusError(f"{self.path}: member {member.filename!r} would unpack to "
                             f"{member.file_size // MB} MB (the limit is {limit // MB} MB)", _HINT)
        self.read_bytes += member.file_size
        if self.read_bytes > MAX_READ_BYTES:
            raise KasusError(f"{self.path}: the members kasus reads unpack to more than "
                             f"{MAX_READ_BYTES // MB} MB", _HINT)
        with self.zip.open(member) as handle:
            # zipfile stops at the declared size; reading one byte more catches a lying header.
            data = handle.read(member.file_size + 1)
        if len(data) > member.file_size:
            raise KasusError(f"{self.path}: member {member.filename!r} is larger than it says",
                             _HINT)
        return data

    def close(self) -> None:
        self.zip.close()


def open_qdpx(path: Path) -> QdpxArchive:
    """Open and check a .qdpx; every refusal is one line naming the file and the reason."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise KasusError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise KasusError(f"{path}: not a REFI-QDA project (not a readable zip: {error})",
                         "a .qdpx is a zip archive; export it again from its tool") from None
    try:
        return _checked(path, archive)
    except BaseException:
        archive.close()
        raise


def check_zip(where: Path | str, archive: zipfile.ZipFile) -> None:
    """Refuse an archive with too many members, unsafe names or bomb-like compression."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise KasusError(f"{where}: holds {len(members)} members (the limit is {MAX_MEMBERS})",
                         _HINT)
    for member in members:
        if unsafe_member_name(member.filename):
            raise KasusError(f"{where}: member name {member.filename!r} points outside the "
                             "archive", _HINT)
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MB and ratio > MAX_RATIO:
            raise KasusError(f"{where}: member {member.filename!r} is compressed "
                             f"{ratio:.0f}:1, like a zip bomb", _HINT)


def _checked(path: Path, archive: zipfile.ZipFile) -> QdpxArchive:
    check_zip(path, archive)
    projects: list[str] = []
    sources: dict[str, zipfile.ZipInfo] = {}
    for member in archive.infolist():
        if member.is_dir():
            continue
        parts = PurePosixPath(member.filename.replace("\\", "/")).parts
        if len(parts) == 1 and parts[0].casefold().endswith(".qde"):
            projects.append(member.filename)
        elif parts[0].casefold() == "sources":
            sources[parts[-1].casefold()] = member
    if not projects:
        raise KasusError(f"{path}: not a REFI-QDA project (no project.qde inside)",
                         "export the project from its tool as REFI-QDA (.qdpx)")
    if len(projects) > 1:
        preferred = [name for name in projects if name.casefold() == "project.qde"]
        if len(preferred) != 1:
            raise KasusError(f"{path}: holds {len(projects)} project files "
                             f"({', '.join(sorted(projects))}); a .qdpx holds one")
        projects = preferred
    return QdpxArchive(path, archive, projects[0], sources)
