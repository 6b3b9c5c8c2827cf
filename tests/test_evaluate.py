"""The evaluation protocol, checked against numbers worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from eventwatch.evaluate import GoldArticle, evaluate, evaluate_fakes_admin1, load_gold
from eventwatch.ingest import read_sources
from eventwatch.pipeline import code_article
from eventwatch.records import Event, Source

D = dt.date


def pred(article_ids, date, sub="Air/drone strike", etype="Explosions/Remote violence", admin1="Idleb",
         actor1="Military Forces of Syria (2000-)", actor2="Civilians (Syria)", fatalities=0, event_id=None,
         background=False):
    ids = [article_ids] if isinstance(article_ids, str) else article_ids
    return Event(event_id=event_id or f"{ids[0]}-{date}-{sub}", event_date=date, disorder_type="Political violence",
                 event_type=etype, sub_event_type=sub, actor1=actor1, actor2=actor2, admin1=admin1,
                 fatalities=fatalities, background=background, sources=[Source(article_id=i) for i in ids])


def gold_event(date, key=None, sub="Air/drone strike", admin1="Idleb", fatalities_range=(10, 12), **extra):
    return {"event_key": key, "event_date": date, "event_type": "Explosions/Remote violence", "sub_event_type": sub,
            "actor1": ["Military Forces of Syria (2000-)", "Military Forces of Russia (2000-)"],
            "actor2": ["Civilians (Syria)"], "admin1": admin1, "fatalities": fatalities_range[0],
            "fatalities_range": list(fatalities_range), **extra}


def test_detection_fields_and_row_accuracy_by_hand():
    gold = [
        GoldArticle(article_id="a", events=[
            gold_event("2017-04-04"),                                            # matched, all right
            gold_event("2016-01-01", background=True, sub="Shelling/artillery/missile attack"),  # missed
            gold_event("2017-04-01", optional=True, sub="Armed clash"),          # optional
        ]),
        GoldArticle(article_id="b", events=[gold_event("2017-04-05", admin1="Hama")]),  # wrong fatalities
    ]
    predictions = [
        pred("a", D(2017, 4, 4), fatalities=11),
        pred("a", D(2017, 4, 1), sub="Armed clash", etype="Battles"),          # paired with the optional one
        pred("a", D(2017, 3, 1)),                                              # nothing to pair: FP
        pred("b", D(2017, 4, 6), admin1="Hama", fatalities=3),                 # date off by one
        pred("zzz", D(2017, 4, 6)),                                            # article not in gold
    ]
    r = evaluate(gold, predictions)
    # non-optional gold: 3; TP 2 (a main, b main); FN 1 (a background); FP 1 (2017-03-01)
    assert (r.tp, r.fp, r.fn) == (2, 1, 1)
    assert r.precision == pytest.approx(2 / 3) and r.recall == pytest.approx(2 / 3)
    assert r.f1 == pytest.approx(2 / 3)
    assert r.main_found / r.n_main == 1.0
    # fields over the 2 matched non-optional pairs
    assert r.field_share("event_date") == 0.5 and r.field_share("event_date_1day") == 1.0
    assert r.field_share("fatalities") == 0.5 and r.field_share("actor1") == 1.0
    # row accuracy over 2 main events: only "a" has date and fatalities right
    assert r.to_dict()["row_accuracy"] == 0.5
    assert r.ignored_predictions == 1


def test_pairs_more_than_seven_days_apart_or_in_other_regions_are_not_allowed():
    gold = [GoldArticle(article_id="a", events=[gold_event("2017-04-04")])]
    assert evaluate(gold, [pred("a", D(2017, 4, 12))]).tp == 0
    assert evaluate(gold, [pred("a", D(2017, 4, 11))]).tp == 1
    assert evaluate(gold, [pred("a", D(2017, 4, 4), admin1="Hama")]).tp == 0
    assert evaluate(gold, [pred("a", D(2017, 4, 4), admin1=None)]).tp == 1


def test_a_gold_period_contains_the_predicted_date():
    gold = [GoldArticle(article_id="a", events=[gold_event("2018-08-01", date_end="2018-08-31", time_precision=3)])]
    r = evaluate(gold, [pred("a", D(2018, 8, 20))])
    assert r.tp == 1 and r.field_share("event_date") == 1.0


def test_bcubed_on_two_real_events_reported_by_three_articles():
    # gold: event X reported by a and b, event Y by c. Predicted: a+b+c fused into one event.
    gold = [GoldArticle(article_id="a", events=[gold_event("2017-04-04", key="X")]),
            GoldArticle(article_id="b", events=[gold_event("2017-04-04", key="X")]),
            GoldArticle(article_id="c", events=[gold_event("2017-04-05", key="Y")])]
    fused = pred(["a", "b", "c"], D(2017, 4, 4), event_id="F", fatalities=11)
    c = evaluate(gold, [fused]).clusters
    # items a,b (X) and c (Y) all in cluster F. B3 precision: a 2/3, b 2/3, c 1/3 -> 5/9; recall 1.
    assert c["bcubed_precision"] == pytest.approx(5 / 9, abs=1e-4) and c["bcubed_recall"] == 1.0
    # pairs together in prediction: 3; in gold: 1 (a-b); both: 1 -> P 1/3, R 1
    assert c["pairwise_precision"] == pytest.approx(1 / 3, abs=1e-4) and c["pairwise_recall"] == 1.0
    assert c["bad_merges"] == 1  # X and Y: gold events of different dates, however close
    split = [pred("a", D(2017, 4, 4), event_id="F1", fatalities=11), pred("b", D(2017, 4, 4), event_id="F1",
                                                                          fatalities=11),
             pred("c", D(2017, 4, 5), event_id="F2", fatalities=11)]
    assert evaluate(gold, split).clusters["bcubed_f1"] == 1.0


def test_the_seeds_score_perfectly(data_dir):
    gold = load_gold(data_dir / "gold" / "seeds.jsonl")
    events = [e for a in read_sources([data_dir / "seeds"]) for e in code_article(a)[1]]
    d = evaluate(gold, events).to_dict()
    assert d["detection"]["recall"] == 1.0 and d["detection"]["main_recall"] == 1.0
    assert d["row_accuracy"] == 1.0
    assert all(v["share"] == 1.0 for v in d["fields"].values() if v["pairs"])


def test_fakes_admin1_by_half(tmp_path):
    csv_path = tmp_path / "f.csv"
    csv_path.write_text("unit_id,article_title,article_content,source,date,location,labels\n"
                        "10,t,x,sana,1/1/2017,idlib,1\n12,t,x,sana,1/1/2017,damascus,1\n11,t,x,sana,1/1/2017,hama,1\n")
    events = [pred("10", D(2017, 1, 1), admin1="Idleb"), pred("12", D(2017, 1, 1), admin1="Rural Damascus"),
              pred("11", D(2017, 1, 1), admin1="Homs")]
    d = evaluate_fakes_admin1(events, csv_path).to_dict()
    assert d["development (even)"]["accuracy"] == 1.0 and d["held out (odd)"]["accuracy"] == 0.0


def test_a_fused_event_joining_two_places_is_a_bad_merge():
    from eventwatch.evaluate import far_apart

    douma = {"event_key": "a", "event_date": "2016-04-23", "admin1": "Rural Damascus", "location": ["Douma"]}
    camp = {"event_key": "b", "event_date": "2016-04-23", "admin1": "Rural Damascus", "location": ["Wafideen"]}
    month = {"event_key": "c", "event_date": "2013-08-01", "date_end": "2013-08-31", "admin1": "Rural Damascus"}
    day = {"event_key": "d", "event_date": "2013-08-21", "admin1": ["Rural Damascus", "Damascus"]}
    later = {"event_key": "e", "event_date": "2016-04-26", "admin1": "Rural Damascus"}
    next_day = {"event_key": "f", "event_date": "2016-04-24", "admin1": "Rural Damascus", "location": ["Douma"]}
    assert far_apart(douma, camp) and far_apart(douma, later) and far_apart(douma, next_day)
    assert not far_apart(month, day)  # "in August 2013" contains the 21st


def test_reports_rows_by_country_and_event_type_and_scores_country_and_inter(data_dir):
    from eventwatch.evaluate import group_rows

    gold = load_gold(data_dir / "gold" / "seeds.jsonl")
    events = [e for a in read_sources([data_dir / "seeds"]) for e in code_article(a)[1]]
    report = evaluate(gold, events)
    d = report.to_dict()
    assert d["fields"]["country"]["share"] in (None, 1.0)
    countries = {r["name"]: r for r in group_rows(report, "country")}
    types = {r["name"] for r in group_rows(report, "event_type")}
    assert "Explosions/Remote violence" in types
    assert all(r["recall"] == 1.0 for r in countries.values())


def test_state_forces_match_whatever_period_the_gold_wrote():
    from eventwatch.evaluate import same_actor

    assert same_actor("Military Forces of Syria (2000-2024)", ["Military Forces of Syria (2000-)"])
    assert same_actor("Military Forces of the United States (2009-2017)", "Military Forces of the United States (2017-)")
    assert not same_actor("Military Forces of Niger (2021-)", "Military Forces of Nigeria (2023-)")
    assert not same_actor("Islamic State (Syria)", "Islamic State (Iraq)")


def test_admin1_in_any_spelling_the_profiles_give_it():
    # gold written with the Indonesian name, the system writes ACLED's English one: the same province
    from eventwatch.evaluate import same_admin1

    assert same_admin1("East Java", ["Jawa Timur"]) and same_admin1("Jawa Barat", "West Java")
    assert not same_admin1("East Java", ["Jawa Tengah"])
    gold = [GoldArticle(article_id="a", events=[gold_event("2012-10-27", admin1="Jawa Tengah")])]
    assert evaluate(gold, [pred("a", D(2012, 10, 27), admin1="Central Java")]).tp == 1
