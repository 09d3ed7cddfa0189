"""What kind of file an upload really is, read from its first bytes rather than taken from its name or browser.

A conversation's files are served back only as downloads, under the type found here, so a file cannot pass
itself off as a web page. Files we cannot recognise are refused, with a list of what we take.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from io import BytesIO


@dataclass(frozen=True)
class FileType:
    content_type: str
    family: str  # audio, document or picture
    description: str  # with its article, as a sentence uses it: "an MP3 audio file"


AUDIO = "audio"
DOCUMENT = "document"
PICTURE = "picture"

ACCEPTED = (
    "audio (MP3, M4A, WAV, OGG, FLAC, WebM), documents (PDF, Word, OpenDocument, RTF, plain text) and pictures "
    "(JPEG, PNG, GIF, HEIC, WebP)"
)

_DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", DOCUMENT, "a Word document")
_ODT = FileType("application/vnd.oasis.opendocument.text", DOCUMENT, "an OpenDocument text")
_TEXT = FileType("text/plain; charset=utf-8", DOCUMENT, "a plain text file")

# (offset, signature, type): the first that matches wins.
_SIGNATURES: tuple[tuple[int, bytes, FileType], ...] = (
    (0, b"%PDF-", FileType("application/pdf", DOCUMENT, "a PDF document")),
    (0, b"{\\rtf", FileType("application/rtf", DOCUMENT, "an RTF document")),
    (0, b"\x89PNG\r\n\x1a\n", FileType("image/png", PICTURE, "a PNG picture")),
    (0, b"\xff\xd8\xff", FileType("image/jpeg", PICTURE, "a JPEG picture")),
    (0, b"GIF87a", FileType("image/gif", PICTURE, "a GIF picture")),
    (0, b"GIF89a", FileType("image/gif", PICTURE, "a GIF picture")),
    (0, b"ID3", FileType("audio/mpeg", AUDIO, "an MP3 audio file")),
    (0, b"OggS", FileType("audio/ogg", AUDIO, "an Ogg audio file")),
    (0, b"fLaC", FileType("audio/flac", AUDIO, "a FLAC audio file")),
    (0, b"\x1a\x45\xdf\xa3", FileType("audio/webm", AUDIO, "a WebM audio file")),
)
_RIFF = {
    b"WAVE": FileType("audio/wav", AUDIO, "a WAV audio file"),
    b"WEBP": FileType("image/webp", PICTURE, "a WebP picture"),
}
# ISO media files (MP4 family) name their brand at offset 8, after "ftyp".
_BRANDS = {
    b"M4A ": FileType("audio/mp4", AUDIO, "an M4A audio file"),
    b"M4B ": FileType("audio/mp4", AUDIO, "an M4A audio file"),
    b"heic": FileType("image/heic", PICTURE, "a HEIC picture"),
    b"heix": FileType("image/heic", PICTURE, "a HEIC picture"),
    b"mif1": FileType("image/heic", PICTURE, "a HEIC picture"),
}


def sniff(data: bytes) -> FileType | None:
    """The type of `data` from its contents, or None when it is nothing we take."""
    for offset, signature, found in _SIGNATURES:
        if data[offset : offset + len(signature)] == signature:
            return found
    if data[:4] == b"RIFF" and data[8:12] in _RIFF:
        return _RIFF[data[8:12]]
    if data[4:8] == b"ftyp":
        return _BRANDS.get(data[8:12], FileType("audio/mp4", AUDIO, "an MP4 audio file"))
    # MP3 without an ID3 tag starts with a frame sync: eleven set bits.
    if len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0:
        return FileType("audio/mpeg", AUDIO, "an MP3 audio file")
    if data[:4] == b"PK\x03\x04":
        return _office(data)
    return _TEXT if _is_text(data) else None


def _office(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return _DOCX
            if "mimetype" in names and archive.read("mimetype").strip() == b"application/vnd.oasis.opendocument.text":
                return _ODT
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not any(ord(char) < 32 and char not in "\t\n\r\f" for char in text)
