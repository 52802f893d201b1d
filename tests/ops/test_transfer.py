"""Import and export: round trip, dry run, refused rows, duplicates, streaming."""

import csv
import io

from sqlalchemy import delete, event, func, select

from leadbook import models as m
from leadbook.ops.transfer import columns, export, importing


def _export(db, admin) -> str:
    out = io.StringIO()
    export.write_csv(export.export_rows(db, admin), out)
    return out.getvalue()


def _rows(text: str):
    return csv.DictReader(io.StringIO(text))


def _wipe_leads(db):
    for model in (m.LeadCompetitor, m.LeadUser, m.LeadProduct, m.Lead):
        db.execute(delete(model))
    db.commit()


def _importer(sessions, **options):
    problems = []
    importer = importing.Importer(sessions, "mpadministrator", report=problems.append, **options)
    return importer, problems


def _count(db):
    db.rollback()  # a fresh snapshot: see what the requests committed
    db.expire_all()
    return db.scalar(select(func.count(m.Lead.id)))


def test_export_then_import_round_trips(db, sessions, admin):
    exported = _export(db, admin)
    _wipe_leads(db)
    importer, problems = _importer(sessions)
    outcome = importer.run(_rows(exported))
    assert problems == [] and outcome.created == exported.count("\n") - 1
    db.rollback()  # a fresh snapshot: see what the requests committed
    db.expire_all()
    assert _export(db, admin) == exported


def test_json_export_has_every_lead(db, admin):
    out = io.StringIO()
    assert export.write_json(export.export_rows(db, admin), out) == _count(db)
    assert out.getvalue().startswith("[\n{") and out.getvalue().endswith("}\n]\n")


def test_dry_run_stores_nothing(db, sessions, admin):
    exported = _export(db, admin)
    _wipe_leads(db)
    importer, problems = _importer(sessions, dry_run=True)
    assert importer.run(_rows(exported)).created > 10
    assert _count(db) == 0 and problems == []


def test_a_bad_row_is_reported_and_leaves_nothing(db, sessions, demo):
    text = (
        "type,importance,priority,contact_last_name,source_type,source_name,contact_email\n"
        "New Customer,IMPORTANCE2,2,Good,WEBSITE,site,good@x.test\n"
        "New Customer,IMPORTANCE2,9,Bad,WEBSITE,site,bad@x.test\n"
        "No Such Type,IMPORTANCE2,2,Worse,WEBSITE,site,worse@x.test\n"
    )
    before = _count(db)
    contacts = db.scalar(select(func.count(m.Contact.id)))
    importer, problems = _importer(sessions)
    outcome = importer.run(_rows(text))
    assert (outcome.created, outcome.refused) == (1, 2)
    assert [p.line for p in problems] == [3, 4]
    assert "priority" in problems[0].message and problems[1].column == "type"
    assert _count(db) == before + 1
    assert db.scalar(select(func.count(m.Contact.id))) == contacts + 1


def test_duplicates_on_the_normalised_email_or_phone_are_skipped(db, sessions, demo):
    text = (
        "type,importance,priority,contact_last_name,source_type,source_name,contact_email,"
        "contact_phone,contact_id_number\n"
        "New Customer,IMPORTANCE2,2,A,WEBSITE,s,a@x.test,,\n"
        "New Customer,IMPORTANCE2,2,B,WEBSITE,s,A@X.test,,\n"
        "New Customer,IMPORTANCE2,2,C,WEBSITE,s,,+357 99 765432,\n"
        "New Customer,IMPORTANCE2,2,D,WEBSITE,s,,+35799765432,\n"
        "New Customer,IMPORTANCE2,2,E,WEBSITE,s,,(+357) 99-765-432,\n"
        "New Customer,IMPORTANCE2,2,F,WEBSITE,s,kokos@crm.com,,\n"
    )
    importer, problems = _importer(sessions)
    outcome = importer.run(_rows(text))
    assert (outcome.created, outcome.duplicates) == (2, 4)
    assert [p.line for p in problems] == [3, 5, 6, 7]
    importer, _ = _importer(sessions, allow_duplicates=True)
    assert importer.run(_rows(text)).created == 6


def test_rows_are_streamed_and_committed_in_batches(db, sessions, demo, monkeypatch):
    monkeypatch.setattr(importing, "BATCH", 50)
    produced = []
    at_first_commit = []

    def rows():
        for i in range(160):
            produced.append(i)
            yield {
                "type": "New Customer",
                "importance": "IMPORTANCE1",
                "priority": "1",
                "contact_last_name": f"Row {i}",
                "source_type": "OTHER",
                "source_name": "x",
            }

    from sqlalchemy.orm import Session

    def on_commit(session):
        if not at_first_commit:
            at_first_commit.append(len(produced))

    event.listen(Session, "after_commit", on_commit)
    try:
        importer, problems = _importer(sessions)
        assert importer.run(rows()).created == 160
    finally:
        event.remove(Session, "after_commit", on_commit)
    assert problems == []
    assert at_first_commit[0] <= 51  # one batch read before the first commit, not the file


def _plain(i: int, **extra) -> dict[str, str]:
    return {
        "type": "New Customer",
        "importance": "IMPORTANCE1",
        "priority": "1",
        "contact_last_name": f"Row {i}",
        "source_type": "OTHER",
        "source_name": "x",
        **extra,
    }


def test_memory_stays_flat_however_long_the_file(db, sessions, demo, tmp_path, monkeypatch):
    """Rows of 100 kB each: holding the file's rows would take 12 MB; the import's peak
    stays a small fraction of it: what is held grows with the batch (the session is emptied
    at each commit), not with the file; per row only a duplicate-key digest stays. (Few
    rows: tracemalloc makes each one slow to import.)"""
    import tracemalloc

    monkeypatch.setattr(importing, "BATCH", 10)
    rows, size = 120, 100_000
    path = tmp_path / "big.csv"
    with open(path, "w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns.COLUMNS)
        writer.writeheader()
        for i in range(rows):
            email = f"row{i}@big.test"
            writer.writerow(_plain(i, description=f"{i:06d}" + "d" * size, contact_email=email))
    importer, problems = _importer(sessions)
    with open(path, newline="") as source:
        tracemalloc.start()
        try:
            outcome = importer.run(csv.DictReader(source))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert problems == [] and outcome.created == rows
    held = rows * size
    assert peak < held / 4, f"peak {peak / 1e6:.1f} MB for {held / 1e6:.0f} MB of rows"
    assert _count(db) >= rows


def _lead(db, **where):
    db.rollback()
    db.expire_all()
    query = select(m.Lead)
    for column, value in where.items():
        query = query.where(getattr(m.Lead, column) == value)
    return db.scalar(query)


def test_each_life_cycle_state_is_reached_by_the_usual_moves(db, sessions, demo):
    rows = [
        _plain(1, life_cycle_state="IN_PROGRESS", topic="t-progress"),
        _plain(2, life_cycle_state="WON", topic="t-won"),
        _plain(3, life_cycle_state="LOST", lost_reason="Price", topic="t-lost"),
        _plain(4, life_cycle_state="CANCELLED", topic="t-cancelled"),
        _plain(5, life_cycle_state="LOST", topic="t-no-reason"),
        _plain(6, life_cycle_state="ASLEEP", topic="t-asleep"),
    ]
    importer, problems = _importer(sessions)
    outcome = importer.run(rows)
    assert (outcome.created, outcome.refused) == (4, 2)
    assert [(p.line, p.column) for p in problems] == [(6, "lost_reason"), (7, "life_cycle_state")]
    assert "ASLEEP" in problems[1].message
    for topic, state, status in (
        ("t-progress", "IN_PROGRESS", "Learn"),
        ("t-won", "WON", "Won"),
        ("t-lost", "LOST", "Lost"),
        ("t-cancelled", "CANCELLED", "Cancelled"),
    ):
        lead = _lead(db, topic=topic)
        assert (lead.life_cycle_state, lead.status.name) == (state, status)
    assert _lead(db, topic="t-lost").lost_reason.name == "Price"
    actions = db.scalars(
        select(m.LeadEvent.action)
        .where(m.LeadEvent.lead_number == _lead(db, topic="t-won").number)
        .order_by(m.LeadEvent.id)
    ).all()
    assert actions == ["create", "start_progress", "win"]
    assert {e.via for e in db.scalars(select(m.LeadEvent))} >= {"import"}
    assert _lead(db, topic="t-no-reason") is None and _lead(db, topic="t-asleep") is None


def test_estimated_time_sets_the_expected_date_and_a_contradiction_is_refused(db, sessions, demo):
    start = "2026-03-01T09:00:00"
    rows = [
        _plain(
            1, topic="est", start_date=start, estimated_time_value="2", estimated_time_unit="weeks"
        ),
        _plain(
            2,
            topic="both",
            start_date=start,
            estimated_time_value="1",
            estimated_time_unit="DAYS",
            expected_completion_date="2026-03-05T09:00:00",
        ),
        _plain(3, topic="half", estimated_time_value="3"),
    ]
    importer, problems = _importer(sessions)
    assert importer.run(rows).created == 1
    lead = _lead(db, topic="est")
    assert (lead.estimated_time_value, lead.estimated_time_uot) == (2, "WEEKS")
    assert lead.expected_completion_date.isoformat() == "2026-03-15T09:00:00"
    assert "disagree" in problems[0].message and "together" in problems[1].message


def test_an_unknown_user_stops_the_import_before_any_row(sessions, demo):
    from leadbook.domain.errors import NotFound

    consumed = []

    def rows():
        consumed.append(1)
        yield _plain(1)

    importer = importing.Importer(sessions, "nobody")
    try:
        importer.run(rows())
    except NotFound as exc:
        assert "nobody" in exc.message
    else:
        raise AssertionError("an unknown --user was accepted")
    assert consumed == []


def test_problems_name_the_file_line_a_multi_line_record_starts_on(db, sessions, demo):
    text = (
        "type,importance,priority,contact_last_name,source_type,source_name,description\n"
        'New Customer,IMPORTANCE2,2,A,WEBSITE,s,"two\nlines"\n'
        "New Customer,IMPORTANCE2,7,B,WEBSITE,s,bad priority\n"
    )
    importer, problems = _importer(sessions)
    outcome = importer.run(_rows(text))
    assert (outcome.created, outcome.refused) == (1, 1)
    assert (problems[0].line, problems[0].column) == (4, "priority")
    assert _lead(db, contact_email=None, description="two\nlines") is not None
