"""Working on many rows at once: inserting them quickly (what Model.objects.bulk_create does, without a model
object per row), and keeping the cyclic garbage collector out of the way while they are built."""

from __future__ import annotations

import gc
import os
import re
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.fields import CharField, Field, IntegerField, TextField
from django.utils import timezone

# SQLite's page cache, in KiB (a negative cache_size is KiB), while inserting in bulk. Its default (2 MiB) is
# far smaller than the indexes a big import writes into at random places (a UUID primary key): pages are
# evicted and read back again and again, and dirty ones spilled to the WAL before the transaction commits.
SQLITE_CACHE_KIB = 64 * 1024
# How many pages the WAL may hold before a commit copies them into the database file (SQLite's default is
# 1,000: 4 MB). A big import dirties pages all through an index keyed by date, so every return committed was
# followed by a checkpoint copying much the same pages again, with its fsyncs: on 20 returns of 100,000 rows
# in all, 0.1-0.2 s of processor time and more of waiting for the disk. Every page is still checkpointed,
# once per 40 MB of WAL instead of once per commit; the WAL file keeps its largest size for reuse.
SQLITE_WAL_PAGES = 10_000


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a block builds many long-lived objects (a file's 100,000 rows
    of cells, its parsed entries, the tuples for an INSERT): it would walk them all again and again, finding
    nothing to free (on a 100,000-row import, about a sixth of the time). Garbage made meanwhile waits."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """INSERT new rows given as dicts of field values by attribute name, as bulk_create would.

    bulk_create builds a model object for every row (about 20 µs each), fits only 47 rows into a statement on
    SQLite, and prepares every value of every row one at a time: on a 100,000-row import that is more than ten
    seconds where the database needs about one. Here the rows go in column by column with insert_columns.
    A field missing from a row gets its default there.
    """
    if not rows:
        return
    names = {name for row in rows for name in row}
    columns: dict[str, list[Any]] = {}
    for field in _insert_fields(model):
        name = field.attname
        if name in names:
            columns[name] = [row[name] if name in row else field.get_default() for row in rows]
    insert_columns(model, len(rows), columns)


def insert_columns(
    model: type[models.Model],
    count: int,
    columns: Mapping[str, Sequence[Any]],
    same: Mapping[str, Any] | None = None,
) -> None:
    """INSERT `count` new rows given column by column: `columns` maps attribute names to one value per row,
    `same` to one value for every row. What bulk_create does besides is kept: a field in neither gets its
    default (a new UUID, version 1), auto_now and auto_now_add fields the time of the insert, an auto-increment
    key is left to the database, and no signals are sent (bulk_create sends none either). All or nothing: the
    rows go in with one executemany in a transaction (in autocommit, SQLite would commit after every row)."""
    insert_prepared(prepare_insert(model, count, columns, same))


@dataclass
class PreparedInsert:
    """Rows ready for the database, column by column: what prepare_insert makes and insert_prepared writes. Plain
    values, so that a forked process can prepare them and send them back cheaply (pickled)."""

    using: str
    sql: str
    names: list[str]  # each column's field, by attribute name
    columns: list[Sequence[Any]]

    def column(self, name: str) -> Sequence[Any]:
        """A column's values as the database takes them (on SQLite a date is ISO text, a UUID 32 hex digits)."""
        return self.columns[self.names.index(name)]


def prepare_insert(
    model: type[models.Model],
    count: int,
    columns: Mapping[str, Sequence[Any]],
    same: Mapping[str, Any] | None = None,
) -> PreparedInsert:
    """The INSERT that insert_columns makes, without running it (no database access: a forked copy of this
    process may run it). Each column's values go through the field's own get_db_prep_save once per distinct value
    (an import repeats the same return, agency, dates and sources), except a str for a plain CharField or
    TextField, which that gives back unchanged (descriptions are nearly all distinct)."""
    same = same or {}
    meta = model._meta
    using = router.db_for_write(model)
    connection = connections[using]
    now = timezone.now()
    fields = _insert_fields(model)
    prepared_columns: list[Sequence[Any]] = []
    for field in fields:
        name, prepare = field.attname, field.get_db_prep_save
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            prepared_columns.append([prepare(now, connection)] * count)
        elif name in same:
            prepared_columns.append([prepare(same[name], connection)] * count)
        elif name not in columns and not callable(field.default):
            prepared_columns.append([prepare(field.get_default(), connection)] * count)
        elif name not in columns and field.default is uuid.uuid4 and not connection.features.has_native_uuid_field:
            prepared_columns.append(_uuid7_hex(count))
        else:
            values = columns[name] if name in columns else [field.get_default() for _ in range(count)]
            if len(values) != count:
                raise ValueError(f"{name} has {len(values)} values for {count} rows")
            prepared_columns.append(_prepared(field, values, connection))
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model's own metadata, quoted
        quote(meta.db_table), ", ".join(quote(field.column) for field in fields), ", ".join(["%s"] * len(fields))
    )
    return PreparedInsert(using, sql, [field.attname for field in fields], prepared_columns)


def insert_prepared(prepared: PreparedInsert) -> None:
    if not prepared.columns or not prepared.columns[0]:
        return
    connection = connections[prepared.using]
    with transaction.atomic(using=prepared.using), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            _widen_sqlite_cache(cursor)
        with collector_paused():
            cursor.executemany(prepared.sql, list(zip(*prepared.columns, strict=True)))


def _insert_fields(model: type[models.Model]) -> list[Field[Any, Any]]:
    return [field for field in model._meta.concrete_fields if not isinstance(field, models.AutoField)]


def _kept_as_is(field: Field[Any, Any], connection: Any) -> type | None:
    """The type whose values field.get_db_prep_save gives back unchanged, if any: str for a CharField or
    TextField, int for an integer field on a backend that takes ints as they are (SQLite, not PostgreSQL,
    which wraps each for psycopg). Only when the field's class overrides none of the methods involved."""
    kind = type(field)
    if kind.get_db_prep_save is not Field.get_db_prep_save:
        return None
    if (
        kind.get_db_prep_value is Field.get_db_prep_value
        and kind.get_prep_value in (CharField.get_prep_value, TextField.get_prep_value)
        and kind.to_python in (CharField.to_python, TextField.to_python)
    ):
        return str
    if (
        kind.get_db_prep_value is IntegerField.get_db_prep_value
        and kind.get_prep_value is IntegerField.get_prep_value
        and type(connection.ops).adapt_integerfield_value is BaseDatabaseOperations.adapt_integerfield_value
    ):
        return int
    return None


def _prepared(field: Field[Any, Any], values: Sequence[Any], connection: Any) -> Sequence[Any]:
    kept = _kept_as_is(field, connection)
    if kept is not None and set(map(type, values)) == {kept}:
        return values
    if _stored_hex(field, values, connection):
        return values
    try:
        distinct = dict.fromkeys(values)
    except TypeError:  # an unhashable value: prepare each one
        return [field.get_db_prep_save(value, connection) for value in values]
    for value in distinct:
        distinct[value] = field.get_db_prep_save(value, connection)
    return list(map(distinct.__getitem__, values))


_HEX_UUID = re.compile(r"[0-9a-f]{32}")


def _stored_hex(field: Field[Any, Any], values: Sequence[Any], connection: Any) -> bool:
    """Whether `values` are UUIDs already as a UUIDField (or a foreign key to one) stores them on a database
    without a UUID type: 32 lower-case hex digits, which get_db_prep_save would turn into a UUID and back."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if not isinstance(target, models.UUIDField) or connection.features.has_native_uuid_field:
        return False
    if type(target).get_db_prep_value is not models.UUIDField.get_db_prep_value:
        return False
    return set(map(type, values)) == {str} and all(map(_HEX_UUID.fullmatch, values))


def _uuid7_hex(count: int) -> list[str]:
    """`count` new UUIDs as UUIDField stores them without a native type (32 hex digits), made together and in
    order: version 7 (a millisecond timestamp first), then a counter from a random start. Keys in order go on
    the end of the primary key's index; random ones (version 4) land all through it, and on a 100,000-row
    import that scattering is most of the cost of writing."""
    ms = time.time_ns() // 1_000_000
    start = int.from_bytes(os.urandom(8)) >> 2  # 62 random bits
    head = ms << 80 | 7 << 76 | (int.from_bytes(os.urandom(2)) & 0xFFF) << 64 | 0b10 << 62
    return [f"{head | (start + k) % (1 << 62):032x}" for k in range(count)]


def _widen_sqlite_cache(cursor: Any) -> None:
    cursor.execute("PRAGMA cache_size")
    (size,) = cursor.fetchone()
    # Positive sizes are pages (4 KiB by default), negative ones KiB; only ever made bigger.
    if (size * 4 if size > 0 else -size) < SQLITE_CACHE_KIB:
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    cursor.execute("PRAGMA wal_autocheckpoint")
    (pages,) = cursor.fetchone()
    if 0 < pages < SQLITE_WAL_PAGES:  # 0: checkpoints turned off on purpose; left so
        cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_WAL_PAGES}")
