"""ACLED sub-event types outside Syria, each on real news sentences from at least two countries, coded end to
end and checked as a careful ACLED coder would code them (sub-event type, and the actors where the passage makes
them clear: protesters/rioters as actor1 of demonstrations, the intervening force as actor2).

Every passage is quoted from the page named above it (short excerpts, English). The publication date given to the
coder is the page's date where the page shows one; where it does not, the comment says so. Tests marked xfail are
coder errors to fix (the reason says what the coder does wrong), not doubtful expectations."""

from __future__ import annotations

import datetime as dt

import pytest

from eventwatch.pipeline import code_article
from eventwatch.records import Article

D = dt.date


def coded(text: str, published: dt.date | None, article_id: str = "t") -> list:
    _, events = code_article(Article(article_id=article_id, raw_text=text, published=published))
    return events


def main_event(text: str, published: dt.date | None):
    events = [e for e in coded(text, published) if not e.background]
    assert events, f"no (non-background) event coded from: {text[:90]}..."
    return events[0]


def check(event, **expected) -> None:
    """Compare the coded fields with the expected ones; a value that is a set means 'one of these'."""
    got = {field: getattr(event, field) for field in expected}
    wrong = {f: (got[f], want) for f, want in expected.items()
             if not (got[f] in want if isinstance(want, (set, frozenset)) else got[f] == want)}
    assert not wrong, f"coded {got}; wrong (got, want): {wrong}"


def xfail(reason: str):
    return pytest.mark.xfail(reason=reason, strict=False)


# --------------------------------------------------------------------------------------------------------------------
# Peaceful protest
# --------------------------------------------------------------------------------------------------------------------
PEACEFUL = [
    # https://cyprus-mail.com/2018/08/28/thousands-of-teachers-protest-government-measures/
    pytest.param(
        "Thousands of teachers marched on the Presidential Palace in Nicosia on Tuesday, in protest over "
        "streamlining measures in public school passed by the cabinet last month.",
        D(2018, 8, 28), dict(actor1="Protesters (Cyprus)", country="Cyprus"), id="cyprus-teachers"),
    # https://dailyexcelsior.com/?p=704650 (Sputnik copy)
    pytest.param(
        "BUENOS AIRES, Dec 1: The protest against the G20 summit in Buenos Aires peacefully concluded on Friday "
        "amid the meeting of the leaders of 20 industrial nations there, a Sputnik correspondent reported from the "
        "scene.",
        D(2018, 12, 1), dict(actor1="Protesters (Argentina)", country="Argentina"), id="argentina-g20"),
    # https://www.urdupoint.com/en/pakistan/sindh-united-party-rally-against-political-in-831675.html
    pytest.param(
        "The Sindh United Party (SUP) Thursday brought out a rally against alleged political interference in Sindh "
        "Police. A large number of SUP workers, holding black flags, gathered at the old campus of Hyderabad Press "
        "Club and chanted slogans against the provincial government for allegedly using police as a tool against "
        "their political opponents.",
        D(2020, 2, 6), dict(actor1="Protesters (Pakistan)", actor2=None, country="Pakistan"),
        marks=xfail("the police named as the protest's grievance ('interference in Sindh Police') are coded as "
                    "actor2 (Police Forces of Pakistan (2018-2022)) of a rally nobody intervened in"),
        id="pakistan-sup-rally"),
]


@pytest.mark.parametrize("text, published, expected", PEACEFUL)
def test_peaceful_protest(text, published, expected):
    check(main_event(text, published), sub_event_type="Peaceful protest", **expected)


# --------------------------------------------------------------------------------------------------------------------
# Protest with intervention
# --------------------------------------------------------------------------------------------------------------------
INTERVENTION = [
    # https://www.thenews.com.pk/print/683656-police-fire-tear-gas-arrest-dozens-in-kenya-anti-brutality-march
    pytest.param(
        "NAIROBI: Kenyan police on Tuesday fired tear gas at protesters marching against police brutality in the "
        "capital Nairobi, arresting dozens for defying a ban on large gatherings during the coronavirus pandemic.",
        D(2020, 7, 8),
        dict(actor1="Protesters (Kenya)", actor2="Police Forces of Kenya (2013-2022)", country="Kenya",
             admin1="Nairobi"),
        id="kenya-tear-gas"),
    # https://leesperspective.com/2019/06/12/back-in-the-ussr-moscow-cops-detain-400-press-freedom-protesters/
    # (Deutsche Welle copy)
    pytest.param(
        "Monitors in Moscow say more than 400 people have been detained in a crackdown on an unsanctioned march in "
        "response to the brief arrest of prominent reporter Ivan Golunov.",
        D(2019, 6, 12),
        dict(actor1="Protesters (Russia)", actor2="Police Forces of Russia (2000-)", country="Russia"),
        marks=xfail("detentions at a march coded as Arrests with actor1 'Unidentified Armed Group (Russia)' "
                    "instead of a Protest with intervention (Protesters v Police Forces of Russia (2000-))"),
        id="russia-moscow-detained"),
    # https://menafn.com/1107925634/Tear-Gas-Uses-As-Anti-Government-Protesters-Face-Off-In-Argentina
    pytest.param(
        "Law enforcement agencies used tear gas against participants in an anti-government protest near the "
        "Argentine Congress building, according to C5N TV channel. Several hundred people gathered in front of the "
        "parliament building as the country's president, Javier Milei, spoke inside.",
        D(2024, 3, 2), dict(actor1="Protesters (Argentina)", country="Argentina"),
        marks=xfail("placed in the United States (Lawton, Oklahoma; Protesters (United States)) although the "
                    "passage names the Argentine Congress and President Milei"),
        id="argentina-congress-tear-gas"),
]


@pytest.mark.parametrize("text, published, expected", INTERVENTION)
def test_protest_with_intervention(text, published, expected):
    check(main_event(text, published), sub_event_type="Protest with intervention", **expected)


# --------------------------------------------------------------------------------------------------------------------
# Excessive force against protesters
# --------------------------------------------------------------------------------------------------------------------
EXCESSIVE = [
    # https://theusarticles.com/iranian-security-forces-open-fire-at-protesters-three-killed/ (WION copy)
    pytest.param(
        "Three people were killed after Iranian forces opened fire at scores of protesters in the western town of "
        "Mahabad, according to local media reports.",
        D(2022, 10, 27),
        dict(actor1="Protesters (Iran)", actor2={"Police Forces of Iran (1989-)", "Military Forces of Iran (1989-)"},
             country="Iran", fatalities=3),
        id="iran-mahabad"),
    # http://saharareporters.com/2021/03/01/myanmar-coup-18-dead-many-injured-security-forces-open-fire-unarmed-protesters
    pytest.param(
        "Myanmar's military fired on protesters on Sunday, killing at least 18, the deadliest day since the "
        "anti-coup protests started this month.",
        D(2021, 3, 1),
        dict(actor1="Protesters (Myanmar)", actor2="Military Forces of Myanmar (2021-)", country="Myanmar",
             fatalities=18),
        id="myanmar-18-killed"),
]


@pytest.mark.parametrize("text, published, expected", EXCESSIVE)
def test_excessive_force_against_protesters(text, published, expected):
    check(main_event(text, published), sub_event_type="Excessive force against protesters", **expected)


# --------------------------------------------------------------------------------------------------------------------
# Violent demonstration
# --------------------------------------------------------------------------------------------------------------------
VIOLENT = [
    # https://elderofziyon.blogspot.com/2013/03/egyptian-protesters-torch-police-station.html (Al Arabiya copy)
    pytest.param(
        "Egyptian protesters torched a police station in Port Said on Saturday, as police used tear gas to disperse "
        "crowds in the province of al-Mansura, reported Al Arabiya.",
        D(2013, 3, 3), dict(actor1="Rioters (Egypt)", country="Egypt", admin1="Port Said"), id="egypt-port-said"),
    # http://www.digitaljournal.com/news/world/police-station-hit-by-molotov-cocktails-after-lisbon-protest-clashes/article/541468
    pytest.param(
        "The clashes broke out at the end of the demonstration against racism and police violence in central "
        "Lisbon, with some protesters hurling stones at the security forces who responded with rubber bullets.",
        D(2019, 1, 22), dict(actor1="Rioters (Portugal)", country="Portugal"), id="portugal-lisbon-stones"),
]


@pytest.mark.parametrize("text, published, expected", VIOLENT)
def test_violent_demonstration(text, published, expected):
    check(main_event(text, published), sub_event_type="Violent demonstration", **expected)


# --------------------------------------------------------------------------------------------------------------------
# Mob violence
# --------------------------------------------------------------------------------------------------------------------
MOB = [
    # https://scroll.in/latest/961743/jharkhand-villagers-lynch-man-severely-injure-another-for-allegedly-stealing-goat
    pytest.param(
        "Villagers in Dumka district of Jharkhand beat a man to death on Monday and critically injured his "
        "companion, accusing them of stealing a goat, The New Indian Express reported.",
        D(2020, 5, 12),
        dict(actor1="Rioters (India)", actor2="Civilians (India)", country="India", admin1="Jharkhand",
             fatalities=1),
        marks=xfail("villagers beating a man to death coded as Violence against civilians/Attack by "
                    "'Unidentified Armed Group (India)', fatalities 0 ('beat ... to death' not counted)"),
        id="india-dumka"),
    # https://www.ripplesnigeria.com/mob-beat-suspected-motorcycle-thief-to-death-in-bauchi/
    pytest.param(
        "In what can be described as jungle justice, a mob in Magama-Gumau town in Toro LGA of Bauchi State on "
        "Sunday beat a suspected motorcycle thief to death.",
        D(2024, 3, 18),
        dict(actor1="Rioters (Nigeria)", country="Nigeria", admin1="Bauchi", fatalities=1),
        id="nigeria-bauchi"),
    # https://dailytrust.com/angry-mob-lynches-suspected-armed-robber-in-benue (the excerpt shows no date; a
    # publication date is supplied)
    pytest.param(
        "An angry mob on Wednesday lynched a suspected armed robber in the Modern Market area of Makurdi, Benue "
        "State.",
        D(2024, 1, 1),
        dict(actor1="Rioters (Nigeria)", actor2="Civilians (Nigeria)", country="Nigeria", admin1="Benue",
             fatalities=1),
        id="nigeria-makurdi-lynched"),
]


@pytest.mark.parametrize("text, published, expected", MOB)
def test_mob_violence(text, published, expected):
    check(main_event(text, published), sub_event_type="Mob violence", **expected)


# --------------------------------------------------------------------------------------------------------------------
# Arrests
# --------------------------------------------------------------------------------------------------------------------
ARRESTS = [
    # https://en.dailypakistan.com.pk/09-Jul-2022/ctd-arrests-six-militants-during-separate-operations-in-punjab
    pytest.param(
        "LAHORE – At least six terrorists were arrested in separate operations in the country's eastern Punjab "
        "province, the Counter-Terrorism Department (CTD) said Saturday.",
        D(2022, 7, 9),
        dict(actor1={"Police Forces of Pakistan (2022-)", "Police Forces of Pakistan (2022-) Counter Terrorism "
                     "Department"}, country="Pakistan", admin1="Punjab"),
        id="pakistan-punjab-ctd"),
    # https://cpj.org/tags/detained/page/81
    pytest.param(
        "On July 18, police in the northern district of Bogura arrested Mohammad Akhtaruzzaman, a district "
        "correspondent who covers business news for the Dhaka-based Bangla daily newspaper Banijjo Pratidin.",
        D(2021, 7, 18),
        dict(actor1="Police Forces of Bangladesh (2009-2024)", country="Bangladesh"),
        id="bangladesh-bogura-journalist"),
    # https://cpj.org/tags/detained/page/81 (CPJ item dated Nairobi, July 23, 2021)
    pytest.param(
        "On July 5, intelligence officials in Juba, the capital, arrested Angasi, a radio presenter at the "
        "state-owned South Sudan Broadcasting Corporation (SSBC), according to his sister.",
        D(2021, 7, 23),
        dict(background=False, country="South Sudan", admin1="Central Equatoria"),
        marks=xfail("the arrest the report is about (5 July, 18 days before publication) is marked background, "
                    "so the article has no main event; actor1 'Unidentified Armed Group (South Sudan)'"),
        id="south-sudan-juba-intelligence"),
]


@pytest.mark.parametrize("text, published, expected", ARRESTS)
def test_arrests(text, published, expected):
    check(main_event(text, published), sub_event_type="Arrests", **expected)


def test_intelligence_officials_arresting_are_the_state_actor1():
    # https://cpj.org/tags/detained/page/81 (as above)
    text = ("On July 5, intelligence officials in Juba, the capital, arrested Angasi, a radio presenter at the "
            "state-owned South Sudan Broadcasting Corporation (SSBC), according to his sister.")
    event = next(e for e in coded(text, D(2021, 7, 23)) if e.sub_event_type == "Arrests")
    assert event.actor1.startswith("Police Forces of South Sudan (2011-)"), event.actor1



# --------------------------------------------------------------------------------------------------------------------
# Disrupted weapons use
# --------------------------------------------------------------------------------------------------------------------
DISRUPTED = [
    # https://ommcomnews.com/india-news/ied-found-in-jks-bandipora-safely-defused (no date on the excerpt; a
    # Wednesday is supplied)
    pytest.param(
        "Srinagar: An improvised explosive device (IED) was found by the security forces on Wednesday in Jammu and "
        "Kashmir's Bandipora district. Officials said the IED was found by the Army inside a pressure cooker at "
        "sunset point on Srinagar-Bandipora road. The IED was safely defused and the joint teams of the Army and "
        "the police are now carrying out searches in the area so that traffic is restored on the road, officials "
        "said.",
        D(2021, 6, 23),
        dict(actor1="Military Forces of India (2014-)", country="India", admin1="Jammu and Kashmir"),
        marks=xfail("an IED found and defused is coded as an IED explosion (Remote explosive/landmine/IED) by "
                    "'Unidentified Armed Group (India)' against the army"),
        id="india-bandipora-ied-defused"),
    # https://yemenonline.info/public/index.php/politics/5554 (Reuters copy; no date on the excerpt; a Thursday is
    # supplied)
    pytest.param(
        "Saudi Arabia's air defences intercepted a drone launched by Yemen's Iran-aligned Houthi group on Thursday "
        "toward Khamis Mushait, home to the main Saudi air base in the border region, Saudi state TV reported.",
        D(2021, 6, 10),
        dict(actor1="Military Forces of Saudi Arabia (2015-)", country="Saudi Arabia"),
        marks=xfail("the interceptor is not coded: actor1 'Unidentified Armed Group (Saudi Arabia)' instead of "
                    "the Saudi air defences"),
        id="saudi-drone-intercepted"),
    # https://thenews.com.pk/print/68606
    pytest.param(
        "HANGU: Security forces seized huge quantity of arms and explosives in Thall tehsil of Hangu district on "
        "Saturday, official sources said. The sources said that acting on a tip-off, the security forces raided a "
        "hideout of the militants in Dolragha village and seized a huge quantity of arms including dozens of "
        "anti-aircraft guns, scores of rocket shells, mortar shells, machineguns and hundreds of cartridges and 30 "
        "kilogram of explosives.",
        D(2015, 10, 18),
        dict(country="Pakistan", admin1="Khyber Pakhtunkhwa"),
        marks=xfail("the seizure of 'rocket shells, mortar shells' coded as Shelling/artillery/missile attack"),
        id="pakistan-hangu-arms-seized"),
    # https://dailytrust.com/troops-uncover-arms-cache-in-iswaps-underground-armoury/
    pytest.param(
        "The troops of the 21 Armoured Brigade, Operation Hadin Kai of the Nigerian Army, have recovered a large "
        "cache of arms and ammunition belonging to the fighters of Islamic State West Africa Province (ISWAP) in "
        "Sambisa Forest, Borno State.",
        D(2023, 5, 15),
        dict(actor1="Military Forces of Nigeria (2015-2023)",
             actor2="Islamic State (West Africa) - Lake Chad Faction", country="Nigeria", admin1="Borno"),
        marks=xfail("roles: actor1 'Unidentified Armed Group (Nigeria)', the army as actor2, and ISWAP (named "
                    "in full with its acronym) not coded"),
        id="nigeria-iswap-cache"),
]


@pytest.mark.parametrize("text, published, expected", DISRUPTED)
def test_disrupted_weapons_use(text, published, expected):
    check(main_event(text, published), sub_event_type="Disrupted weapons use", **expected)


# --------------------------------------------------------------------------------------------------------------------
# Headquarters or base established
# --------------------------------------------------------------------------------------------------------------------
BASE = [
    # https://bharathorizon.com/politics/law-order/new-security-camp-set-up-in-chhattisgarhs-karregutta-hills.html
    pytest.param(
        "On November 4, security personnel set up the 'Surakhsa Evam Jan Suvidha Camp' near Tadpala village, which "
        "falls under the jurisdiction of Usoor police station in Bijapur district.",
        D(2025, 11, 23), dict(country="India", admin1="Chhattisgarh"),
        marks=xfail("no event: 'security personnel set up the ... Camp' is not recognised as a base established"),
        id="india-bijapur-camp"),
    # https://garoweonline.com/en/news/somalia/al-shabaab-makes-advances-in-central-somalia-after-troops-pull-out
    # (no date on the excerpt; a date is supplied)
    pytest.param(
        "MOGADISHU, Somalia - Somalia-based Al-Shabaab has reportedly set a base in the Mudug region, in what locals "
        "say could disrupt operations within the area, which has been enjoying peace and stability for a couple of "
        "months. According to reports, the Al-Shabaab militants established a base at Wisil town in Central "
        "Somalia, after many months of fighting with government troops who were based within the town which is "
        "considered strategic.",
        D(2016, 11, 1), dict(actor1="Al Shabaab", country="Somalia", admin1="Mudug"),
        marks=xfail("'established a base' coded as Armed clash (from the background 'months of fighting') and "
                    "'Al-Shabaab' / 'Al-Shabaab militants' left as 'Unidentified Armed Group (Somalia)'"),
        id="somalia-wisil-base"),
]


@pytest.mark.parametrize("text, published, expected", BASE)
def test_headquarters_or_base_established(text, published, expected):
    check(main_event(text, published), sub_event_type="Headquarters or base established", **expected)


# --------------------------------------------------------------------------------------------------------------------
# Change to group/activity
# --------------------------------------------------------------------------------------------------------------------
CHANGE = [
    # https://news.antiwar.com/2015/09/09/report-taliban-commander-defects-to-isis/
    pytest.param(
        "The Afghan affiliate of ISIS has issued a statement today, claiming Taliban commander Mullah Mansoor "
        "Dadullah has defected to their side after being \"rescued\" in a battle in the Zabul Province.",
        D(2015, 9, 9), dict(country="Afghanistan", admin1="Zabul"), id="afghanistan-defected"),
    # http://customkitchencountertop.com/english/2018-01/25/c_136924665.htm (Xinhua copy)
    pytest.param(
        "ISLAMABAD, Jan. 25 (Xinhua) -- As many as 200 militants of banned organizations, including 15 commanders, "
        "have laid down arms and surrendered to the government in Pakistan's southwestern Balochistan province on "
        "Thursday, local media reported. The insurgents surrendered in a ceremony held at paramilitary frontier "
        "corps Headquarters in Turbat, a city in Balochistan province.",
        D(2018, 1, 25), dict(country="Pakistan", admin1="Balochistan"), id="pakistan-surrendered"),
    # https://nenow.in/north-east-news/assam/assam-1100-cadres-five-adivasi-militant-groups-lay-down-arms-guwahati.html
    pytest.param(
        "GUWAHATI: Around 1100 cadres, belonging to as many as five Adivasi militant groups from Assam, on Thursday "
        "(July 06), laid down arms at a ceremony in Guwahati.",
        D(2023, 7, 6), dict(country="India", admin1="Assam"), id="india-assam-laid-down-arms"),
]


@pytest.mark.parametrize("text, published, expected", CHANGE)
def test_change_to_group_activity(text, published, expected):
    check(main_event(text, published), sub_event_type="Change to group/activity", **expected)


# --------------------------------------------------------------------------------------------------------------------
# Looting/property destruction
# --------------------------------------------------------------------------------------------------------------------
LOOTING = [
    # http://saharareporters.com/2018/04/19/gunmen-set-houses-ablaze-benue
    pytest.param(
        "Gunmen set about 20 houses on fire during an attack on Naka community in the Gwer West Local Government "
        "Area of Benue State on Thursday. As at the time of filing the report, it is yet to be ascertained if there "
        "are any casualties involved in the unfortunate incidence.",
        D(2018, 4, 19),
        dict(actor1="Unidentified Armed Group (Nigeria)", country="Nigeria", admin1="Benue"),
        marks=xfail("setting houses on fire coded as Armed clash"),
        id="nigeria-benue-houses-burned"),
    # http://newsafricanow.com/2019/02/07/cameroon-secessionists-torch-bilingual-school/ (APAnews)
    pytest.param(
        "Suspected secessionists of the northwest and southwestern English-speaking regions have set fire to the "
        "Zavion Bilingual High School in Babadjou District, Bambutos Department, APA learned on Wednesday. Shouting "
        "slogans critical of Cameroon, the attackers also burned down the car of the school principal and "
        "ransacked several buildings. There was no casualty or hostage taken.",
        D(2019, 2, 6), dict(actor1="Ambazonian Separatists (Cameroon)", country="Cameroon"),
        marks=xfail("no event: a school set on fire and buildings ransacked by secessionists is not recognised"),
        id="cameroon-school-torched"),
]


@pytest.mark.parametrize("text, published, expected", LOOTING)
def test_looting_property_destruction(text, published, expected):
    check(main_event(text, published), sub_event_type="Looting/property destruction", **expected)


# --------------------------------------------------------------------------------------------------------------------
# Non-violent transfer of territory
# --------------------------------------------------------------------------------------------------------------------
TRANSFER = [
    # http://newtimes.co.rw/article/3803/news/africa/m23-withdraws-from-kibumba-positions/amp
    pytest.param(
        "The M23 rebel group in eastern DR Congo has handed over its positions in Kibumba to the East African "
        "Community regional force, as part of its withdrawal plan. Kibumba, a town in North Kivu province, has been "
        "under the control of the M23 since mid-November.",
        D(2022, 12, 23), dict(country="Democratic Republic of Congo", admin1="Nord-Kivu"), id="drc-m23-kibumba"),
    # http://english.ahram.org.eg/NewsContent/2/0/139833/World/0/Al-Shebab-militants-retake-Somali-town-from-Africa.aspx
    pytest.param(
        "The Islamist militant group Al Shebab took control of a sizeable town in central Somalia on Sunday after "
        "African Union forces left the area, the third town the insurgents have seized since Friday, militants and "
        "local officials said. The African Union peacekeeping force, AMISOM, left Buqda on Saturday night, less "
        "than a month after taking control of the town, an economic centre of the Hiran region, from al Shebab. "
        "\"We have taken Buqda town peacefully today. The town is now under our control,\" said Sheikh Abdiasis "
        "Abu Musab, al Shebab's military spokesman.",
        D(2015, 9, 6), dict(actor1="Al Shabaab", country="Somalia", admin1="Hiraan"),
        marks=xfail("a town 'taken peacefully' after AMISOM left is coded as Non-state actor overtakes territory "
                    "(a battle), and the spelling 'Al Shebab' is not recognised (Unidentified Armed Group (Somalia))"),
        id="somalia-buqda-taken-peacefully"),
    # https://www.africanews.com/2023/12/29/mali-minusma-hands-over-the-timbuktu-camp-to-the-fama/
    pytest.param(
        "The UN mission in Mali (MINUSMA) officially handed over to the national authorities one of its last camps "
        "in a large city in the north of the country, Timbuktu, before the end of its final withdrawal, ORTM public "
        "television indicated.",
        D(2023, 12, 29), dict(country="Mali", admin1="Timbuktu"), id="mali-minusma-timbuktu"),
    # https://gna.org.gh/?p=163142 (dpa)
    pytest.param(
        "Kabul, June 8, (dpa/GNA) - In the meantime, the government forces also abandoned the Dawlat Abad district "
        "centre in northern Faryab province before dawn on Tuesday and fled to neighbouring Andkhoi district without "
        "engaging the militants, according to three local councillors.", D(2021, 6, 8),
        dict(admin1="Faryab", event_date=D(2021, 6, 8)), id="faryab-district-centre-abandoned"),
]


@pytest.mark.parametrize("text, published, expected", TRANSFER)
def test_non_violent_transfer_of_territory(text, published, expected):
    check(main_event(text, published), sub_event_type="Non-violent transfer of territory", **expected)


# --------------------------------------------------------------------------------------------------------------------
# Agreement
# --------------------------------------------------------------------------------------------------------------------
AGREEMENT = [
    # http://news.asiaone.com/news/world/south-sudan-government-rebels-sign-ceasefire
    pytest.param(
        "ADDIS ABABA- South Sudan's government and rebels on Thursday signed a ceasefire agreement, pledging to halt "
        "fighting within 24 hours and end five weeks of bitter conflict that has left thousands dead.",
        D(2014, 1, 23), dict(fatalities=0),
        id="south-sudan-ceasefire"),
    # https://warsintheworld.com/index.php/2014/08/25/mozambico-rebel-movement-renamo-sign-ceasefire-with-government-ending-2-years-of-conflict
    pytest.param(
        "Mozambique's government and former rebel movement Renamo have signed a ceasefire ending two years of armed "
        "conflict, Renamo said on Sunday. Chief negotiators from the government and Renamo signed the declaration "
        "late Sunday night in the capital Maputo ending a nearly year-long negotiation process.",
        D(2014, 8, 25), dict(country="Mozambique", event_date=D(2014, 8, 24)), id="mozambique-renamo"),
    # https://www.france24.com/en/20080526-burundis-government-rebels-sign-ceasefire-deal-burundi
    pytest.param(
        "Burundi's government and last active rebel group on Monday signed an unconditional ceasefire agreement, "
        "raising hopes of a definitive end to the small central African nation's 15-year civil war.",
        D(2008, 5, 26), dict(country="Burundi"),
        id="burundi-fnl-ceasefire"),
    # http://news.bbc.co.uk/go/rss/-/1/hi/world/africa/7204898.stm (as archived by newssniffer.co.uk)
    pytest.param(
        "A peace pact has been signed in Goma in eastern Democratic Republic of Congo by the government and armed "
        "rebel groups. The Mai Mai militia and dissident rebel general Laurent Nkunda finally agreed to sign after "
        "long negotiations.", D(2008, 1, 23), dict(country="Democratic Republic of Congo"), id="goma-peace-pact"),
    # http://iletaitungeek.com/2018/08/07/south-sudan-government-and-rebels-reach-peace-deal-sudan/
    pytest.param(
        "South Sudan government and rebels reach peace deal, Sudan says\n\nThousands of South Sudanese were massed "
        "outside the Friendship Hall in Khartoum to celebrate the peace deal.", D(2018, 8, 7), dict(),
        id="south-sudan-reach-peace-deal"),
]


@pytest.mark.parametrize("text, published, expected", AGREEMENT)
def test_agreement(text, published, expected):
    check(main_event(text, published), sub_event_type="Agreement", **expected)
