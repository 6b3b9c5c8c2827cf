"""Datelines and page headers: where a report was filed from, and when it was published."""

from __future__ import annotations

import datetime as dt

from eventwatch.clean import publication_date_from_text
from eventwatch.extract.datelines import find_dateline


def test_wire_datelines_are_found_with_their_region():
    assert find_dateline("ABUJA, Nigeria (AP) — Gunmen killed 12 villagers").text == "ABUJA, Nigeria"
    assert find_dateline("Blast kills 4\n\nKABUL (Reuters) - A bomb exploded").text == "KABUL"
    assert find_dateline("Bogota, May 22 (EFE).- Six soldiers were killed").text == "Bogota"
    # run into a headline or a date line, as stored pages often are
    assert find_dateline("5 Mali soldiers killed  January 06, 2020  BAMAKO — Five Malian soldiers").text == "BAMAKO"


def test_ordinary_openings_are_no_datelines():
    assert find_dateline("The army said: the attack was repelled.") is None
    assert find_dateline("Police said on Monday that five people died.") is None


def test_page_headers_give_the_publication_date():
    assert publication_date_from_text("Gunmen kill 12\n\nPublished: 2019-12-24\n\nABUJA —") == dt.date(2019, 12, 24)
    assert publication_date_from_text("Updated: Tuesday, December 24, 2019 10:32") == dt.date(2019, 12, 24)
    assert publication_date_from_text("First published on Mon 5 Jun 2023 10.02 BST") == dt.date(2023, 6, 5)
    assert publication_date_from_text("Date: 24.12.2019") == dt.date(2019, 12, 24)
