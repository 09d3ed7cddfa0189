"""The pseudonym registry of a review: every real name, place and rare detail, and what outputs say instead.

People come from the review itself: each participant's real name maps to their label ("Mother", "Health
visitor 1") and each member's name to their position in the review. Places, organisations and rare details
are added by hand (models.RegistryEntry). `pseudonymise` applies the registry to text on output;
`identify` reverses it for the team view; `check_terms` gives the publication check what to look for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from caseview.people.selectors import participants_in
from caseview.reports.models import EntryKind, EntrySource, RegistryEntry
from caseview.reviews.models import Review
from caseview.reviews.rules import role_label
from caseview.reviews.selectors import members_of

# Words in a name that are not a name on their own.
_NOT_NAMES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "the", "of", "and", "de", "la", "van", "von", "der"}
_WHITESPACE = re.compile(r"\s+")


def normalised(text: str) -> str:
    """How two writings of the same words compare: case and runs of spaces do not matter."""
    return _WHITESPACE.sub(" ", text).strip().casefold()


@dataclass(frozen=True)
class Term:
    """One literal the registry looks for: a real name, one part of it, a place, a variant or a rare detail."""

    text: str
    kind: str
    # What outputs say instead; a name part shared by several people has several.
    replacements: tuple[str, ...]
    # A single part of a person's name ("Ellie", "Marsh") counts only when written with a capital.
    is_part: bool = False

    @property
    def replacement(self) -> str:
        return self.replacements[0] if len(self.replacements) == 1 else "[name removed]"


@dataclass(frozen=True)
class RegistryRow:
    """One line of the registry as its page shows it."""

    kind: str
    source: str
    real_text: str
    variants: tuple[str, ...]
    replacement: str
    entry: RegistryEntry | None = None
    detail: str = ""

    @property
    def kind_label(self) -> str:
        return EntryKind(self.kind).label

    @property
    def source_label(self) -> str:
        return EntrySource(self.source).label


def manual_entries(*, review: Review) -> QuerySet[RegistryEntry]:
    return RegistryEntry.objects.filter(review=review).select_related("created_by")


def entry_for(*, review: Review, entry_id: Any) -> RegistryEntry:
    entry = manual_entries(review=review).filter(pk=entry_id).first()
    if entry is None:
        raise Http404("No such registry entry")
    return entry


def registry_rows(*, review: Review) -> list[RegistryRow]:
    """Everyone and everything in the registry: participants, then members, then what was added by hand."""
    rows: list[RegistryRow] = []
    linked_users = set()
    for participant in participants_in(review=review).order_by("kind", "label"):
        if participant.user_id:
            linked_users.add(participant.user_id)
        rows.append(
            RegistryRow(
                kind=EntryKind.PERSON,
                source=EntrySource.PARTICIPANT,
                real_text=participant.real_name,
                variants=tuple(name_parts(participant.real_name)),
                replacement=participant.label,
                detail=participant.get_kind_display(),
            )
        )
    for membership in members_of(review=review):
        if membership.user_id in linked_users:
            continue
        rows.append(
            RegistryRow(
                kind=EntryKind.PERSON,
                source=EntrySource.MEMBER,
                real_text=membership.user.full_name,
                variants=tuple(name_parts(membership.user.full_name)),
                replacement=membership.position or role_label(membership.role),
                detail=membership.get_role_display(),
            )
        )
    for entry in manual_entries(review=review):
        rows.append(
            RegistryRow(
                kind=entry.kind,
                source=EntrySource.MANUAL,
                real_text=entry.real_text,
                variants=tuple(entry.variant_list),
                replacement=entry.replacement,
                entry=entry,
            )
        )
    return rows


def name_parts(name: str) -> list[str]:
    """The parts of a person's name that could identify them alone: first names, surnames, each half of a
    double-barrelled name. Initials and titles are left out."""
    parts: list[str] = []
    for word in name.split():
        word = word.strip(".,;:()'\"")
        pieces = [word, *word.split("-")] if "-" in word else [word]
        for piece in pieces:
            if len(piece) >= 2 and piece.casefold() not in _NOT_NAMES and piece not in parts:
                parts.append(piece)
    return parts


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


class _Index:
    """How Terms finds its literals fast: each literal's first word is looked for with `str.find` in the
    lowercased text, and only where one stands as a whole word is the trie of every literal tried."""

    def __init__(self, terms: dict[str, Term], protected: set[str]) -> None:
        lowered = {key: _WHITESPACE.sub(" ", term.text).strip().lower() for key, term in terms.items()}
        # A literal can be in a text only if each of its words is; its first word is where to look for it.
        self.words = {key: frozenset(_words(text)) for key, text in lowered.items()}
        self.anchors = {key: (_words(text) or [text])[0] for key, text in lowered.items()}
        self.anchored = re.compile(_trie_regex(_trie(lowered.values())) + r"(?!\w)")
        self.literals = [*terms, *protected]
        self._fallback: re.Pattern[str] | None = None
        # For each literal, the protected phrases that contain it as whole words, and where.
        self.shields: dict[str, list[tuple[str, int]]] = {}
        phrases = [phrase.lower() for phrase in protected]
        for key, text in lowered.items():
            for phrase in phrases:
                at = phrase.find(text)
                while at != -1:
                    after = at + len(text)
                    if (at == 0 or not _is_word_char(phrase[at - 1])) and (
                        after == len(phrase) or not _is_word_char(phrase[after])
                    ):
                        self.shields.setdefault(key, []).append((phrase, at))
                    at = phrase.find(text, at + 1)

    @property
    def fallback(self) -> re.Pattern[str]:
        """For text whose lowercase is longer or shorter than itself (a few non-English letters): one
        case-insensitive pattern, in which protected phrases compete as literals too."""
        if self._fallback is None:
            self._fallback = literal_pattern(self.literals)
        return self._fallback

    def spans(self, text: str, lowered: str) -> list[tuple[int, int]]:
        if len(lowered) != len(text):
            return [match.span() for match in self.fallback.finditer(text)]
        found: list[tuple[int, int]] = []
        present = set(_words(lowered))
        anchors = {self.anchors[key] for key, words in self.words.items() if words <= present}
        for word in anchors:
            position = lowered.find(word)
            while position != -1:
                if position == 0 or not _is_word_char(lowered[position - 1]):
                    match = self.anchored.match(lowered, position)
                    if match is not None:
                        found.append(match.span())
                position = lowered.find(word, position + 1)
        found.sort(key=lambda span: (span[0], -span[1]))
        kept: list[tuple[int, int]] = []
        for span in found:
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        return kept

    def shielded(self, key: str, start: int, lowered: str) -> bool:
        for phrase, offset in self.shields.get(key, ()):
            begin, end = start - offset, start - offset + len(phrase)
            if (
                begin >= 0
                and lowered.startswith(phrase, begin)
                and (begin == 0 or not _is_word_char(lowered[begin - 1]))
                and (end == len(lowered) or not _is_word_char(lowered[end]))
            ):
                return True
        return False


# Punctuation splits words the way `\w+` would, but str.translate and str.split are many times faster.
# (The publication check joins a document's parts with NUL, so that splits words too.)
_PUNCTUATION = {ord(char): " " for char in "\x00!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~’‘“”…–—•·"}


def _words(text: str) -> list[str]:
    return text.translate(_PUNCTUATION).split()


@dataclass
class Terms:
    """What the publication check and `pseudonymise` look for, and the phrases they must leave alone."""

    terms: dict[str, Term] = field(default_factory=dict)
    # Pseudonyms, position labels and generic descriptions: never a hit, even where they contain a name part.
    protected: set[str] = field(default_factory=set)
    _index: _Index | None = None

    def matches(self, text: str) -> list[tuple[int, int, Term]]:
        """Each registered term in the text as (start, end, term): whole words, any case, the longest where
        several start at one place, skipping protected phrases and name parts written without a capital."""
        if not self.terms:
            return []
        if self._index is None:
            self._index = _Index(self.terms, self.protected)
        index = self._index
        lowered = text.lower()
        found = []
        for start, end in index.spans(text, lowered):
            written = text[start:end]
            key = normalised(written)
            term = self.terms.get(key)
            if term is None or (term.is_part and not written[0].isupper()):
                continue
            if len(lowered) == len(text) and index.shielded(key, start, lowered):
                continue
            found.append((start, end, term))
        return found


def _add(found: dict[str, list[Term]], text: str, kind: str, replacement: str, is_part: bool = False) -> None:
    text = text.strip()
    if text:
        found.setdefault(normalised(text), []).append(Term(text, kind, (replacement,), is_part))


def check_terms(review: Review) -> Terms:
    """Every real name and its parts, place, organisation and rare detail of the review, with replacements."""
    found: dict[str, list[Term]] = {}
    protected: set[str] = set()
    for row in registry_rows(review=review):
        protected.add(normalised(row.replacement))
        if not row.real_text:
            continue
        _add(found, row.real_text, row.kind, row.replacement)
        for variant in row.variants:
            is_part = row.source != EntrySource.MANUAL
            _add(found, variant, row.kind, row.replacement, is_part=is_part)
    terms: dict[str, Term] = {}
    for key, candidates in found.items():
        # A whole name or a variant typed by hand wins over the same word as a part of someone's name.
        whole = [term for term in candidates if not term.is_part]
        chosen = whole or candidates
        replacements = tuple(dict.fromkeys(r for term in chosen for r in term.replacements))
        first = chosen[0]
        terms[key] = Term(first.text, first.kind, replacements, is_part=not whole)
    protected.discard("")
    return Terms(terms=terms, protected=protected - set(terms))


def literal_pattern(literals: Iterable[str]) -> re.Pattern[str]:
    """A case-insensitive pattern matching any of the literals as whole words (any run of spaces between
    words), built as a trie so that the regex engine decides on each character once, not once per literal."""
    trie = _trie(normalised(literal) for literal in literals)
    if not trie:
        return re.compile(r"(?!)")
    return re.compile(r"(?<!\w)" + _trie_regex(trie) + r"(?!\w)", re.IGNORECASE)


def _trie(literals: Iterable[str]) -> dict[str, Any]:
    trie: dict[str, Any] = {}
    for literal in literals:
        node = trie
        for char in literal:
            node = node.setdefault(char, {})
        node[""] = True
    return trie


def _trie_regex(node: dict[str, Any]) -> str:
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _trie_regex(child) for char, child in node.items() if char
    ]
    if not branches:
        return ""
    ends_here = "" in node
    if len(branches) == 1 and not ends_here:
        return branches[0]
    body = "(?:" + "|".join(branches) + ")"
    return body + "?" if ends_here else body


def pseudonymise(*, review: Review, text: str, terms: Terms | None = None) -> str:
    """The text with every real name, name part, place and rare detail replaced by its pseudonym, position
    label or generic description: whole words, any case (a lone name part only when capitalised), longest
    first. A name part shared by several people becomes "[name removed]"."""
    terms = terms or check_terms(review)
    pieces: list[str] = []
    last = 0
    for start, end, term in terms.matches(text):
        pieces.append(text[last:start])
        pieces.append(term.replacement)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def identify(*, review: Review, text: str) -> str:
    """The reverse of `pseudonymise`, for the team view of people allowed to see identities (the caller checks
    `reviews.view_identities` and records the look): each pseudonym, label and generic description, written as
    registered or with a capital first letter, becomes the real name or place."""
    return identifier(review)(text)


def identifier(review: Review) -> Callable[[str], str]:
    """`identify` for many texts of one review: the registry is read once."""
    real: dict[str, str] = {}
    for row in registry_rows(review=review):
        if row.real_text and row.replacement:
            for form in (row.replacement, row.replacement[:1].upper() + row.replacement[1:]):
                real.setdefault(form, row.real_text)
    if not real:
        return lambda text: text
    alternatives = "|".join(re.escape(form) for form in sorted(real, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    return lambda text: pattern.sub(lambda match: real[match.group()], text)
