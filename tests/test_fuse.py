"""Fusion of reports from several articles: real FA-KES development articles about the chemical attack
on Khan Shaykhun of 4 April 2017 (Asharq al-Awsat, The New Arab, Ahram Online), and the seeds."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from eventwatch.fuse import THRESHOLD, Cluster, Fuser, fuse_cluster, fuse_reports, pair_score
from eventwatch.ingest import read_sources
from eventwatch.pipeline import code_article, fuse_pending, refuse_all
from eventwatch.records import Article
from eventwatch.store import open_store

KHAN_SHAYKHUN = "2017-04-04"


@pytest.fixture(scope="module")
def reports(data_dir):
    """Each article's own main report of the attack, coded by the pipeline."""
    out = {}
    for item in read_sources([str(data_dir / "inputs" / "fakes-khan-shaykhun.csv")]):
        assert isinstance(item, Article)
        _, events = code_article(item)
        out[item.article_id] = next(e for e in events if str(e.event_date) == KHAN_SHAYKHUN)
    return out


def test_three_outlets_reporting_one_attack_fuse_into_one_event(reports):
    clusters = fuse_reports(reports.values())
    assert len(clusters) == 1
    fused = fuse_cluster(clusters[0])
    assert {s.article_id for s in fused.sources} == set(reports)
    assert (fused.event_date, fused.admin1, fused.sub_event_type) == (dt.date(2017, 4, 4), "Idleb",
                                                                      "Chemical weapon")
    assert fused.location == "Khan Shaykhun"
    # ACLED's rule: the lowest credible toll; the range spans what the sources reported
    tolls = {r.fatalities for r in reports.values()}
    assert fused.fatalities == min(tolls) and (fused.fatalities_low, fused.fatalities_high) == (
        min(r.fatalities_low for r in reports.values()), max(r.fatalities_high for r in reports.values()))
    # the ledger keeps every source's figure with the outlet that carried it
    ledger = {(c.article_id, c.value) for c in fused.claims if c.field == "fatalities"}
    for article_id, r in reports.items():
        assert (article_id, r.fatalities) in ledger
    assert "Sources differ on the toll" in fused.notes and "Reported by 3 sources" in fused.notes
    # evidence from every source, so the web page can highlight each article
    assert {v.article_id for v in fused.evidence} == set(reports)


def test_two_attacks_in_the_same_town_on_the_same_day_stay_two(reports):
    gas = reports["1918150030"]
    # A second, different attack that day in the same town: artillery fire on a checkpoint by rebels.
    shelling = gas.model_copy(update={
        "event_id": "other-attack", "sub_event_type": "Armed clash", "event_type": "Battles",
        "actor1": "Opposition Rebels (Syria)", "actor2": "Military Forces of Syria (2000-)",
        "fatalities": 2, "fatalities_low": 2, "fatalities_high": 2,
        "sources": [gas.sources[0].model_copy(update={"article_id": "another-article"})]})
    assert pair_score(gas, shelling) < THRESHOLD
    assert len(fuse_reports([gas, shelling])) == 2


def test_events_of_one_article_never_fuse_together(reports):
    gas = reports["1918150030"]
    twin = gas.model_copy(update={"event_id": "same-article-twin"})
    assert pair_score(gas, twin) is None
    assert len(fuse_reports([gas, twin])) == 2


def test_distant_dates_or_governorates_never_fuse(reports):
    gas = reports["1918150030"]
    later = gas.model_copy(update={"event_id": "x", "event_date": dt.date(2017, 4, 9),
                                   "sources": [gas.sources[0].model_copy(update={"article_id": "y"})]})
    elsewhere = later.model_copy(update={"event_date": gas.event_date, "admin1": "Hama"})
    assert pair_score(gas, later) is None and pair_score(gas, elsewhere) is None


def test_a_report_placed_only_at_the_governorate_joins_the_chemical_attack(reports):
    # NNA and Daily Sabah (FA-KES 1914947530, 1924058138) place the attack only "in Idlib", a day later
    gas = reports["1918150030"]
    province = gas.model_copy(update={
        "event_id": "idlib-only", "event_date": dt.date(2017, 4, 5), "location": "Idleb", "geo_precision": 3,
        "latitude": 35.93, "longitude": 36.63, "geonameid": None,
        "actor1": "Military Forces of Russia (2000-)", "fatalities": 7, "fatalities_low": 7, "fatalities_high": 7,
        "sources": [gas.sources[0].model_copy(update={"article_id": "nna"})]})
    assert pair_score(gas, province) >= THRESHOLD
    # air strikes so placed, with other perpetrators and tolls, do not: strikes on Idlib's towns are many a day
    strikes = [r.model_copy(update={"sub_event_type": "Air/drone strike", "weapon": "air strike"})
               for r in (gas, province)]
    assert (pair_score(*strikes) or 0.0) < THRESHOLD


def test_other_days_and_other_tolls_without_a_common_place_never_fuse(reports):
    # SANA (FA-KES 1926479098) and The Jordan Times (1924058038): rebel shelling in Aleppo on Friday, one
    # killed in al-Hamadaniya; on Saturday nine in western Aleppo
    base = reports["1918150030"].model_copy(update={
        "sub_event_type": "Shelling/artillery/missile attack", "weapon": "rockets", "admin1": "Aleppo",
        "actor1": "Unidentified Armed Group (Syria)", "actor2": "Civilians (Syria)", "geonameid": None})
    friday = base.model_copy(update={"event_id": "fri", "event_date": dt.date(2016, 8, 12), "location": "al-Hamadaniya",
                                     "geo_precision": 3, "latitude": 36.2, "longitude": 37.16, "fatalities": 1,
                                     "fatalities_low": 1, "fatalities_high": 1})
    saturday = base.model_copy(update={
        "event_id": "sat", "event_date": dt.date(2016, 8, 13), "location": "Aleppo", "geo_precision": 1,
        "latitude": 36.2, "longitude": 37.16, "fatalities": 9, "fatalities_low": 9, "fatalities_high": 9,
        "sources": [base.sources[0].model_copy(update={"article_id": "jordantimes"})]})
    assert pair_score(friday, saturday) is None
    same_toll = saturday.model_copy(update={"fatalities": 1, "fatalities_low": 1, "fatalities_high": 1})
    assert pair_score(friday, same_toll) is not None


def test_a_late_report_joins_the_existing_event_with_its_id(reports):
    first, second, late = (reports[i] for i in ("1918150030", "1923848146", "1923102872"))
    fuser = Fuser()
    fuser.add_all([first, second])
    fused_id = fuser.clusters[0].fused_id
    existing = [Cluster(reports=list(c.reports), fused_id=c.fused_id) for c in fuser.clusters]
    again = Fuser(existing)
    assert again.add(late) == fused_id
    assert [c.changed for c in again.clusters] == [True]


def test_run_fuses_as_it_goes_and_a_rerun_changes_nothing(tmp_path, data_dir):
    csv_path = data_dir / "inputs" / "fakes-khan-shaykhun.csv"
    with open(csv_path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    first_two, last = tmp_path / "first.csv", tmp_path / "last.csv"
    for path, part in ((first_two, rows[:2]), (last, rows[2:])):
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(part)
    store = open_store(str(tmp_path / "ew.db"))

    def ingest(path):
        for item in read_sources([str(path)]):
            if not store.has_article(content_hash=item.content_hash):  # as `eventwatch run` does
                store.save_article(*code_article(item))
        return fuse_pending(store)

    ingest(first_two)
    gas_event = next(e for e in store.iter_events("fused") if str(e.event_date) == KHAN_SHAYKHUN)
    assert len(gas_event.sources) == 2
    summary = ingest(last)  # a late article joins the event already stored
    joined = store.get_event(gas_event.event_id)
    assert len(joined.sources) == 3 and summary.fused_written >= 1
    before = sorted(e.model_dump_json() for e in store.iter_events("fused"))
    assert ingest(csv_path).reports == 0  # re-ingesting the same articles: nothing to fuse
    # re-coding an article (same report ids) restores its links and leaves the events as they were
    for item in read_sources([str(csv_path)]):
        article, events = code_article(item)
        store.save_article(article, events)
    fuse_pending(store)
    assert sorted(e.model_dump_json() for e in store.iter_events("fused")) == before
    # a full re-fuse gives the same events
    refuse_all(store)
    assert sorted(e.model_dump_json() for e in store.iter_events("fused")) == before


def test_the_cli_lists_fused_events_and_shows_sources_and_ledger(tmp_path, data_dir):
    import json

    from typer.testing import CliRunner

    from eventwatch.cli import app

    runner = CliRunner(env={"COLUMNS": "240"})
    db = str(tmp_path / "cli.db")
    csv_path = str(data_dir / "inputs" / "fakes-khan-shaykhun.csv")
    ran = runner.invoke(app, ["run", csv_path, "--db", db])
    assert ran.exit_code == 0 and "from several sources" in ran.output
    listed = runner.invoke(app, ["events", "--db", db, "--format", "jsonl", "--since", KHAN_SHAYKHUN,
                                 "--until", KHAN_SHAYKHUN]).output
    fused = [json.loads(line) for line in listed.splitlines() if line.strip()]
    assert len(fused) == 1 and len(fused[0]["sources"]) == 3
    reports = runner.invoke(app, ["events", "--db", db, "--format", "jsonl", "--reports", "--since",
                                  KHAN_SHAYKHUN, "--until", KHAN_SHAYKHUN]).output
    assert len([x for x in reports.splitlines() if x.strip()]) == 3
    shown = runner.invoke(app, ["show", fused[0]["event_id"], "--db", db]).output
    assert "Claims ledger" in shown and "Sources" in shown and "Asharq" in shown
    refused = runner.invoke(app, ["fuse", "--db", db])
    assert refused.exit_code == 0 and "fused events" in refused.output
    again = runner.invoke(app, ["events", "--db", db, "--format", "jsonl", "--since", KHAN_SHAYKHUN,
                                "--until", KHAN_SHAYKHUN]).output
    assert [json.loads(x)["event_id"] for x in again.splitlines() if x.strip()] == [fused[0]["event_id"]]


def test_opposite_sides_reporting_one_bombing_fuse_and_the_ledger_keeps_their_tolls(data_dir):
    """The Qamishli truck bombing of 27 July 2016 (FA-KES development articles): Al-Manar (Hezbollah's
    outlet), Daily Sabah (Turkish, state-aligned), Ahram Online (Egyptian state media) and TRT World."""
    reports = []
    for item in read_sources([str(data_dir / "inputs" / "fakes-qamishli.csv")]):
        _, events = code_article(item)
        reports += [e for e in events if str(e.event_date) == "2016-07-27"]
    clusters = fuse_reports(reports)
    assert len(clusters) == 1
    fused = fuse_cluster(clusters[0])
    outlets = {s.outlet for s in fused.sources}
    assert {"Al-Manar", "Daily Sabah"} <= outlets and len(outlets) == 4
    assert fused.admin1 == "Al Hasakeh" and fused.claimed_by == "Islamic State (Syria)"
    tolls = {c.value for c in fused.claims if c.field == "fatalities" and isinstance(c.value, int)}
    assert fused.fatalities == min(tolls) and fused.fatalities_high == max(tolls) and len(tolls) >= 3
    said = [(c.claimed_by, c.value) for c in fused.claims if c.field == "fatalities"]
    assert len(said) == len(set(said))  # each source's figure once, however often its article repeats it
    assert "Al-Manar (group-affiliated)" in fused.notes or "Daily Sabah (state-aligned)" in fused.notes


def test_a_report_in_another_governorate_never_joins_a_fused_event(reports, data_dir):
    """The New Arab (FA-KES 1923102874), 4 April 2017: shelling of Eastern Ghouta (Rural Damascus) on the
    day of the gas attack on Khan Shaykhun (Idleb). Read as the attack itself, it still never joins the
    Khan Shaykhun event, however many members that event has and whichever of them name no governorate."""
    from eventwatch.fuse import MEMBERS_SCORED

    item = next(iter(read_sources([str(data_dir / "inputs" / "fakes-ghouta-shelling.csv")])))
    _, events = code_article(item)
    ghouta = next(e for e in events if e.admin1 == "Rural Damascus" and e.location == "Eastern Ghouta")
    gas = reports["1918150030"]
    # Reports of the attack "in Syria" (no governorate) found the event, so that its Idleb reports come
    # after the members a candidate is scored against.
    vague = [gas.model_copy(update={
        "event_id": f"syria-{i}", "admin1": None, "location": None, "latitude": None, "longitude": None,
        "geonameid": None, "geo_precision": 3,
        "sources": [gas.sources[0].model_copy(update={"article_id": f"syria-{i}"})]}) for i in range(MEMBERS_SCORED)]
    as_the_attack = ghouta.model_copy(update={
        "sub_event_type": gas.sub_event_type, "event_type": gas.event_type, "actor1": gas.actor1,
        "fatalities": gas.fatalities, "fatalities_low": gas.fatalities_low, "fatalities_high": gas.fatalities_high})
    members = vague + list(reports.values())
    # at once (refuse_all) and as a late report against the stored event (fuse_pending's Fuser)
    batch = fuse_reports(members + [as_the_attack])
    assert all(len({r.admin1 for r in c.reports if r.admin1}) == 1 for c in batch)
    stored = Fuser([Cluster(reports=list(members))])
    assert stored.add(as_the_attack) != stored.clusters[0].fused_id
    assert {r.admin1 for r in stored.clusters[0].reports} == {None, "Idleb"}
    # a report that names no governorate still joins: only two known, different governorates forbid it
    unplaced = as_the_attack.model_copy(update={"event_id": "unplaced", "admin1": None, "location": None,
                                                "latitude": None, "longitude": None, "geo_precision": 3})
    assert stored.add(unplaced) == stored.clusters[0].fused_id


def test_a_report_counting_only_part_of_the_dead_does_not_set_the_conservative_toll(reports):
    """Rule fu-incomplete-count. A fourth outlet reports a tally of three deaths at one hospital for the
    Khan Shaykhun attack. The tally stays in the ledger and the range. The event's conservative figure is
    still the lowest of the three outlets that estimate the whole toll. Two reports that disagree are
    both credible, so the lowest of them still stands."""
    gas = reports["1918150030"]
    hospital = gas.model_copy(update={
        "event_id": "hospital-tally", "fatalities": 3, "fatalities_low": 3, "fatalities_high": 3, "claims": [],
        "sources": [gas.sources[0].model_copy(update={"article_id": "hospital-tally", "outlet": "Another outlet"})]})
    estimates = list(reports.values())
    fused = fuse_cluster(Cluster(reports=[*estimates, hospital]))
    assert fused.fatalities == min(r.fatalities for r in estimates) > 3
    assert fused.fatalities_low == 3
    assert ("hospital-tally", 3) in {(c.article_id, c.value) for c in fused.claims if c.field == "fatalities"}
    pair = fuse_cluster(Cluster(reports=[gas, hospital]))
    assert pair.fatalities == 3
