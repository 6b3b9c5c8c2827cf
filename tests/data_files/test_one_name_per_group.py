"""An armed group has one name whichever dictionary finds it: the words of actors.yaml (hand-tuned) and of
armed_groups.yaml (worldwide) that name the same group give the same ACLED name ("the SDF" and "SDF fighters"
were two actors, "SDF: ..." and "QSD: Syrian Democratic Forces", until session 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "eventwatch" / "data"
# the reference beside the project (as test_profiles.py looks for it); the check that needs it skips without it
TSV = next((p for p in (ROOT.parent / "shared" / "reference" / "acled-actor-names.tsv",
                        Path("/work/shared/reference/acled-actor-names.tsv")) if p.is_file()), None)
# Words the hand-tuned dictionary reads otherwise on purpose, with the reason.
READ_OTHERWISE = {
    "sna", "syrian national army",  # Free Syrian Army in the FA-KES years (2011-2018), as the development gold codes it
    "ndf", "national defense forces",  # pro-government militia folded into the army, as the development gold codes it
    "iranian militias",  # Iran's own forces in the FA-KES gold; "Militia (Pro-Iran)" worldwide
}


def names_by_word(entries) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in entries:
        if not isinstance(e, dict) or e.get("generic"):
            continue
        for word in [e["name"], *(e.get("aliases") or [])]:
            out.setdefault(str(word).lower(), set()).add(e["name"])
    return out


def test_a_group_named_by_both_dictionaries_has_one_name():
    hand = names_by_word(yaml.safe_load((DATA / "actors.yaml").read_text(encoding="utf-8"))["actors"])
    world = names_by_word(yaml.safe_load((DATA / "armed_groups.yaml").read_text(encoding="utf-8"))["groups"])
    differ = {w: (hand[w], world[w]) for w in hand.keys() & world.keys() if hand[w] != world[w]
              and w not in READ_OTHERWISE}
    assert differ == {}


@pytest.mark.skipif(TSV is None, reason="acled-actor-names.tsv not present")
def test_the_renamed_syrian_groups_take_acled_names():
    acled = {line.split("\t")[0] for line in TSV.read_text(encoding="utf-8").splitlines()[1:]}
    hand = {e["name"] for e in yaml.safe_load((DATA / "actors.yaml").read_text(encoding="utf-8"))["actors"]}
    for name in ("QSD: Syrian Democratic Forces", "HTS: Hayat Tahrir al Sham", "AAS: Ahrar al Sham",
                 "YPG: Peoples Protection Units"):
        assert name in acled and name in hand
