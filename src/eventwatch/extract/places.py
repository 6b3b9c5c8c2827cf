"""Place phrases in an article's cleaned text, with how the text relates the event to each place.

Two sources of phrases:

- gazetteer names: every word of the text is folded as the gazetteer folds names (gazetteer.py:
  case, diacritics, apostrophes, the Arabic article, spelling variants) and Aho-Corasick automata over
  the gazetteer's keys find the longest names: first the world layer (provinces, cities, countries), from
  whose finds the countries the text points to are read (rule pl-focus, `text_focus`), then the layers of
  those countries (every village and district);
- capitalised phrases the gazetteer lacks, when the wording marks them as places: "Melihit al-Atash town",
  "the village of Rityan", "in Kherbet Ghazalaeh, north-eastern Daraa", "between Namer and X".

Around each phrase the wording gives the relation ("near X", "between X and Y", "the X – Y road",
"the countryside of X", "rural X", "X province", "outside X"), the governorate named next to it
("..., rural Daraa" -> admin1_hint "Dar'a") and a country named with it ("the Syrian city of", "X, Turkey").
Spans are exact: text[span.start:span.end] == span.text.

The name list is the gazetteer's (a resource read once per process), so this module reads it through
eventwatch.gazetteer; nothing here resolves a place to coordinates.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from eventwatch.extract.lookahead import behind_lookahead
from eventwatch.gazetteer import (
    ARTICLES,
    GLUED_ARTICLE,
    WORLD_CITY_MIN_POPULATION,
    Gazetteer,
    country_aliases,
    data_file,
    default_gazetteer,
    fold,
    key_tokens,
    name_key,
    only_compass_words,
    phonetic_key,
    stopwords,
    transliteration_variants,
)
from eventwatch.records import PlaceMention, Span

# A word: letters/digits with apostrophes inside (Dar'a, Ma‘arrat) and a trailing ayn mark (Izra‘).
WORD = re.compile(r"[^\W_]+(?:['’‘ʿʾ`´ʼ][^\W_]+)*[‘ʿʾ`]?")
POSSESSIVE = re.compile(r"['’]s$")
SENTENCE_BREAK = re.compile(r"[.!?;\n]\s|\n")
DIRECTION = r"(?:north|south|east|west|north[- ]?east|north[- ]?west|south[- ]?east|south[- ]?west)(?:ern)?"
# Words just before a place that make it "near": "near", "outside", "north of", "20 km east of", ...
NEAR_BEFORE = re.compile(
    rf"(?:\bnear(?:by)?(?: to)?|\bclose to|\baround|\bvicinity of|\bnot far from|\bkilometers? from|\bkm from"
    rf"|\bkilometres? from|\bmiles? from|\bfrom the direction of|\b{DIRECTION} of|\bapproaches to)\s+(?:the\s+)?$",
    re.I)
OUTSIDE_BEFORE = re.compile(r"(?:\boutside(?: of)?|\boutskirts of|\bedge of)\s+(?:the\s+)?$", re.I)
COUNTRYSIDE_BEFORE = re.compile(
    rf"(?:\b(?:countryside|suburbs|rural areas|rural parts|countryside areas) of|\b(?:{DIRECTION}\s+)?rural"
    rf"|\b{DIRECTION}\s+countryside of)\s+(?:the\s+)?$", re.I)
PROVINCE_BEFORE = re.compile(r"\b(?:province|governorate|region|district|muhafazat) of\s+(?:the\s+)?$", re.I)
COUNTRYSIDE_AFTER = re.compile(r"^(?:['’]s)?\s+(?:(?:" + DIRECTION + r")\s+)?(?:countryside|suburbs|rural areas)\b",
                               re.I)
# "Daraa province", "Borno State", "Kharkiv Oblast", "Sagaing Region", "Cabo Delgado province"
PROVINCE_AFTER = re.compile(r"^(?:['’]s)?\s+(?:province|governorate|region|state|oblast|krai|county|department|"
                            r"prefecture|emirate|territory)\b", re.I)
BETWEEN_BEFORE = re.compile(r"\bbetween\s+(?:the\s+)?(?:towns?\s+of\s+|villages?\s+of\s+|cities\s+of\s+)?$", re.I)
BETWEEN_AND_BEFORE = re.compile(r"\bbetween\s+[\w'’‘ʿʾ` -]{2,40}?\s+and\s+(?:the\s+)?$", re.I)
AND_JOIN = re.compile(r"^\s+and\s+(?:the\s+)?$", re.I)
ROAD_JOIN = re.compile(r"^\s*(?:[-–—]|to)\s*$")
DASH_BEFORE = re.compile(r"\s[-–—]\s*$")
ROAD_AFTER = re.compile(r"^\s+(?:international\s+|main\s+)?(?:road|highway|motorway|route|roadway)\b", re.I)
# Words that may stand between a place and the governorate that locates it: "X town, rural Daraa",
# "X in Daraa's eastern countryside", "X (north-eastern Daraa)".
# Rule pl-district-gap: the district a place lies in may stand between it and its province ("Mafa village in
# Tarmuwa local government area of Yobe State", "Naka community in the Gwer West Local Government Area of Benue").
DISTRICT_PHRASE = (r"(?-i:[A-Z][\w'’-]+)(?:[\s-]+(?-i:[A-Z][\w'’-]+)){0,2}\s+(?:local government area|local government|"
                   r"LGA|district|county|tehsil|municipality|sub-?county|territory)\b")
DISTRICT_IN_GAP = re.compile(DISTRICT_PHRASE, re.I)
HINT_GAP = re.compile(
    rf"^(?:[\s,(–—-]|\b(?:in|of|the|its|rural|countryside|province|governorate|town|village|city|area|"
    rf"district|neighbou?rhood|camp|basin|valley|plains?|heights|mountains?|farms|crossing|dam|airport|"
    rf"{DIRECTION}|north|south|east|west|southern|northern|eastern|western|community|"
    rf"central)\b|['’]s|{DISTRICT_PHRASE})*$", re.I)
COUNTRY_CLOSES = re.compile(r"^\s*(?:[,.;:)\n]|$|(?:on|in|at|and|as|after|when)\b)")
# "Petite-Riviere in central Haiti": "central" bears like a compass word (rule pl-country-central, session 8)
COUNTRY_AFTER_GAP = re.compile(r"^\s*(?:,|\bin)\s*(?:(?:" + DIRECTION + r"|central)\s+)?$", re.I)
# rule pl-commune (session 8, from the Burkina attack "in Nassoumbou commune of the province of Soum"): a commune, a
# locality or a settlement is a place type too
PLACE_TYPE = (r"(?:town|village|city|neighbou?rhood|district|area|suburb|camp|hamlet|farms?|region|quarter|commune|"
              r"locality|settlement)")
# "the village of Rityan", "the town of Hit"
TYPE_OF_BEFORE = re.compile(rf"\b{PLACE_TYPE}s?\s+of\s+$", re.I)
TYPE_AFTER = re.compile(rf"^\s+{PLACE_TYPE}\b", re.I)
# Rule pl-type-apposition (session 8, from AFP's Mali bomb "in Diougani, a village in Mopti region"): a name the wording
# locates something at, followed by what kind of place it is ("in Kaya, a town in the north", "at Tin-Akoff, a remote
# village"), is a place
TYPE_APPOSITION = re.compile(rf"^\s*,\s*(?:an?|the)\s+(?:[a-z-]+\s+){{0,2}}{PLACE_TYPE}\b")
LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|outside|into|from|to|around|toward|towards|on)\s+(?:the\s+)?$", re.I)
DEMONYM_BEFORE = re.compile(
    rf"\b(?P<demonym>[A-Z][a-z]+)s?\s+(?:(?:{DIRECTION}|border|coastal|northern|southern|eastern|western|"
    rf"besieged|rebel-held|government-held|capital|second|main|provincial)\s+)*(?:{PLACE_TYPE}|province|capital"
    rf"|governorate|port|stronghold)?\s*(?:of\s+)?$")
# A capitalised place phrase the gazetteer may lack: "Melihit al-Atash", "Kherbet Ghazalaeh", "Tal Hmeidi".
CAP_PHRASE = re.compile(
    r"(?:(?:[Aa]l|[Ee]l)[- ])?[A-Z][\w'’‘ʿʾ`]*(?:(?:[- ](?:(?:al|el|ad|ed|ar|as|ash|at|az|an|ez|es|er|en|"
    r"bin|ibn|um|umm)[- ])?)[A-Z][\w'’‘ʿʾ`]*){0,3}")
CAP_PHRASE = behind_lookahead(CAP_PHRASE)  # the same matches, found faster (lookahead.py)
# Capitalised words that make a phrase an organisation, a unit or a person rather than a place.
NOT_PLACE_WORDS = frozenset(
    w.strip() for w in data_file("not_place_words.txt").read_text(encoding="utf-8").splitlines()
    if w.strip() and not w.startswith("#"))
# First words of Arabic place names ("Deir al-Adas", "Tal Hmeidi"): a phrase may start with one.
GENERIC_PREFIXES = frozenset(set(transliteration_variants().values()) | {
    "khan", "burj", "ras", "marj", "nahr", "qalaat", "tulul", "bab", "hay", "harat", "mukhayyam"})
MAX_HINT_GAP = 45
FACILITY_WORD = re.compile(r"(?:hospital|clinic|school|college|university|mosque|church|cathedral|market|prison|jail|"
                           r"airport|airbase|base|bridge|dam|stadium|station|camp|checkpoint|court|hall|square|port)s?")
SMALL_PLACE_POPULATION = 100_000  # a place this large keeps its name before an organisation's word ("Idlib Police")
LONG_WORD = re.compile(r"[^\W\d_]{4,}")
TITLE_CASE_SHARE = 0.7


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    norm: str  # folded word as gazetteer keys spell it ("" for a dropped article)
    capitalised: bool
    article: bool


@dataclass(slots=True)
class Phrase:
    """A place phrase before relations are read: a gazetteer name or a capitalised phrase."""

    start: int
    end: int
    key: str
    known: bool  # in the gazetteer
    admin1: tuple[tuple[str, str], ...]  # governorates the name names (country, ACLED/GeoNames name)
    country: tuple[str, str] | None  # a country name or demonym: (ISO2, kind)
    possessive: bool = False  # "Aleppos outskirts": the name is all but the final s (FA-KES drops apostrophes)


@lru_cache(maxsize=100_000)
def fold_word(word: str) -> str:
    return fold(word).replace(" ", "")


@lru_cache(maxsize=100_000)
def word_forms(word: str) -> tuple[str, int, str, bool, bool, str]:
    """Everything tokenize needs of a word, computed once per distinct word: (word without 's, its length,
    folded form with spelling variants unified, capitalised, may be an article, the same folded form without
    a glued article)."""
    if len(word) > 3 and word.endswith(("'s", "’s")):
        word = word[:-2]
    norm = fold_word(word)
    glued = GLUED_ARTICLE.match(norm) if len(norm) >= 5 else None
    unglued = norm[glued.end():] if glued else norm
    variants = transliteration_variants()
    return (word, len(word), variants.get(norm, norm), word[:1].isupper(), norm in ARTICLES and len(norm) <= 3,
            variants.get(unglued, unglued))


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    n = len(text)
    previous_capitalised = False
    forms, append, token = word_forms, tokens.append, Token  # local names: this loop runs once per word
    for m in WORD.finditer(text):
        start = m.start()
        word, length, norm, capitalised, maybe_article, unglued = forms(m.group())
        end = start + length
        article = maybe_article and end < n and text[end] in " -‐–"
        if article:
            norm = ""
        elif capitalised and previous_capitalised:
            norm = unglued  # "Deir Ezzor": the article glued to the next word
        append(token(start, end, word, norm, capitalised, article))
        previous_capitalised = capitalised
    return tokens


def title_case_line(text: str, tokens: list[Token], index: int) -> bool:
    """Whether the token's line is written in Title Case (headlines): capitals there say nothing."""
    return title_case_at(text, tokens[index].start)


@dataclass(slots=True)
class JoinedWords:
    """Words written for an automaton the way its keys are, " w1  w2 ", with each word's offsets mapped back
    to its token, so that a match found in `text` names the tokens it covers."""

    text: str
    starts: dict[int, int]  # offset of a word's leading space -> token index
    ends: dict[int, int]  # offset of a word's trailing space -> token index

    def tokens_of(self, end_index: int, key: str) -> tuple[int, int] | None:
        """First and last token of a match of `key` ending at `end_index`, if it spans whole words."""
        first = self.starts.get(end_index - (len(key) + key.count(" ") + 2) + 1)
        last = self.ends.get(end_index)
        return None if first is None or last is None else (first, last)


def join_words(words: Iterable[tuple[int | None, str]]) -> JoinedWords:
    """(token index, key) pairs; an index of None writes a separator that no match can span."""
    parts: list[str] = []
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    pos = 0
    append = parts.append  # a local name: this loop runs once per word
    for i, word in words:
        append(word)
        length = len(word)
        if i is not None:
            starts[pos] = i
            ends[pos + length + 1] = i
        pos += length + 2
    # " w1  w2  w3 ": each word between two spaces of its own
    return JoinedWords(" " + "  ".join(parts) + " " if parts else "", starts, ends)


def matched_names(text: str, tokens: list[Token], joined: JoinedWords, automaton) -> list[tuple[int, int, str]]:
    """(first token, last token, key) of each name an automaton finds in the joined words, where the text
    writes it as a place: capitalised, not an acronym, not a stop word, not the tail of "US-Led"."""
    aliases = country_aliases()
    stop = stopwords()
    raw: list[tuple[int, int, str]] = []
    if not len(automaton):
        return raw
    for end_index, key in automaton.iter(joined.text):
        found = joined.tokens_of(end_index, key)
        if found is None:
            continue
        first, last = found
        head = tokens[first]
        if not head.capitalised and not head.text[:1].isdigit():
            continue  # places are written with a capital; "hit", "bab" in running text are words
        if head.text.isupper() and len(head.text) <= 4 and key not in aliases:
            continue  # IS, SAA, SANA, SOHR: acronyms, not places
        if key in stop and key not in aliases:
            continue
        if first > 0 and first == last and text[head.start - 1:head.start] == "-" and \
                tokens[first - 1].end == head.start - 1 and (
                    tokens[first - 1].text.isupper() or fold(tokens[first - 1].text) in aliases):
            continue  # "US-Led", "Kurdish-Led": the second half of a compound word
        raw.append((first, last, key))
    return raw


# Rule pl-focus: the countries an article points to, from what every article's matcher finds: a country's name
# (2) or demonym (0.5: often a foreign actor's), an admin1 name (2, shared among the countries that have it), a
# name followed by "district", "LGA", "county", ... that is an admin2 (2, likewise), a city of the world layer (1,
# its most populous namesake's country), a country the caller gives (2). Kept: up to MAX_FOCUS countries scoring
# FOCUS_MIN_SCORE or more and at least FOCUS_MIN_SHARE of the best; their every village is then matched.
FOCUS_WEIGHTS = {"name": 2.0, "demonym": 0.5, "admin1": 2.0, "admin2": 2.0, "city": 1.0, "given": 2.0}
FOCUS_MIN_SCORE = 2.0
FOCUS_MIN_SHARE = 0.25
MAX_FOCUS = 3
DISTRICT_AFTER = re.compile(r"(?:['’]s)?\s+(?:district|LGA|local government area|local government|county|tehsil|"
                            r"municipality|municipio|sub-?county|subdistrict|sub-district|division|commune|territory|"
                            r"department|regency|prefecture|raion|woreda)\b", re.I)
DISTRICT_WORD = re.compile(r"\b(?:district|LGA|local government area|county|tehsil|municipality|municipio|territory|"
                           r"sub-?county|subdistrict|regency|raion|woreda)\b", re.I)


def followed_by_a_name(text: str, tokens: list[Token], last: int) -> bool:
    """Whether the capitalised word after token `last` makes the name an organisation's ("Thomson Reuters",
    "Congress Party"): a word of not_place_words.txt, joined to it by a space."""
    nxt = last + 1
    if nxt >= len(tokens) or not tokens[nxt].capitalised or not joined_by_space(text, tokens[last].end,
                                                                                 tokens[nxt].start):
        return False
    word = fold(tokens[nxt].text)
    # "As-Sanamayn Hospital", "Gusau Central Market": a building or a site of the place, which it locates
    return word in NOT_PLACE_WORDS and not FACILITY_WORD.fullmatch(word)


def text_focus(text: str, tokens: list[Token], world: list[tuple[int, int, str]], gaz: Gazetteer,
               given: Iterable[str] = ()) -> tuple[str, ...]:
    """Rule pl-focus (above): ISO2 codes of the countries the text points to, most pointed to first."""
    aliases = country_aliases()
    score: dict[str, float] = {}

    def add(country: str, weight: float) -> None:
        score[country] = score.get(country, 0.0) + weight

    def count_district(key: str, word: str) -> bool:
        """Score the countries with a district of this name ("Hangu" + "district"); False when none has one."""
        named = {c for c, _ in gaz.admin2_of_key(name_key(f"{key} {word}"))} or {
            c for c, _ in gaz.admin2_of_key(key)}
        for c in named:
            add(c, FOCUS_WEIGHTS["admin2"] / len(named))
        return bool(named)

    for iso in given:
        add(iso, FOCUS_WEIGHTS["given"])
    districts = set()
    for first, last, key in world:
        alias = aliases.get(key)
        if alias is not None:
            add(alias[0], FOCUS_WEIGHTS[alias[1]] if alias[1] in FOCUS_WEIGHTS else FOCUS_WEIGHTS["demonym"])
            continue
        if (after := DISTRICT_AFTER.match(text, tokens[last].end)) is not None:
            districts.add((first, last))
            # "Hangu district" names Pakistan's Hangu District before Romania's Comuna Hangu
            if count_district(key, after.group().strip()):
                continue
        admin1 = {c for c, _ in gaz.admin1_of_key(key)}
        found = gaz.lookup(key, fuzzy=False)
        city = max((c.place for c in found if c.place.feature_class != "A"), key=lambda p: p.population, default=None)
        if admin1:
            for c in admin1:
                add(c, FOCUS_WEIGHTS["admin1"] / len(admin1))
            # "Beni" is a Bolivian department and a Congolese city: the city counts too
            if city is not None and city.population >= WORLD_CITY_MIN_POPULATION and city.country not in admin1:
                add(city.country, FOCUS_WEIGHTS["city"])
        elif city is not None:
            add(city.country, FOCUS_WEIGHTS["city"])
    # a district the world layer does not know ("in Jamshoro district", "Gwer West LGA"): its name is looked up
    counted = {tokens[last].end for _, last in districts}
    starts = [t.start for t in tokens]
    for m in DISTRICT_WORD.finditer(text):
        at = bisect.bisect_left(starts, m.start())  # the district word's token
        if at == 0 or tokens[at - 1].end in counted or text[tokens[at - 1].end:m.start()].strip(" '’s"):
            continue
        span: list[Token] = []
        for t in reversed(tokens[max(0, at - 3):at]):
            if not t.capitalised or t.text.isupper() and len(t.text) <= 4:
                break
            span.insert(0, t)
        for n in range(len(span), 0, -1):
            key = name_key(" ".join(t.text for t in span[-n:]))
            if key in stopwords():
                continue
            if count_district(key, m.group()):
                break
    if not score:
        return ()
    best = max(score.values())
    ranked = sorted((c for c, v in score.items() if v >= FOCUS_MIN_SCORE and v >= FOCUS_MIN_SHARE * best),
                    key=lambda c: -score[c])
    return tuple(ranked[:MAX_FOCUS])


def gazetteer_phrases(text: str, tokens: list[Token], gaz: Gazetteer,
                      given: Iterable[str] = ()) -> tuple[list[Phrase], tuple[str, ...]]:
    """The gazetteer's names in the text, and the countries the text points to (rule pl-focus): the world
    layer first, then the layers of those countries."""
    words = [(i, t.norm) for i, t in enumerate(tokens) if t.norm]
    if not words:
        return [], tuple(given)
    joined = join_words(words)
    aliases = country_aliases()
    stop = stopwords()
    raw = matched_names(text, tokens, joined, gaz.matcher())
    focus = text_focus(text, tokens, raw, gaz, given)
    layers = [gaz.matcher(), *(gaz.country_matcher(c) for c in focus)]
    lower = {t.norm for t in tokens if not t.capitalised}
    for layer in layers[1:]:
        # Rule pl-small-word: a small place's one-word name that is an organisation's word ("Congress", Arizona)
        # or that the same text writes in lower case ("Security", "Liberty") is a word here
        raw.extend(m for m in matched_names(text, tokens, joined, layer)
                   if m[0] != m[1] or (m[2] not in NOT_PLACE_WORDS and m[2] not in lower))
    sounds = join_words(capitalised_sounds(tokens, words))
    for country in (None, *focus):
        raw.extend(phonetic_phrases(tokens, sounds, gaz.phonetic_matcher(country)))
    # FA-KES drops apostrophes: "on Aleppos outskirts", "in Idlibs countryside"
    raw.extend((i, i, norm[:-1]) for i, norm in words
               if norm[-1] == "s" and len(norm) >= 6 and tokens[i].capitalised
               and not any(m.exists(" " + norm + " ") for m in layers)
               and any(m.exists(" " + norm[:-1] + " ") for m in layers)
               and norm[:-1] not in stop and norm[:-1] not in aliases)
    # the longest names, not overlapping: "Khan Sheikhoun" rather than "Khan"
    raw.sort(key=lambda m: (m[0], m[0] - m[1]))
    chosen: list[tuple[int, int, str]] = []
    for m in raw:
        if not chosen or m[0] > chosen[-1][1]:
            chosen.append(m)
    firsts = {f for f, _, _ in chosen}
    lasts = {la for _, la, _ in chosen}
    phrases: list[Phrase] = []
    for first, last, key in chosen:
        head = tokens[first]
        admin1 = gaz.admin1_of_key(key)
        if key not in aliases and part_of_longer_name(text, tokens, first, last, firsts, lasts, bool(admin1)):
            continue
        if not admin1 and followed_by_a_name(text, tokens, last) and max(
                (c.place.population for c in gaz.lookup(key, fuzzy=False)), default=0) < SMALL_PLACE_POPULATION:
            # Rule pl-small-name: a small place's name followed by an organisation's word is the organisation's
            # ("The Thomson Reuters Trust Principles": Thomson is a town in Singapore and in Georgia)
            continue
        start = head.start
        if first > 0 and tokens[first - 1].article and (
                tokens[first - 1].text[:1].isupper() or text[tokens[first - 1].end] in "-‐–"):
            start = tokens[first - 1].start  # keep "al-" / "Al " with the name: "al-Raqqah"
        possessive = first == last and tokens[last].norm == key + "s"
        phrases.append(Phrase(start, tokens[last].end, key, True, admin1, aliases.get(key), possessive))
    return phrases, focus


def phonetic_phrases(tokens: list[Token], sounds: JoinedWords, automaton) -> list[tuple[int, int, str]]:
    """Multi-word names of one layer spelled as they sound: "Khan Shaikhoun" is Khan Shaykhun. `sounds`:
    the phonetic keys of the text's capitalised words (capitalised_sounds, joined)."""
    if not len(automaton):
        return []
    found = []
    for end_index, (phon, key) in automaton.iter(sounds.text):
        span = sounds.tokens_of(end_index, phon)
        if span is None or span[0] == span[1]:
            continue
        first, last = span
        if all(tokens[i].capitalised or not tokens[i].norm for i in range(first, last + 1)):
            found.append((first, last, key))
    return found


def capitalised_sounds(tokens: list[Token], words: list[tuple[int, str]]) -> Iterator[tuple[int | None, str]]:
    """The phonetic keys of capitalised words; a name is written in capitals, so a run of lower-case words
    only separates candidates (one separator for the run)."""
    gap = False
    for i, norm in words:
        if not tokens[i].capitalised:
            gap = True
            continue
        if gap:
            yield None, "#"
            gap = False
        yield i, phonetic_key(norm)


# "Assad forces", "the Gulf cartel", "Sinaloa Cartel": the group's name, not where anything happened
ACTOR_AFTER = re.compile(r"^\s+(?:forces|regime|troops|loyalists|army|militias?|fighters|supporters|soldiers|"
                         r"government|officials|family|clan|administration|(?:drug\s+)?cartels?|gangs?|mafia|syndicate)\b", re.I)


SPEAKER_AFTER = re.compile(r"^\s+(?:said|says|told|added|stated)\b")


def part_of_longer_name(text: str, tokens: list[Token], first: int, last: int, firsts: set[int],
                        lasts: set[int], well_known: bool) -> bool:
    """Whether a gazetteer name is only part of a longer proper name: a person ("Rami Abdel Rahman",
    "Bashar Assad"), an unknown place that starts like a known one ("Deir al-Adas"), "Assad forces"."""
    if ACTOR_AFTER.match(text[tokens[last].end:tokens[last].end + 30]):
        return True
    if DISTRICT_AFTER.match(text, tokens[last].end):
        return False  # "Maru Local Government Area", "Hangu District": the district's name, then its kind
    if title_case_line(text, tokens, first):
        return False
    stop = stopwords()
    nxt = last + 1
    while nxt < len(tokens) and tokens[nxt].article:
        nxt += 1
    if nxt < len(tokens) and nxt not in firsts and joined_by_space(text, tokens[last].end, tokens[nxt].start) \
            and is_name_word(tokens[nxt], stop) and not SPEAKER_AFTER.match(text[tokens[nxt].end:tokens[nxt].end + 12]):
        return True  # (but "the city of Khan-Shaikhoun Rudskoi said": a speaker follows, the comma dropped)
    if well_known:
        return False  # "Zubdiya Aleppo": a governorate name is not the tail of a person's name
    prev = first - 1
    while prev >= 0 and tokens[prev].article:
        prev -= 1
    return (prev >= 0 and prev not in lasts and joined_by_space(text, tokens[prev].end, tokens[first].start)
            and is_name_word(tokens[prev], stop) and not sentence_starts_at(text, tokens[prev].start)
            and fold(tokens[prev].text) not in country_aliases())


def joined_by_space(text: str, end: int, start: int) -> bool:
    gap = text[end:start]
    return 0 < len(gap) <= 3 and gap.strip(" -‐") == ""


def is_name_word(token: Token, stop: frozenset[str]) -> bool:
    """A capitalised word that is neither a common word nor an organisation/place-type word."""
    word = fold(token.text)
    return (token.capitalised and not token.text.isupper() and word not in stop and word not in NOT_PLACE_WORDS
            and not re.fullmatch(PLACE_TYPE + "s?|province|governorate|countryside|road|highway", word))


def capitalised_phrases(text: str, tokens: list[Token], known: list[Phrase]) -> list[Phrase]:
    """Capitalised phrases the gazetteer lacks, where the wording says they are places."""
    taken = sorted((p.start, p.end) for p in known)
    starts = [s for s, _ in taken]
    reach = list(itertools.accumulate((e for _, e in taken), max))  # furthest end among phrases so far
    out: list[Phrase] = []
    stop = stopwords()
    for m in CAP_PHRASE.finditer(text):
        start, end = m.start(), m.end()
        phrase = m.group()
        poss = POSSESSIVE.search(phrase)
        if poss:
            end -= 2
            phrase = phrase[:-2]
        before_end = bisect.bisect_left(starts, end)  # the known phrases starting before this one ends
        if before_end and reach[before_end - 1] > start:
            continue  # overlaps a gazetteer name
        words = fold(phrase).split()
        if not words or any(w in NOT_PLACE_WORDS for w in words) or name_key(phrase) in stop:
            continue
        if only_compass_words(phrase):
            continue  # "the Middle East", "the North": a direction, not a place (the gazetteer matches none either)
        first_word = key_tokens(words[:1])[0]
        if first_word in stop and first_word not in GENERIC_PREFIXES:
            continue  # "Ibrahim Khatib": a person
        if title_case_at(text, start):
            continue  # in a headline every word has a capital
        if len(words) == 1 and (len(words[0]) < 3 or words[0] in ARTICLES):
            continue
        before = text[max(0, start - 40):start]
        after = text[end:end + 40]
        # rule pl-name-type: "Magazu Village of Tsafe", "Shau Village": the name ends with its place type
        marked = bool(TYPE_OF_BEFORE.search(before) or TYPE_AFTER.match(after)
                      or (len(words) > 1 and words[-1] in ("village", "hamlet")))
        if not marked and LOCATIVE_BEFORE.search(before):
            # "in X, rural Daraa" / "in X in Daraa province": a governorate right after marks X as a place
            # ("near Shebeeley in the central Hiran region": central bears like a compass word)
            marked = bool(re.match(r"^\s*(?:,|\bin\b|\()\s*(?:the\s+)?(?:(?:" + DIRECTION +
                                   r"|central)\s+)?(?:rural|countryside of|province of)?\s*[A-Z]", after)
                          or TYPE_APPOSITION.match(after))
        if not marked and (BETWEEN_BEFORE.search(before) or BETWEEN_AND_BEFORE.search(before)
                           or DASH_BEFORE.search(text[max(0, start - 3):start])):
            marked = True
        if not marked:
            continue
        if sentence_starts_at(text, start) and not TYPE_AFTER.match(after):
            continue  # "Witnesses said ...": a capital at a sentence start says nothing
        out.append(Phrase(start, end, name_key(phrase), False, (), None))
    return out


def title_case_at(text: str, pos: int) -> bool:
    breaks = line_breaks(text)
    i = bisect.bisect_left(breaks, pos)  # the line's end: the first break at or after pos
    line_start = breaks[i - 1] + 1 if i else 0
    line_end = breaks[i] if i < len(breaks) else len(text)
    return title_case_span(text, line_start, line_end)


@lru_cache(maxsize=8)
def line_breaks(text: str) -> list[int]:
    """Offsets of the newlines of a text, found once: the line around a phrase is then a bisect, not a
    scan of the line for every phrase (a 5 MB single line would make that quadratic)."""
    return [m.start() for m in re.finditer("\n", text)]


@lru_cache(maxsize=4096)
def title_case_span(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] (a line) is in Title Case. Cached: the same line is asked about per phrase."""
    words = LONG_WORD.findall(text, start, end)
    return len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) >= TITLE_CASE_SHARE


def sentence_starts_at(text: str, start: int) -> bool:
    i = start  # walk back over spaces and opening quotes (no copy of the text before: linear time)
    while i > 0 and text[i - 1] in " \t\"'‘“(":
        i -= 1
    return i == 0 or text[i - 1] in ".!?\n:"


def same_sentence(text: str, start: int, end: int) -> bool:
    return SENTENCE_BREAK.search(text, start, end) is None and "\n" not in text[start:end]


@dataclass(frozen=True, slots=True)
class PlaceReading:
    """What an article's text says about places: its place mentions, and the countries it points to
    (rule pl-focus, ISO2, most pointed to first), whose every village and district was looked for."""

    mentions: tuple[PlaceMention, ...]
    countries: tuple[str, ...]


def find_place_mentions(text: str, *, gazetteer: Gazetteer | None = None,
                        focus: Iterable[str] = ()) -> list[PlaceMention]:
    """Place phrases of a cleaned article text, in text order, with relation and admin1/country hints.
    `focus`: countries (ISO2) the caller knows the article is about (the outlet's, a corpus's), whose
    villages are looked for whatever the text says."""
    return list(read_places(text, gazetteer or default_gazetteer(), tuple(focus)).mentions)


def text_countries(text: str, *, gazetteer: Gazetteer | None = None, focus: Iterable[str] = ()) -> tuple[str, ...]:
    """The countries (ISO2) the text points to (rule pl-focus), as `find_place_mentions` found them."""
    return read_places(text, gazetteer or default_gazetteer(), tuple(focus)).countries


@lru_cache(maxsize=32)
def read_places(text: str, gaz: Gazetteer, focus: tuple[str, ...] = ()) -> PlaceReading:
    # Cached: the extract stage and the resolver's article context both read the same article's places.
    tokens = tokenize(text)
    known, countries_pointed = gazetteer_phrases(text, tokens, gaz, focus)
    phrases = sorted(known + capitalised_phrases(text, tokens, known), key=lambda p: p.start)
    places = [p for p in phrases if p.country is None]
    countries = [p for p in phrases if p.country is not None]
    admin_phrases = [p for p in phrases if p.admin1]
    # indexes for "which phrases are near this one" (bisect, not a scan of all phrases per place)
    admin_starts = [a.start for a in admin_phrases]
    country_starts = [c.start for c in countries]
    country_reach = list(itertools.accumulate((c.end for c in countries), max))

    mentions: list[PlaceMention] = []
    consumed: set[int] = set()  # phrases used as the second end of "between X and Y"
    for idx, p in enumerate(places):
        if idx in consumed:
            continue
        before = text[max(0, p.start - 60):p.start]
        after = text[p.end:p.end + 60]
        relation = "in"
        second: Phrase | None = None
        if idx + 1 < len(places):
            nxt = places[idx + 1]
            gap = text[p.end:nxt.start]
            between_and = BETWEEN_BEFORE.search(before) and AND_JOIN.match(gap)
            # "the Izraa – Sahwat Al Qameh", "the Aleppo-Gaziantep highway"
            road = ROAD_JOIN.match(gap) and (ROAD_AFTER.match(text[nxt.end:nxt.end + 30])
                                             or re.search(r"\b(?:road|highway|route)\s*$", before, re.I)
                                             or re.search(r"\bthe\s+$", before))
            if between_and or road:
                relation, second = "between", nxt
        if second is not None:
            consumed.add(idx + 1)
            end_of_phrase = second.end
        else:
            end_of_phrase = p.end
            if OUTSIDE_BEFORE.search(before):
                relation = "outside"
            elif NEAR_BEFORE.search(before):
                relation = "near"
            elif COUNTRYSIDE_BEFORE.search(before) or COUNTRYSIDE_AFTER.match(after):
                relation = "countryside"
            elif p.admin1 and (PROVINCE_BEFORE.search(before) or PROVINCE_AFTER.match(after)):
                relation = "province"

        first_admin = bisect.bisect_left(admin_starts, end_of_phrase)
        admin1_hint, soft = admin1_hint_for(text, p, second, end_of_phrase, admin_phrases, relation, gaz,
                                            first=first_admin)
        if admin1_hint is None and relation == "in" and not p.admin1:
            admin1_hint = possessive_admin1(text, p, admin_phrases, bisect.bisect_left(admin_starts, p.start))
        near = countries[bisect.bisect_left(country_reach, p.start - 40):
                         bisect.bisect_right(country_starts, end_of_phrase + 25)]
        country_hint = country_hint_for(text, p, end_of_phrase, near, gaz)
        name = text[p.start:p.end - 1] if p.possessive else text[p.start:p.end]
        span = Span(start=p.start, end=end_of_phrase, text=text[p.start:end_of_phrase])
        mentions.append(PlaceMention(
            name=name, relation=relation, span=span,
            second_name=text[second.start:second.end] if second else None,
            admin1_hint=admin1_hint, admin1_hint_soft=soft, country_hint=country_hint, names_province=bool(p.admin1),
            names_district=bool(DISTRICT_AFTER.match(text, end_of_phrase) or DISTRICT_AFTER.search(name[-30:]))))
    return PlaceReading(tuple(m for m in mentions if not part_of_a_persons_name(m, text) and not names_a_people(m)
                              and not names_a_group(m, text)), countries_pointed)


def admin1_hint_for(text: str, p: Phrase, second: Phrase | None, end: int, admin_phrases: list[Phrase],
                    relation: str, gaz: Gazetteer, first: int = 0) -> tuple[str | None, bool]:
    """The governorate named right after a place ("X, rural Daraa"), and whether only as a bearing.
    `first`: index of the first admin phrase that may start at or after `end` (phrases before it cannot)."""
    if p.admin1 and relation in ("countryside", "province"):
        country, name = p.admin1[0]
        return (gaz.countryside_admin1(country, name) if relation == "countryside" else name), False
    for k in range(first, len(admin_phrases)):
        a = admin_phrases[k]
        if a.start < end or a is p or a is second:
            continue
        if a.start - end > MAX_HINT_GAP and (a.start - end > 2 * MAX_HINT_GAP or not DISTRICT_IN_GAP.search(
                text, end, a.start)):
            break
        gap = text[end:a.start]
        # Bare space is no relation: "Tags Syria Raqqa Aleppo" lists names, "Raqqa, Aleppo" does not locate.
        bare = not gap.strip() and not COUNTRYSIDE_AFTER.match(text[a.end:a.end + 30]) and not PROVINCE_AFTER.match(
            text[a.end:a.end + 30])
        if HINT_GAP.match(gap) and not bare and same_sentence(text, end, a.start):
            country, name = a.admin1[0]
            if relation == "in" and any(c == country for c, _ in p.admin1 or ()):
                break  # "attacks in Aleppo, Damascus Countryside and Quneitra": a governorate is in no other
            # "X, rural Damascus" / "X in Damascus countryside": the governorate around Damascus
            rural = re.search(r"\b(?:rural|countryside)\b", gap, re.I) or COUNTRYSIDE_AFTER.match(
                text[a.end:a.end + 30])
            # "the Atmeh crossing west of Aleppo": a bearing from the city, perhaps across a border
            soft = not rural and bool(re.search(rf"\b{DIRECTION}\s+of\b", gap, re.I))
            return (gaz.countryside_admin1(country, name) if rural else name), soft
        break
    return None, False


# Rule pl-possessive-admin1 (session 8, from HT's "Chhattisgarh's Bijapur district" and Sudan Tribune's "Khartoum's
# twin city of Omdurman"): a province named in the possessive right before a place ("Borno's Gwoza", "Idlib's
# Maarat al-Numan", "Sinaloa's state capital Culiacan") is the province the place lies in.
POSSESSIVE_ADMIN_GAP = re.compile(r"^(?:['’]s?)?\s+(?:[a-z][\w-]*\s+){0,4}$")


def possessive_admin1(text: str, p: Phrase, admin_phrases: list[Phrase], before: int) -> str | None:
    """The province of rule pl-possessive-admin1; `before`: index of the first admin phrase starting at or after p."""
    if not before:
        return None
    a = admin_phrases[before - 1]
    if a.end > p.start or p.start - a.end > 30:
        return None
    own = text[a.start:a.end]
    if not (a.possessive or re.search(r"['’]s$", own) or re.match(r"['’]s\b", text[a.end:a.end + 3])):
        return None
    gap = text[a.end:p.start]
    if not POSSESSIVE_ADMIN_GAP.match(gap) or not same_sentence(text, a.start, p.start):
        return None
    return a.admin1[0][1]


def country_hint_for(text: str, p: Phrase, end: int, countries: list[Phrase], gaz: Gazetteer) -> str | None:
    aliases = country_aliases()
    for c in countries:
        if c.start >= end and c.start - end <= 25 and COUNTRY_AFTER_GAP.match(text[end:c.start]) and \
                c.country and c.country[1] == "name" and COUNTRY_CLOSES.match(text[c.end:c.end + 10]):
            return gaz.country_name(c.country[0])
        if c.end <= p.start and p.start - c.end <= 40:
            before = text[c.start:p.start]
            m = DEMONYM_BEFORE.search(before)
            if m and m.start() == 0 and same_sentence(text, c.start, p.start):
                iso = aliases.get(name_key(m.group("demonym")), (None,))[0]
                if iso:
                    return gaz.country_name(iso)
    return None


# Words that may stand before a place name as part of it ("Mount Sinjar", "Port Sudan", "San Pedro") or
# introduce it ("Greater Cairo"), so that a capitalised word before a place does not make it a surname.
NAME_PART_BEFORE = re.compile(
    r"(?:^|[^\w'’-])(?P<word>[A-Z][a-z]+)\s+$")
PLACE_WORDS_BEFORE = frozenset(["mount", "mt", "lake", "port", "fort", "san", "santa", "santo", "saint", "st", "sao", "new", "old", "upper", "lower", "greater", "little", "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "al", "el", "ad", "ar", "as", "ash", "at", "az", "ras", "tell", "tal", "jabal", "jebel", "wadi", "bab", "kafr", "deir", "ain", "bir", "khan", "beit", "tel"])
TITLES = re.compile(r"(?:President|Minister|Premier|General|Gen\.|Colonel|Col\.|Commander|Governor|Senator|Mr\.?|"
                    r"Mrs\.?|Ms\.?|Dr\.?|Sheikh|Imam|Pastor|Father|Chief|Judge|Mayor|Prince|King|Queen|Lord)\s+$")


def part_of_a_persons_name(m: PlaceMention, text: str) -> bool:
    """Rule pl-person: "Gilberto Valencia, a social leader", "President Juan Manuel Santos said": a place
    name right after a capitalised given name or a title, inside a sentence, is a person's surname."""
    before = text[max(0, m.span.start - 40):m.span.start]
    if TITLES.search(before):
        return True
    hit = NAME_PART_BEFORE.search(before)
    if hit is None or hit.group("word").lower() in PLACE_WORDS_BEFORE:
        return False
    start = m.span.start - len(before) + hit.start("word")
    preceding = text[max(0, start - 3):start]
    # a capitalised word at the start of a sentence or line is no given name ("Kabul", "In Herat")
    if not preceding.strip() or re.search(r"[.!?\n:\"“(]\s*$", preceding) or start == 0:
        return False
    word = hit.group("word")
    if word.isupper() or name_key(word) in country_aliases() or name_key(word.removesuffix("s")) in country_aliases():
        return False  # "Syrias Idlib", "Nigerian Borno": a country's word, not a given name
    return word.lower() not in {"in", "at", "near", "from", "to", "of", "the", "and", "rural", "province"}


@lru_cache(maxsize=1)
def group_name_keys() -> frozenset[str]:
    """Name keys of the armed groups' names and aliases (data/armed_groups.yaml), acronyms left out (an
    acronym in capitals is never read as a place)."""
    from eventwatch.resources import load_yaml

    return frozenset(name_key(str(a)) for g in load_yaml("armed_groups.yaml").get("groups") or []
                     for a in [g["name"], *(g.get("aliases") or [])] if not str(a).isupper())


def names_a_group(m: PlaceMention, text: str) -> bool:
    """Rule pl-group: "Taliban insurgents attacked", "the Rastrojos": a name the armed groups' dictionary
    gives a group is the group, unless the text marks it as a place ("the village of Taliban")."""
    if name_key(m.name) not in group_name_keys():
        return False
    return not (TYPE_OF_BEFORE.search(text[max(0, m.span.start - 30):m.span.start])
                or TYPE_AFTER.match(text[m.span.end:m.span.end + 30]))


def names_a_people(m: PlaceMention) -> bool:
    """'Ugandan', 'Kyrgyz': a country's people or adjective (a country hint of the next place), no place."""
    alias = country_aliases().get(name_key(m.name))
    return alias is not None and alias[1] == "demonym"
