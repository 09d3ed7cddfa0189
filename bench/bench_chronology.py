"""The chronology benchmark (issue 3): caseview's import, validation, merge and candidate links against pandas.

    python bench/bench_chronology.py [--rows 100000] [--agencies 20] [--profile] [--keep DIR]

Generates the agency returns (bench/generate.py), then times, each side in its own fresh process:

- caseview: what `caseview chronology import --review REF --return AGENCY FILE --return ...` does with the
  20 returns (a lead reviewer loading the returns the agencies sent), through services.returns_import: forked
  copies of the process, one per core, read and check every file; then, in one transaction, this process
  stores each into its agency's return and releases it into the review's chronology while another copy looks
  for candidate links across the chronology as it will be, and the links are offered. The database is a
  SQLite file (not :memory:); the clock stops once whatever is still only in SQLite's write-ahead log has
  been checkpointed into the database file. The partnership, its agencies and the review exist beforehand.
- baseline: what an analyst would do with pandas: read_excel (openpyxl) and read_csv with the header row,
  encoding and delimiter known from generation, the columns renamed to the same names, concatenated,
  dates parsed with pd.to_datetime(dayfirst=True, errors="coerce") and sorted by date.

Peak memory is each child process's own maximum resident set size. The target (issue 3) is caseview's wall
time at or below the baseline's (ratio <= 1.0; aim for 0.5) and a peak under 1 GB. It exits 0 whatever the
ratio (a benchmark reports; it is not a test) and non-zero when either side fails.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
for path in (str(ROOT), str(BENCH_DIR)):
    if path not in sys.path:
        sys.path.insert(0, path)

from generate import SEED, ReturnFile, generate  # noqa: E402

TARGET_RATIO = 1.0
AIM_RATIO = 0.5
PEAK_LIMIT_MB = 1024


def _cpu_seconds() -> float:
    """Processor time of this process and of the children it has waited for (caseview's forked copies)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- caseview -----------------------------------------------------------------------------------------------


class _Clock:
    """Seconds spent in wrapped functions, by name (wrapping, not changing: each call goes straight through)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

        return timed


def _caseview_setup(db_path: str, agency_names: list[str]) -> dict[str, Any]:
    os.environ["DJANGO_SETTINGS_MODULE"] = "caseview.settings_test"
    os.environ["CASEVIEW_SQLITE_PATH"] = db_path
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from caseview.accounts.models import User
    from caseview.core.audit import Origin
    from caseview.reviews import services as reviews

    origin = Origin(ip_address="127.0.0.1", user_agent="caseview benchmark")
    partnership = reviews.partnership_create(name="Benchshire Safeguarding Partnership", by=None, origin=origin)
    lead = User.objects.create_user(username="bench-lead", email="bench-lead@example.invalid", password=None)
    reviews.partnership_lead_reviewer_add(partnership=partnership, user=lead, by=None, origin=origin)
    review = reviews.review_create(
        partnership=partnership,
        reference="BENCH2026",
        title="Child B",
        questions=["How well did agencies share what they knew?"],
        by=lead,
        origin=origin,
        lead_reviewer=lead,
    )
    # The partnership's agencies exist before any of them sends a return.
    agencies = {name: reviews.agency_add(partnership=partnership, name=name, by=lead, origin=origin)
                for name in agency_names}  # fmt: skip
    return {"review": review, "lead": lead, "origin": origin, "agencies": agencies}


def _caseview_import(files: list[ReturnFile], setup: dict[str, Any]) -> dict[str, Any]:
    """All the agencies' returns through the service layer, as `caseview chronology import --review REF
    --return AGENCY FILE ...` loads them (services.returns_import)."""
    from caseview.chronology import services

    review, lead, origin, agencies = setup["review"], setup["lead"], setup["origin"], setup["agencies"]
    returns = [
        services.ReturnFile(agency=agencies[f.agency], filename=Path(f.path).name, data=Path(f.path).read_bytes())
        for f in files
    ]
    result = services.returns_import(review=review, files=returns, by=lead, origin=origin)
    return {"stored": sum(result["entries"]), "candidates": result["candidates"]}


def _checkpoint() -> None:
    """Copy what is still only in SQLite's write-ahead log into the database file, so that writes left for
    later (caseview checkpoints less often during bulk imports) are paid for inside the timing, not after it."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def run_caseview(files: list[ReturnFile], db_path: str, profile: bool) -> dict[str, Any]:
    setup_started = time.perf_counter()
    setup = _caseview_setup(db_path, [f.agency for f in files])
    setup_seconds = time.perf_counter() - setup_started

    from caseview.chronology import selectors, services
    from caseview.chronology.models import ChronologyEntry, EntryLink
    from caseview.core import parallel

    clock = _Clock()
    for name in ("insert_prepared", "_replace_entries", "_release", "_offer_links"):
        setattr(services, name, clock.wrap(name, getattr(services, name)))
    selectors.link_columns = clock.wrap("rows", selectors.link_columns)
    # The files are all checked when the search for candidate links is handed to a forked copy.
    searching = services.Later

    def search_handed_over(*args: Any) -> Any:
        clock.seconds["checked"] = time.perf_counter() - started
        return searching(*args)

    services.Later = search_handed_over  # type: ignore[assignment,misc]
    parallel.Later.result = clock.wrap("waiting for the search", parallel.Later.result)  # type: ignore[method-assign]

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    result = _caseview_import(files, setup)
    imported = time.perf_counter()
    _checkpoint()
    wall, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
    clock.seconds["import"] = imported - started
    clock.seconds["checkpoint"] = wall - (imported - started)
    phases = dict(clock.seconds)
    profile_text = ""
    if profiler is not None:
        import io
        import pstats

        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(25)
        profile_text = out.getvalue()

    review = setup["review"]
    # Not part of the timed path: what one more refresh over the whole chronology costs (it finds nothing new,
    # but reads and compares everything), i.e. what candidate finding costs when run once for all 20 returns.
    refresh_started = time.perf_counter()
    services.candidate_links_refresh(review=review)
    one_refresh = time.perf_counter() - refresh_started
    in_chronology = selectors.released_entries(review=review).count()
    links = EntryLink.objects.filter(review=review).count()
    if in_chronology != result["stored"] or ChronologyEntry.objects.filter(review=review).count() != in_chronology:
        raise RuntimeError(f"stored {result['stored']:,} rows but the chronology holds {in_chronology:,}")
    return {
        **result,
        "wall": wall,
        "cpu": cpu,
        "setup": setup_seconds,
        "one_refresh": one_refresh,
        "in_chronology": in_chronology,
        "links": links,
        "phases": phases,
        "db_mb": sum(p.stat().st_size for p in Path(db_path).parent.glob(Path(db_path).name + "*")) / 1e6,
        "profile": profile_text,
        "peak_mb": _peak_mb(),
    }


# --- pandas -------------------------------------------------------------------------------------------------


def run_baseline(files: list[ReturnFile]) -> dict[str, Any]:
    import warnings

    import pandas as pd

    started, cpu_started = time.perf_counter(), _cpu_seconds()
    frames = []
    raw_dates = []  # kept aside for the format="mixed" figure below, outside the timing
    for f in files:
        if f.kind == "xlsx":
            frame = pd.read_excel(f.path, header=f.header_row, engine="openpyxl")
        else:
            frame = pd.read_csv(f.path, header=f.header_row, encoding=f.encoding, sep=f.sep)
        fields = {header: name for name, header in f.columns.items() if name in ("date", "description", "source")}
        missing = set(fields) - set(frame.columns)
        if missing:
            raise RuntimeError(f"pandas did not find {sorted(missing)} in {Path(f.path).name}")
        frame = frame[list(fields)].rename(columns=fields)
        frame["agency"] = f.agency
        frames.append(frame)
        raw_dates.append(frame["date"])
    merged = pd.concat(frames, ignore_index=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        merged["date"] = pd.to_datetime(merged["date"], dayfirst=True, errors="coerce")
    merged = merged.sort_values("date", kind="stable")
    wall, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
    # Not in the ratio: the same dates read element by element (format="mixed"), as an analyst who noticed
    # the NaTs might do next.
    mixed_started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mixed = pd.to_datetime(pd.concat(raw_dates), dayfirst=True, errors="coerce", format="mixed")
    mixed_seconds = time.perf_counter() - mixed_started
    return {
        "wall": wall,
        "cpu": cpu,
        "rows": len(merged),
        "unread_dates": int(merged["date"].isna().sum()),
        "mixed_seconds": mixed_seconds,
        "mixed_unread": int(mixed.isna().sum()),
        "warnings": sorted({str(w.message).split(".")[0] for w in caught}),
        "pandas": pd.__version__,
        "peak_mb": _peak_mb(),
    }


# --- running each side in its own process ------------------------------------------------------------------


def _child(connection: Any, side: str, args: tuple[Any, ...]) -> None:
    try:
        result = run_caseview(*args) if side == "caseview" else run_baseline(*args)
        connection.send({"ok": True, **result})
    except BaseException:
        connection.send({"ok": False, "error": traceback.format_exc()})
    finally:
        connection.close()


def in_child(side: str, *args: Any) -> dict[str, Any]:
    """Run one side in a fresh (spawned) process, so its peak memory and its imports are its own."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, side, args), name=f"bench-{side}")
    process.start()
    send.close()
    try:
        result: dict[str, Any] = receive.recv()
    except EOFError:
        result = {"ok": False, "error": f"the {side} process died without a result"}
    process.join()
    if process.exitcode not in (0, None) and result.get("ok"):
        result = {"ok": False, "error": f"the {side} process exited with {process.exitcode}"}
    return result


# --- report -------------------------------------------------------------------------------------------------


def _report(files: list[ReturnFile], generated: float, caseview: dict[str, Any], baseline: dict[str, Any]) -> None:
    rows = sum(f.rows for f in files)
    kinds = {kind: sum(1 for f in files if f.kind == kind) for kind in ("xlsx", "csv")}
    print(f"\n{rows:,} rows in {len(files)} agency returns ({kinds['xlsx']} XLSX, {kinds['csv']} CSV), "
          f"generated in {generated:.1f} s")  # fmt: skip
    phases = caseview["phases"]
    imported, checked = phases.get("import", 0.0), phases.get("checked", 0.0)
    storing, inserting = phases.get("_replace_entries", 0.0), phases.get("insert_prepared", 0.0)
    releasing, waiting = phases.get("_release", 0.0), phases.get("waiting for the search", 0.0)
    offering, rows_s = phases.get("_offer_links", 0.0), phases.get("rows", 0.0)
    print("\nwhere caseview's time goes (returns_import, as `caseview chronology import --return ...` runs it)")
    print(f"  the whole import                                          {imported:6.2f} s")
    print(f"    reading and checking the files (forked copies, one per core) {checked:6.2f} s")
    print(f"    reading the released entries, for the search            {rows_s:6.2f} s")
    print(f"    storing the returns (the search runs in a forked copy)  {storing:6.2f} s")
    print(f"      of which the INSERTs                                  {inserting:6.2f} s")
    print(f"    releasing them                                          {releasing:6.2f} s")
    print(f"    waiting for the search to finish                        {waiting:6.2f} s")
    print(f"    offering its candidate links                            {offering:6.2f} s")
    rest = imported - checked - rows_s - storing - releasing - waiting - offering
    print(f"    the rest (the commit)                                   {rest:6.2f} s")
    print(f"  final WAL checkpoint                                      {phases.get('checkpoint', 0.0):6.2f} s")
    print(f"  (setup: migrate, partnership, review: {caseview['setup']:.2f} s, not counted; "
          f"database {caseview['db_mb']:.0f} MB)")  # fmt: skip

    print(f"  one more refresh over all {caseview['in_chronology']:,} entries (it finds nothing new): "
          f"{caseview['one_refresh']:.2f} s, not counted")  # fmt: skip

    ratio = caseview["wall"] / baseline["wall"] if baseline["wall"] else float("inf")
    print()
    print(f"  {'':28} {'wall time':>10} {'processor':>10} {'peak memory':>12}  result")
    print(
        f"  {'caseview (service layer)':28} {caseview['wall']:9.2f}s {caseview['cpu']:9.2f}s "
        f"{caseview['peak_mb']:9.0f} MB  "
        f"{caseview['stored']:,} entries in the chronology, {caseview['links']:,} candidate links"
    )
    label = f"baseline (pandas {baseline['pandas']})"
    print(
        f"  {label:28} {baseline['wall']:9.2f}s {baseline['cpu']:9.2f}s {baseline['peak_mb']:9.0f} MB  "
        f"{baseline['rows']:,} rows sorted, {baseline['unread_dates']:,} dates it could not read (NaT)"
    )
    print(
        f'  {"":28} (format="mixed" would add {baseline["mixed_seconds"]:.2f} s and leave '
        f"{baseline['mixed_unread']:,} unread; not in the ratio)"
    )
    for warning in baseline["warnings"]:
        print(f"  {'':28} pandas warned: {warning}")
    print(f"\n  ratio caseview / baseline: {ratio:.2f} (target <= {TARGET_RATIO}, aim {AIM_RATIO})")
    # Wall time is the target; processor time (caseview's includes its forked copies) says how much of a
    # difference came from a machine busy with other work while one side ran.
    cpu_ratio = caseview["cpu"] / baseline["cpu"] if baseline["cpu"] else float("inf")
    print(f"  (processor time: {cpu_ratio:.2f}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())})")
    peak = max(caseview["peak_mb"], baseline["peak_mb"])
    passed = ratio <= TARGET_RATIO and caseview["peak_mb"] < PEAK_LIMIT_MB
    print(
        f"  {'PASS' if passed else 'FAIL'}: ratio {ratio:.2f} {'<=' if ratio <= TARGET_RATIO else '>'} {TARGET_RATIO}, "
        f"caseview peak {caseview['peak_mb']:.0f} MB {'<' if caseview['peak_mb'] < PEAK_LIMIT_MB else '>='} "
        f"{PEAK_LIMIT_MB} MB (largest of both sides {peak:.0f} MB)"
    )
    if caseview["profile"]:
        print("\ncProfile of caseview's side (its timings above include the profiler's overhead)\n")
        print(caseview["profile"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in all the returns together")
    parser.add_argument("--agencies", type=int, default=20, help="how many agency returns")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--profile", action="store_true", help="run caseview's side under cProfile and print it")
    parser.add_argument("--keep", type=Path, help="write the files and the database here and keep them")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="caseview-bench-") as scratch:
        directory = args.keep or Path(scratch)
        started = time.perf_counter()
        files = generate(directory / "returns", rows=args.rows, agencies=args.agencies, seed=args.seed)
        generated = time.perf_counter() - started
        db_path = directory / "bench.sqlite3"
        for stale in directory.glob("bench.sqlite3*"):
            stale.unlink()
        print(f"Generated {len(files)} returns in {directory / 'returns'}; timing pandas, then caseview...", flush=True)
        baseline = in_child("baseline", files)
        if not baseline["ok"]:
            print(f"The pandas baseline failed:\n{baseline['error']}", file=sys.stderr)
            return 1
        caseview = in_child("caseview", files, str(db_path), args.profile)
        if not caseview["ok"]:
            print(f"caseview's side failed:\n{caseview['error']}", file=sys.stderr)
            return 1
        _report(files, generated, caseview, baseline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
