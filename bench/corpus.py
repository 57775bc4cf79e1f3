"""Deterministic generator of a realistic press-release corpus, and a reviser.

    python bench/corpus.py generate OUT_DIR [--n 1000] [--seed 42]
    python bench/corpus.py edit OUT_DIR [--fraction 0.1] [--seed 7]
    python bench/corpus.py stats OUT_DIR

``generate`` writes ``OUT_DIR/source/<yyyy>/<mm>/<slug>.md``: YAML front matter (title,
date, location, summary), a dateline paragraph, 6-12 body paragraphs of 2-5 sentences of
press-release English (organisations, ``USD 12.5 million``, ``200 million``, percentages,
``1 November 2023``, ``Mr.``, ``U.N.``, ``e.g.``, quotes with attribution, links, **bold**),
occasional ``## Headings``, bullet lists and small tables, and the boilerplate a press
office repeats (an "About IOM" paragraph, a standard donor disclaimer, a contact block,
stock sentences), so that roughly a quarter of sentence occurrences recur across releases.

``edit`` revises about ``fraction`` of the segments (sentences, list items, title and
summary) of the corpus in place: mostly a number or a word changed inside a sentence,
sometimes a sentence deleted or a new one added.  Everything is seeded: the same
arguments always give byte-identical files.

Only the standard library is used, so the module runs in any virtual environment.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import random
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

# --------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

# country -> (cities, phone prefix, adjective)
COUNTRIES: dict[str, tuple[list[str], str, str]] = {
    "the Republic of Korea": (["Seoul", "Busan", "Incheon"], "+82", "Korean"),
    "Bangladesh": (["Dhaka", "Cox's Bazar", "Chattogram"], "+880", "Bangladeshi"),
    "Ethiopia": (["Addis Ababa", "Gambella", "Dire Dawa"], "+251", "Ethiopian"),
    "Somalia": (["Mogadishu", "Baidoa", "Hargeisa"], "+252", "Somali"),
    "Sudan": (["Khartoum", "Port Sudan", "El Fasher"], "+249", "Sudanese"),
    "Yemen": (["Aden", "Marib", "Sana'a"], "+967", "Yemeni"),
    "Afghanistan": (["Kabul", "Herat", "Kandahar"], "+93", "Afghan"),
    "Ukraine": (["Kyiv", "Lviv", "Dnipro", "Odesa"], "+380", "Ukrainian"),
    "Libya": (["Tripoli", "Benghazi", "Sabha"], "+218", "Libyan"),
    "Niger": (["Niamey", "Agadez", "Zinder"], "+227", "Nigerien"),
    "Colombia": (["Bogotá", "Cúcuta", "Medellín"], "+57", "Colombian"),
    "Venezuela": (["Caracas", "Maracaibo"], "+58", "Venezuelan"),
    "Haiti": (["Port-au-Prince", "Cap-Haïtien", "Les Cayes"], "+509", "Haitian"),
    "Mexico": (["Mexico City", "Tapachula", "Tijuana"], "+52", "Mexican"),
    "Türkiye": (["Ankara", "Gaziantep", "Istanbul"], "+90", "Turkish"),
    "Iraq": (["Baghdad", "Erbil", "Mosul"], "+964", "Iraqi"),
    "Nigeria": (["Abuja", "Maiduguri", "Lagos"], "+234", "Nigerian"),
    "South Sudan": (["Juba", "Malakal", "Wau"], "+211", "South Sudanese"),
    "the Philippines": (["Manila", "Cebu", "Davao"], "+63", "Filipino"),
    "Indonesia": (["Jakarta", "Makassar", "Medan"], "+62", "Indonesian"),
    "Mozambique": (["Maputo", "Pemba", "Beira"], "+258", "Mozambican"),
    "Guatemala": (["Guatemala City", "Quetzaltenango"], "+502", "Guatemalan"),
    "Pakistan": (["Islamabad", "Karachi", "Peshawar"], "+92", "Pakistani"),
    "Lebanon": (["Beirut", "Tripoli", "Zahle"], "+961", "Lebanese"),
    "Djibouti": (["Djibouti City", "Obock"], "+253", "Djiboutian"),
    "Kenya": (["Nairobi", "Mombasa", "Kakuma"], "+254", "Kenyan"),
    "Thailand": (["Bangkok", "Mae Sot", "Chiang Mai"], "+66", "Thai"),
    "Mongolia": (["Ulaanbaatar"], "+976", "Mongolian"),
    "Greece": (["Athens", "Thessaloniki"], "+30", "Greek"),
    "Morocco": (["Rabat", "Casablanca", "Oujda"], "+212", "Moroccan"),
}

REGIONS = ["the Sahel", "the Horn of Africa", "East and Southern Africa", "the Americas",
           "Central America", "South-East Asia", "the Middle East and North Africa",
           "the Western Balkans", "West and Central Africa", "Asia and the Pacific",
           "the Caribbean", "Central Asia", "the Mediterranean", "the Andean region"]

GLOBAL_CITIES = ["Geneva", "New York", "Brussels", "Nairobi", "Bangkok", "Panama City",
                 "Cairo", "Dakar", "Vienna", "Pretoria", "San José", "Buenos Aires"]

# (full name, abbreviation, link)
ORGS = [
    ("the UN Children's Fund", "UNICEF", "https://www.unicef.org"),
    ("the UN Development Programme", "UNDP", "https://www.undp.org"),
    ("the UN Refugee Agency", "UNHCR", "https://www.unhcr.org"),
    ("the World Food Programme", "WFP", "https://www.wfp.org"),
    ("the World Health Organization", "WHO", "https://www.who.int"),
    ("the International Labour Organization", "ILO", "https://www.ilo.org"),
    ("the UN Population Fund", "UNFPA", "https://www.unfpa.org"),
    ("the Food and Agriculture Organization", "FAO", "https://www.fao.org"),
    ("the UN Office on Drugs and Crime", "UNODC", "https://www.unodc.org"),
    ("the UN Office for the Coordination of Humanitarian Affairs", "OCHA",
     "https://www.unocha.org"),
    ("the International Federation of Red Cross and Red Crescent Societies", "IFRC",
     "https://www.ifrc.org"),
    ("UN Women", "UN Women", "https://www.unwomen.org"),
    ("the Korea International Cooperation Agency", "KOICA", "https://www.koica.go.kr"),
    ("the African Union", "AU", "https://au.int"),
    ("the Economic Community of West African States", "ECOWAS", "https://www.ecowas.int"),
    ("the Intergovernmental Authority on Development", "IGAD", "https://igad.int"),
]

DONORS = [
    "the European Union", "the Government of Japan", "the United States Department of "
    "State's Bureau of Population, Refugees, and Migration (PRM)",
    "the United Kingdom's Foreign, Commonwealth & Development Office (FCDO)",
    "the German Federal Foreign Office", "the Government of Canada",
    "the Swiss Agency for Development and Cooperation (SDC)",
    "the Korea International Cooperation Agency (KOICA)",
    "the Government of the Netherlands", "the Central Emergency Response Fund (CERF)",
    "the Government of Norway", "the Italian Agency for Development Cooperation (AICS)",
]

FIRST_NAMES_M = ["Ahmed", "Carlos", "Daniel", "Ibrahim", "Jean-Pierre", "Kyoo-ho", "Luis",
                 "Mohamed", "Olivier", "Pedro", "Rashid", "Samuel", "Tomás", "Viktor",
                 "Yusuf", "Kenji", "Omar", "Andrés", "Mamadou", "Nikolai", "Hassan",
                 "Giorgio", "Arjun", "Emeka", "Dmytro", "Farid", "Joseph", "Min-jun"]
FIRST_NAMES_F = ["Amina", "Beatriz", "Chloé", "Dina", "Elena", "Fatima", "Grace", "Hana",
                 "Ingrid", "Julia", "Khadija", "Leila", "Maria", "Nadia", "Olena", "Priya",
                 "Rania", "Sieun", "Sofia", "Teresa", "Ulrike", "Valentina", "Wanjiru",
                 "Yasmin", "Zainab", "Ji-woo", "Ana Lucía", "Aisha"]
LAST_NAMES = ["Abdi", "Alvarez", "Bakr", "Banda", "Chen", "Diallo", "Dubois", "Ferreira",
              "García", "Haddad", "Hussein", "Ivanenko", "Kamara", "Kim", "Kowalski", "Lee",
              "Mensah", "Moreno", "Mwangi", "Nakamura", "Nguyen", "Okafor", "Osei", "Park",
              "Petrenko", "Quispe", "Rahman", "Richter", "Rossi", "Santos", "Silva",
              "Sow", "Tanaka", "Traoré", "Usman", "Vargas", "Wagner", "Yilmaz", "Zhou"]

TITLES = ["Chief of Mission", "Deputy Chief of Mission", "Head of Office",
          "Programme Manager", "Emergency Coordinator", "Senior Regional Adviser",
          "Protection Officer", "National Officer", "Migration Health Officer",
          "Labour Mobility Specialist", "Climate Mobility Specialist",
          "Displacement Tracking Matrix Coordinator", "Regional Director",
          "Head of Programmes", "Senior Operations Officer", "Communications Officer"]
OFFICIALS = ["Minister of Labour", "Minister of Foreign Affairs", "Minister of the Interior",
             "Deputy Minister of Health", "Governor of the province",
             "Director General of Immigration", "Mayor of the city",
             "Ambassador of the European Union", "Ambassador of Japan",
             "Head of the National Disaster Management Authority"]

GROUPS = ["internally displaced persons (IDPs)", "migrant workers", "returnees",
          "host community members", "women and girls", "unaccompanied and separated children",
          "survivors of trafficking", "stranded migrants", "people on the move",
          "families affected by the floods", "refugees and migrants", "young people",
          "persons with disabilities", "seasonal agricultural workers", "displaced families",
          "community health workers", "border officials", "local authorities",
          "pastoralist communities", "asylum seekers"]
ACTIVITIES = ["cash-based assistance", "mental health and psychosocial support (MHPSS)",
              "emergency shelter kits", "vocational training", "health screenings",
              "water, sanitation and hygiene (WASH) services", "legal counselling",
              "reintegration support", "non-food items", "protection services",
              "language classes", "small business grants", "referral services",
              "primary health care", "transportation assistance", "hygiene kits",
              "livelihood support", "pre-departure orientation", "case management",
              "emergency food assistance"]
TOPICS = ["climate mobility", "labour migration", "internal displacement",
          "counter-trafficking", "migration governance", "return and reintegration",
          "disaster risk reduction", "border management", "migrant health",
          "social cohesion", "regular pathways", "diaspora engagement",
          "migration data", "durable solutions", "ethical recruitment",
          "the protection of migrants", "resettlement", "peacebuilding"]
EVENTS = ["a two-day workshop", "a national consultation", "a regional conference",
          "a technical dialogue", "a high-level panel", "a training of trainers",
          "a donor briefing", "a community forum", "a policy roundtable",
          "a launch ceremony", "a simulation exercise", "a validation meeting"]
OUTPUTS = ["a new report", "a national action plan", "a joint assessment",
           "a set of operational guidelines", "a mobile application",
           "a referral mechanism", "a data dashboard", "a toolkit for practitioners",
           "a policy brief", "a memorandum of understanding", "a needs assessment",
           "an early warning system", "a community-based monitoring system"]
ADJ = ["significant", "unprecedented", "sustained", "critical", "growing", "urgent",
       "renewed", "comprehensive", "innovative", "coordinated", "long-term", "targeted"]
PERIODS = ["over the next three years", "over the next 18 months", "by the end of the year",
           "in the coming months", "since the beginning of the year", "during the first phase",
           "over the past decade", "since the start of the crisis", "by 2030",
           "over the next five years", "in the first quarter", "this year alone"]
HAZARDS = ["floods", "drought", "Cyclone Freddy", "the earthquake", "the conflict",
           "landslides", "the heatwave", "rising sea levels", "the tropical storm",
           "the cholera outbreak", "food insecurity", "the violence"]
WEBS = [("IOM", "https://www.iom.int"), ("the Displacement Tracking Matrix",
         "https://dtm.iom.int"), ("the Migration Data Portal",
         "https://www.migrationdataportal.org"), ("the Global Compact for Migration",
         "https://www.un.org/en/migration2022/global-compact-for-migration"),
        ("the Missing Migrants Project", "https://missingmigrants.iom.int"),
        ("the World Migration Report", "https://worldmigrationreport.iom.int"),
        ("the Global Data Institute", "https://gdi.iom.int"),
        ("the Sustainable Development Goals", "https://sdgs.un.org/goals")]

HEADINGS = ["Background", "Key figures", "Next steps", "About the project",
            "A growing need", "Working with communities", "Funding gap",
            "Data and evidence", "Partnerships", "What comes next", "On the ground",
            "The response so far", "Voices from the field", "Looking ahead"]

# --------------------------------------------------------------------------------------
# Boilerplate repeated across releases (as real press offices do)
# --------------------------------------------------------------------------------------

ABOUT_IOM = {
    "old": ("**About IOM:** Established in 1951, IOM is the leading inter-governmental "
            "organization in the field of migration and works closely with governmental, "
            "intergovernmental and non-governmental partners. With 174 Member States, a "
            "further 8 states holding observer status and offices in over 100 countries, "
            "IOM is dedicated to promoting humane and orderly migration for the benefit of "
            "all. It does so by providing services and advice to governments and migrants."),
    "new": ("**About IOM:** Established in 1951, IOM is the leading inter-governmental "
            "organization in the field of migration and works closely with governmental, "
            "intergovernmental and non-governmental partners. With 175 Member States, a "
            "further 8 states holding observer status and offices in over 100 countries, "
            "IOM is dedicated to promoting humane and orderly migration for the benefit of "
            "all. It does so by providing services and advice to governments and migrants. "
            "IOM is part of the U.N. system as a related organization."),
}
DISCLAIMER = ("This press release was produced with the financial support of {donor}. Its "
              "contents are the sole responsibility of IOM and do not necessarily reflect "
              "the views of {donor_short}.")
STOCK = [
    "IOM remains committed to supporting the Government in addressing the needs of "
    "migrants and host communities.",
    "The project is part of IOM's broader efforts to promote safe, orderly and regular "
    "migration.",
    "Humanitarian needs continue to outpace available funding.",
    "IOM calls on the international community to step up its support.",
    "The activities are implemented in close coordination with national and local "
    "authorities.",
    "All activities follow a rights-based and gender-sensitive approach.",
    "IOM works with partners to ensure that no one is left behind.",
    "Migration, when well managed, benefits migrants and societies alike.",
    "The initiative contributes to the implementation of the Global Compact for Safe, "
    "Orderly and Regular Migration.",
    "IOM's Displacement Tracking Matrix (DTM) provides regular updates on population "
    "movements.",
    "Without additional funding, critical services may be suspended.",
    "IOM thanks its donors for their continued support.",
    "The needs on the ground remain immense.",
    "Protection remains at the heart of the response.",
    "The programme also strengthens the capacity of local civil society organizations.",
    "Climate change is increasingly shaping migration patterns around the world.",
    "IOM is scaling up its response in the affected areas.",
    "Data collection is ongoing and figures may change.",
    "The event was held in line with the Sustainable Development Goals (SDGs).",
    "Women and girls are disproportionately affected by displacement.",
    "Safe and dignified return remains a priority.",
    "Partnerships with the private sector are key to creating decent jobs.",
    "Local leadership is essential to long-term solutions.",
    "The full report is available online.",
    "IOM has been present in the country for more than two decades.",
    "Preparedness saves lives.",
]
STOCK_CLOSERS = ["Learn more about IOM's work [here](https://www.iom.int/our-work).",
                 "Follow IOM on social media for the latest updates.",
                 "The photos are available for media use with credit to IOM."]

# --------------------------------------------------------------------------------------
# Sentence templates.  Slots are filled by :class:`Filler`.
# --------------------------------------------------------------------------------------

LEAD = [
    "{org_first} launched on {date} {output} to strengthen {topic} in {country}.",
    "{org_first}, in cooperation with {partner}, hosted {event} on {topic} in {city} on "
    "{date}.",
    "{org_first} is scaling up its response to support {n_people} {group} affected by "
    "{hazard} in {country}.",
    "More than {n_people} {group} have received {activity} since {date}, {org_first} "
    "announced today.",
    "{org_first} and {partner} today appealed for {money} to assist {n_people} {group} in "
    "{region}.",
    "A new study released today by {org_first} shows that {pct} of {group} in {country} "
    "lack access to {activity}.",
    "{org_first} today welcomed the adoption of {output} on {topic} by the Government of "
    "{country}.",
    "With funding from {donor}, {org_first} has begun a {adj} programme on {topic} in "
    "{country}.",
]
BODY = [
    "The {proj} will reach {n_people} {group} in {n_small} districts {period}.",
    "According to the latest data, {pct} of respondents in {city} cited {hazard} as the "
    "main reason for leaving home.",
    "The initiative is funded by {donor} with a contribution of {money}.",
    "Since {date}, {n_people} {group} have been displaced across {region}.",
    "{Group} often face barriers to {activity}, including language, cost and lack of "
    "documentation.",
    "Participants discussed {adj} approaches to {topic}, e.g. {approach} and {approach2}.",
    "The {proj} builds on lessons learned from a pilot phase in {city}, which reached "
    "{n_small_people} people.",
    "In {city}, mobile teams provided {activity} to {n_small_people} {group} in the first "
    "{n_small} weeks of operation.",
    "More than {n_small} partner organizations took part in {event} held in {city} on "
    "{date}.",
    "The number of {group} in {country} has increased by {pct} compared with {year}.",
    "Speaking on {date}, {officials} highlighted the importance of {topic} for national "
    "development.",
    "According to {output_short} published on {date}, an estimated {big} people worldwide "
    "could be affected by {hazard_generic} by {year2}.",
    "The funding gap currently stands at {money}, or {pct} of the total requirement.",
    "{org_first} will also provide {activity} and {activity2} to {group}.",
    "The assessment was conducted in {n_small} locations between {date} and {date2}.",
    "Local authorities in {city} identified {activity} as the most urgent need for {group}.",
    "The {n_small}-day training in {city} covered topics such as {topic}, {topic2} and "
    "{topic3}.",
    "Over {pct} of the {group} surveyed were under the age of {age}.",
    "The {proj} is implemented together with {partner} and {partner2} in {n_small} "
    "provinces.",
    "In total, {money} has been mobilized for the response {period}.",
    "Remittances to {country} reached {money} in {year}, an increase of {pct}.",
    "The Government of {country} has pledged to integrate {topic} into its national "
    "policies {period}.",
    "Mr. {last_m}, who fled {hazard} with his family, now runs a small shop in {city}.",
    "Ms. {last_f} received {activity} in {city} and has since found work as a {job}.",
    "The {proj} also supports {group} in {city} through {activity}, i.e. services "
    "delivered directly in their communities.",
    "{n_small_people} households received {activity} in {city} and surrounding areas.",
    "The U.N. system in {country} is working closely with the authorities on {topic} and "
    "{topic2}.",
    "During {event}, {n_small} government officials were trained on {topic}.",
    "Access to {activity} remains limited in remote areas of {country}, where {pct} of "
    "{group} live.",
    "The new centre in {city} can host up to {n_small_people} people at a time.",
    "More information on {topic} is available on the website of [{web}]({web_url}).",
    "Data from [{web}]({web_url}) show a {pct} rise in movements towards {city}.",
    "A total of **{n_small_people} {group}** were assisted {period}.",
    "The {proj}, worth **{money}**, runs until {date}.",
    "{pct} of the funds will go directly to {activity}.",
    "Dr. {last_f} of {org_second} presented the findings of {output_short} on {topic}.",
    "The partners agreed to meet again in {city} on {date}.",
    "Approximately {n_people} {group} remain in {n_small} camps and informal sites.",
    "Working with {partner}, {org_second} has rehabilitated {n_small} health facilities "
    "and {n_small2} schools.",
    "The {proj} targets {n_small} districts most exposed to {hazard_generic}, such as "
    "{city}.",
    "Field teams reported a sharp increase in arrivals in {city} after {date}.",
    "Between {date} and {date2}, {n_small_people} {group} returned to {country}.",
    "{org_second} has supported {n_small} municipalities to develop local plans on "
    "{topic}.",
    "The average cost of the journey from {city} was estimated at {money_small} per "
    "person, according to {n_small_people} {group} interviewed.",
    "Only {pct} of the appeal for {country} has been funded so far.",
    "Community leaders, {group} and {group2} took part in the consultations in {city} "
    "on {date}.",
    "The agreement, signed in {city} on {date}, covers {topic} and {topic2}.",
    "In {year}, {org_second} assisted {n_people} people in {region}.",
]
QUOTE = [
    "We cannot address {topic} without listening to {group}",
    "This is a {adj} step for {topic} in {country}",
    "Every day in {city}, we see the human cost of {hazard_generic}",
    "Our teams in {city} are on the ground and ready to scale up",
    "The needs of {group} are enormous, and time is running out",
    "{Topic} is a reality for {big} people",
    "We are grateful to {donor} for their {adj} support to {group}",
    "Partnerships like this one make a real difference for {group} in {city}",
    "By {year2}, more than {big} people could be on the move because of {hazard_generic}",
    "Behind each of these {n_small_people} cases is a person with a story",
    "We must invest in {topic} in {country} now, not tomorrow",
    "No one in {city} should have to choose between safety and survival",
    "Together with {partner_short}, we will continue to support {group}",
    "The Government of {country} has shown {adj} leadership on {topic}",
    "What {group} need now is predictable, flexible funding",
    "This {proj} gives {group} in {city} the tools to rebuild their lives",
]
APPROACHES = ["community-based planning", "anticipatory action", "cash transfers",
              "planned relocation", "skills partnerships", "bilateral labour agreements",
              "early warning", "local integration", "area-based programming",
              "digital registration", "peer support groups", "mobile clinics"]
JOBS = ["tailor", "nurse", "mechanic", "teacher", "farmer", "baker", "electrician",
        "community health worker", "hairdresser", "carpenter", "interpreter", "cook"]
PROJ = ["project", "programme", "initiative", "pilot", "response plan", "campaign"]
HAZARD_GENERIC = ["climate change", "disasters", "conflict", "displacement",
                  "extreme weather events", "environmental degradation", "food insecurity"]


def _money(rng: random.Random, small: bool = False) -> str:
    if small:
        return f"USD {rng.choice([150, 250, 400, 600, 850, 1200, 1500, 2000, 3500, 5000])}"
    v = rng.choice([rng.randint(1, 99) / 2, rng.randint(10, 990) / 10, rng.randint(1, 400)])
    unit = "million" if rng.random() < 0.92 else "billion"
    cur = "USD" if rng.random() < 0.8 else rng.choice(["EUR", "CHF", "GBP"])
    s = f"{v:.1f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v)
    return f"{cur} {s} {unit}"


def _people(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.4:
        return f"{rng.randint(1, 99) * 1000 + rng.choice([0, 0, 500]):,}"
    if r < 0.8:
        return f"{rng.randint(1, 9) * 100000 + rng.randint(0, 99) * 1000:,}"
    return f"{rng.choice([1.2, 1.5, 2, 2.3, 3.1, 4, 5.6, 6.8])} million"


def _pct(rng: random.Random) -> str:
    v = rng.randint(3, 92)
    return f"{v} per cent" if rng.random() < 0.5 else f"{v}%"


def _date(rng: random.Random, around: _dt.date) -> str:
    d = around + _dt.timedelta(days=rng.randint(-120, 120))
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _slugify(text: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return "-".join(text.split("-")[:8])


class Filler:
    """Fills template slots from the vocabulary with a release-specific context."""

    def __init__(self, rng: random.Random, country: str, date: _dt.date) -> None:
        self.rng = rng
        self.country = country
        self.date = date
        self.cities = COUNTRIES[country][0]
        self.partner = rng.choice(ORGS)
        self.donor = rng.choice(DONORS)

    def fill(self, template: str) -> str:
        rng = self.rng
        d1, d2 = sorted(self.date + _dt.timedelta(days=rng.randint(-120, 120))
                        for _ in range(2))
        d1, d2 = (f"{d.day} {MONTHS[d.month - 1]} {d.year}" for d in (d1, d2))
        groups = rng.sample(GROUPS, 2)
        acts = rng.sample(ACTIVITIES, 2)
        topics = rng.sample(TOPICS, 3)
        approaches = rng.sample(APPROACHES, 2)
        org_iom = f"IOM {self.country.replace('the ', '')}" if rng.random() < 0.3 else "IOM"
        vals = {
            "org_first": "The International Organization for Migration (IOM)"
            if rng.random() < 0.5 else org_iom,
            "org_second": org_iom,
            "partner": "{} ({})".format(*(rng.choice(ORGS) if rng.random() < 0.4
                                           else self.partner)[:2]),
            "partner2": rng.choice(ORGS)[0],
            "partner_short": self.partner[1],
            "country": self.country,
            "city": rng.choice(self.cities),
            "region": rng.choice(REGIONS),
            "date": d1,
            "date2": d2,
            "year": str(self.date.year - rng.randint(1, 5)),
            "year2": str(rng.choice([2030, 2040, 2050])),
            "money": _money(rng),
            "money_small": _money(rng, small=True),
            "n_people": _people(rng),
            "n_small_people": f"{rng.randint(120, 9800):,}",
            "n_small": str(rng.randint(3, 48)),
            "n_small2": str(rng.randint(2, 30)),
            "big": f"{rng.choice([20, 50, 100, 143, 200, 216, 281, 300])} million",
            "pct": _pct(rng),
            "age": str(rng.choice([18, 25, 30, 35])),
            "group": groups[0],
            "group2": groups[1],
            "activity": acts[0],
            "activity2": acts[1],
            "topic": topics[0],
            "topic2": topics[1],
            "topic3": topics[2],
            "approach": approaches[0],
            "approach2": approaches[1],
            "officials": f"the {rng.choice(OFFICIALS)}",
            "event": rng.choice(EVENTS),
            "output": rng.choice(OUTPUTS),
            "output_short": rng.choice(OUTPUTS),
            "adj": rng.choice(ADJ),
            "period": rng.choice(PERIODS),
            "hazard": rng.choice(HAZARDS),
            "hazard_generic": rng.choice(HAZARD_GENERIC),
            "donor": rng.choice(DONORS) if rng.random() < 0.3 else self.donor,
            "proj": rng.choice(PROJ),
            "last_m": rng.choice(LAST_NAMES),
            "last_f": rng.choice(LAST_NAMES),
            "job": rng.choice(JOBS),
            "Officials": f"The {rng.choice(OFFICIALS)}",
        }
        vals["web"], vals["web_url"] = rng.choice(WEBS)
        vals["Group"] = vals["group"][0].upper() + vals["group"][1:]
        vals["Topic"] = vals["topic"][0].upper() + vals["topic"][1:]
        return template.format(**vals)


def _person(rng: random.Random) -> tuple[str, str, str]:
    """(honorific, full name, pronoun)"""
    if rng.random() < 0.5:
        return "Mr.", f"{rng.choice(FIRST_NAMES_M)} {rng.choice(LAST_NAMES)}", "he"
    return "Ms.", f"{rng.choice(FIRST_NAMES_F)} {rng.choice(LAST_NAMES)}", "she"


# A fixed roster of press contacts: the same people appear in many releases.
def _contacts() -> list[tuple[str, str, str]]:
    rng = random.Random(1951)
    out = []
    for country, (cities, prefix, _adj) in list(COUNTRIES.items()):
        for _ in range(2 if rng.random() < 0.3 else 1):
            _h, name, _p = _person(rng)
            first, last = name.split(" ", 1)
            ascii_last = unicodedata.normalize("NFKD", last).encode("ascii", "ignore")
            email = f"{first[0].lower()}{re.sub(r'[^a-z]', '', ascii_last.decode().lower())}" \
                    "@iom.int"
            phone = f"{prefix} {rng.randint(10, 99)} {rng.randint(100, 999)} " \
                    f"{rng.randint(1000, 9999)}"
            out.append((country, f"{name}, IOM {cities[0]}, Tel: {phone}, Email: "
                                 f"<{email}>", name))
    return out


CONTACTS = _contacts()
HQ_CONTACTS = [
    "In Geneva: Safa Msehli, Tel: +41 79 403 5526, Email: <smsehli@iom.int>",
    "In Geneva: Paul Dillon, Tel: +41 79 636 9874, Email: <pdillon@iom.int>",
    "In Geneva: Joe Lowry, Tel: +41 79 103 0236, Email: <jlowry@iom.int>",
    "In New York: Jorge Galindo, Tel: +1 212 681 7000, Email: <jgalindo@iom.int>",
]

# --------------------------------------------------------------------------------------
# Release generation
# --------------------------------------------------------------------------------------


def _yaml_scalar(s: str) -> str:
    if re.search(r"(^[\s\-?:,\[\]{}#&*!|>'\"%@`])|(: )|( #)|(:$)", s):
        return json.dumps(s, ensure_ascii=False)
    return s


def _title(f: Filler) -> str:
    rng = f.rng
    t = rng.choice([
        "{Org} Launches {Output} on {Topic} in {Country}",
        "{Money} Needed to Support {Group} in {Region}",
        "{Org} Scales Up Response as {Hazard} Displaces Thousands in {Country}",
        "New Report: {Pct} of {Group} in {Country} Lack Access to Services",
        "{Org} and {Partner} Host {Event} on {Topic}",
        "{Country} Adopts {Output} on {Topic} with {Org} Support",
        "{Org} Marks {N} Years of Work on {Topic} in {Country}",
    ])
    cap = lambda s: " ".join(w[:1].upper() + w[1:] if len(w) > 3 or i == 0 else w
                             for i, w in enumerate(s.split()))
    return t.format(
        Org=rng.choice(["IOM", "UN Migration"]), Output=cap(rng.choice(OUTPUTS)[2:].lstrip()),
        Topic=cap(rng.choice(TOPICS)), Country=f.country.replace("the ", ""),
        Money=_money(rng), Group=cap(rng.choice(GROUPS).split(" (")[0]),
        Region=rng.choice(REGIONS).replace("the ", ""), Hazard=cap(re.sub(r"^the ", "", rng.choice(HAZARDS))),
        Pct=f"{rng.randint(20, 90)}%", Partner=f.partner[1], Event=cap(rng.choice(EVENTS)),
        N=str(rng.randint(5, 70)))


def _quote_paragraph(f: Filler) -> str:
    rng = f.rng
    hon, name, pron = _person(rng)
    title = rng.choice(TITLES)
    where = rng.choice([f"IOM {f.country.replace('the ', '')}", "IOM",
                        f"IOM's Regional Office for {rng.choice(REGIONS).replace('the ', '')}"])
    q1 = f.fill(rng.choice(QUOTE))
    q2 = f.fill(rng.choice(QUOTE))
    form = rng.random()
    if form < 0.4:
        return f"“{q1}. {q2},” said {name}, {title} at {where}. “{f.fill(rng.choice(QUOTE))}.”"
    if form < 0.7:
        return f"“{q1},” said {hon} {name.split(' ', 1)[1]}. “{q2}.”"
    if form < 0.85:
        return (f"{name}, {title} at {where}, said: “{q1}. {q2}.” {pron.capitalize()} added "
                f"that {f.fill(rng.choice(BODY))[0].lower()}{f.fill(rng.choice(BODY))[1:]}")
    return f"“{q1},” {pron} added."


def _bullets(f: Filler) -> str:
    rng = f.rng
    intro = rng.choice(["Key results include:", "Among the main findings:",
                        "The response includes:", "Priority needs identified include:"])
    items = []
    for _ in range(rng.randint(3, 5)):
        problem = rng.choice(["debt", "food shortages", "lost income", "damaged shelters",
                              "health problems"])
        place = rng.choice(["health facilities", "schools", "water points",
                            "community centres", "shelters"])
        items.append(rng.choice([
            f"- {rng.randint(120, 9800):,} {rng.choice(GROUPS)} received "
            f"{rng.choice(ACTIVITIES)}",
            f"- {_pct(rng)} of households reported {problem}",
            f"- {rng.randint(3, 48)} {place} rehabilitated in {rng.choice(f.cities)}",
            f"- **{_money(rng)}** mobilized for {rng.choice(ACTIVITIES)}",
            f"- {rng.choice(ACTIVITIES).capitalize()} for {rng.choice(GROUPS)}",
        ]))
    return intro + "\n\n" + "\n".join(items)


def _table(f: Filler) -> str:
    rng = f.rng
    rows = ["| Location | People reached | Funding (USD) |", "| --- | ---: | ---: |"]
    people = funds = 0
    for city in rng.sample(f.cities, len(f.cities)):
        p, m = rng.randint(500, 40000), rng.randint(1, 90)
        people, funds = people + p, funds + m
        rows.append(f"| {city} | {p:,} | {m / 10:.1f} million |")
    rows.append(f"| **Total** | {people:,} | {funds / 10:.1f} million |")
    return "\n".join(rows)


def make_release(rng: random.Random, date: _dt.date) -> tuple[str, str]:
    """Return (slug, markdown text) for one release."""
    country = rng.choice(list(COUNTRIES))
    f = Filler(rng, country, date)
    title = _title(f)
    city = rng.choice(f.cities) if rng.random() < 0.8 else rng.choice(GLOBAL_CITIES)
    summary = f.fill(rng.choice(LEAD))
    summary = re.sub(r"^The International Organization for Migration \(IOM\)", "IOM", summary)

    blocks: list[str] = []
    lead = f.fill(rng.choice(LEAD))
    dateline = f"{city}, {date.day} {MONTHS[date.month - 1]} {date.year} – {lead}"
    blocks.append(dateline + " " + " ".join(f.fill(rng.choice(BODY))
                                            for _ in range(rng.randint(1, 2))))

    n_par = rng.randint(6, 12)
    quote_at = set(rng.sample(range(n_par), k=min(n_par, rng.randint(1, 3))))
    heading_at = set(rng.sample(range(2, n_par), k=rng.choice([0, 1, 1, 2])))
    bullets_at = rng.randrange(2, n_par) if rng.random() < 0.3 else -1
    table_at = rng.randrange(2, n_par) if rng.random() < 0.12 else -1
    stock = rng.sample(STOCK, k=rng.randint(0, 2))
    stock_at = {rng.randrange(n_par): s for s in stock}
    headings = rng.sample(HEADINGS, 2)
    for i in range(n_par):
        if i in heading_at:
            blocks.append("## " + headings.pop())
        if i in quote_at:
            blocks.append(_quote_paragraph(f))
            continue
        sents = [f.fill(rng.choice(BODY)) for _ in range(rng.randint(2, 5))]
        if i in stock_at:
            sents.insert(rng.randint(0, len(sents)), stock_at[i])
        blocks.append(" ".join(sents))
        if i == bullets_at:
            blocks.append(_bullets(f))
        if i == table_at:
            blocks.append(f"The table below shows assistance delivered in {country} "
                          f"{rng.choice(PERIODS)}.")
            blocks.append(_table(f))

    if rng.random() < 0.6:
        donor = f.donor
        short = re.sub(r"^the ", "the ", donor)
        m = re.search(r"\(([^)]+)\)$", donor)
        blocks.append(DISCLAIMER.format(donor=donor, donor_short=f"the {m.group(1)}"
                                        if m else short))
    if rng.random() < 0.2:
        blocks.append(rng.choice(STOCK_CLOSERS))
    blocks.append(ABOUT_IOM["old" if date.year < 2023 else "new"])
    blocks.append("***")
    local = [c for c in CONTACTS if c[0] == country]
    lines = [c[1] for c in rng.sample(local, k=min(len(local), rng.randint(1, 2)))]
    if rng.random() < 0.35:
        lines.append(rng.choice(HQ_CONTACTS))
    blocks.append("For more information, please contact:")
    blocks.append("\n".join(f"- {ln}" for ln in lines))

    fm = ["---", f"title: {_yaml_scalar(title)}", f"date: {date.isoformat()}",
          f"location: {_yaml_scalar(city)}", f"summary: {_yaml_scalar(summary)}", "---"]
    return _slugify(title), "\n".join(fm) + "\n\n" + "\n\n".join(blocks) + "\n"


def generate(out_dir: Path, n: int = 1000, seed: int = 42) -> list[Path]:
    """Write ``n`` releases under ``out_dir/source``; return their paths (sorted)."""
    rng = random.Random(seed)
    start = _dt.date(2021, 1, 1)
    span = (_dt.date(2024, 12, 31) - start).days
    dates = sorted(start + _dt.timedelta(days=rng.randint(0, span)) for _ in range(n))
    used: set[str] = set()
    paths = []
    for date in dates:
        slug, text = make_release(rng, date)
        rel = f"{date.year:04d}/{date.month:02d}/{slug}"
        k = 2
        while rel in used:
            rel = f"{date.year:04d}/{date.month:02d}/{slug}-{k}"
            k += 1
        used.add(rel)
        p = out_dir / "source" / f"{rel}.md"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return sorted(paths)


# --------------------------------------------------------------------------------------
# Segmentation (used by ``edit`` and ``stats``; deliberately simple)
# --------------------------------------------------------------------------------------

_ABBREV = re.compile(r"(?:\b(?:Mr|Ms|Mrs|Dr|St|No|Tel|approx|e\.g|i\.e|U\.N|U\.S|etc|vs)|"
                     r"\b[A-Z])\.$")
_BOUNDARY = re.compile(r"(?<=[.!?])([”\"]?)\s+(?=[“\"A-Z0-9*\[])")


def split_sentences(par: str) -> list[str]:
    """Split a one-line paragraph into sentences (abbreviation-aware)."""
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(par):
        end = m.start() + len(m.group(1))
        if not m.group(1) and _ABBREV.search(par[start:m.start()]):
            continue
        out.append(par[start:end])
        start = m.end()
    out.append(par[start:])
    return [s for s in out if s]


def _parse(text: str) -> tuple[list[str], list[str]]:
    """(front matter lines, body blocks)"""
    assert text.startswith("---\n")
    end = text.index("\n---\n", 4)
    fm = text[4:end].split("\n")
    body = text[end + 5:].strip("\n").split("\n\n")
    return fm, body


def _kind(block: str) -> str:
    if block.startswith("#"):
        return "heading"
    if block.startswith("|"):
        return "table"
    if block.startswith("- "):
        return "list"
    if block.strip() == "***":
        return "rule"
    return "prose"


def segments(text: str, editable_only: bool = False) -> list[str]:
    """Translatable segments of one release, as this module sees them.

    ``editable_only``: only those :func:`edit` may change (sentences, list items, title
    and summary), in the order it walks them.
    """
    fm, body = _parse(text)
    out = []
    keys = ("title", "summary") if editable_only else ("title", "summary", "location")
    for line in fm:
        k, _, v = line.partition(": ")
        if k in keys:
            out.append(json.loads(v) if v.startswith('"') else v)
    for b in body:
        kind = _kind(b)
        if kind == "prose":
            out.extend(split_sentences(b))
        elif kind == "list":
            out.extend(ln[2:] for ln in b.split("\n"))
        elif editable_only:
            continue
        elif kind == "heading":
            out.append(b.lstrip("# "))
        elif kind == "table":
            for ln in b.split("\n"):
                if "---" not in ln:
                    out.extend(c.strip() for c in ln.strip("|").split("|") if c.strip())
    return out


# --------------------------------------------------------------------------------------
# Revision: edit ~10% of segments
# --------------------------------------------------------------------------------------

SYNONYMS = {
    "launched": "unveiled", "hosted": "organized", "support": "assist", "supports": "helps",
    "provided": "delivered", "received": "obtained", "reached": "assisted",
    "increase": "rise", "increased": "grown", "urgent": "pressing", "critical": "vital",
    "significant": "major", "new": "fresh", "announced": "said", "remain": "stay",
    "remains": "is still", "highlighted": "stressed", "discussed": "examined",
    "approaches": "methods", "identified": "named", "most": "the most", "main": "primary",
    "total": "whole", "estimated": "expected", "barriers": "obstacles",
    "including": "such as", "pledged": "committed", "important": "vital",
    "communities": "localities", "families": "households", "people": "persons",
    "help": "assist", "shows": "finds", "needs": "requirements", "funding": "financing",
    "partners": "stakeholders", "region": "area", "districts": "provinces",
    "project": "programme", "training": "course", "workshop": "seminar",
    "findings": "results", "sharp": "marked", "agreed": "decided", "centre": "facility",
    "presented": "shared", "rehabilitated": "repaired", "worldwide": "globally",
}
_NUM = re.compile(r"\d+(?:[.,]\d+)*")


def _change_number(s: str, rng: random.Random) -> str | None:
    nums = [m for m in _NUM.finditer(s)]
    # Do not touch phone numbers or years in dates (changing a year is rarer).
    nums = [m for m in nums if not (len(m.group()) == 4 and m.group().startswith("20"))]
    if not nums:
        return None
    m = rng.choice(nums)
    old = m.group()
    digits = [i for i, c in enumerate(old) if c.isdigit()]
    i = rng.choice(digits[:2]) if len(digits) > 1 else digits[0]
    new_digit = str((int(old[i]) + rng.randint(1, 8)) % 10)
    if i == 0 and new_digit == "0":
        new_digit = "9"
    new = old[:i] + new_digit + old[i + 1:]
    return s[:m.start()] + new + s[m.end():]


def _change_word(s: str, rng: random.Random) -> str | None:
    words = [m for m in re.finditer(r"\b[a-z][a-z\-]+\b", s) if m.group() in SYNONYMS]
    if words:
        m = rng.choice(words)
        return s[:m.start()] + SYNONYMS[m.group()] + s[m.end():]
    for pat, rep in ((" will ", " will also "), (" has ", " has also "),
                     (" have ", " have also "), (" is ", " is now "), (" are ", " are now ")):
        if pat in s:
            return s.replace(pat, rep, 1)
    if s.endswith("."):
        return s[:-1] + " as well."
    return None


def revise(text: str, rng: random.Random, chosen: set[int], first_index: int,
           filler: Filler) -> tuple[str, Counter]:
    """Apply edits to the segments of ``text`` whose global index is in ``chosen``."""
    stats: Counter = Counter()
    fm, body = _parse(text)
    idx = first_index

    def edit_inline(s: str) -> str:
        op = rng.random()
        new = (_change_number(s, rng) if op < 0.55 else None) or _change_word(s, rng) \
            or _change_number(s, rng)
        if new is None:
            stats["unchanged"] += 1
            return s
        stats["number" if _NUM.sub("", new) == _NUM.sub("", s) else "word"] += 1
        return new

    new_fm = []
    for line in fm:
        k, _, v = line.partition(": ")
        if k in ("title", "summary"):
            if idx in chosen:
                val = json.loads(v) if v.startswith('"') else v
                line = f"{k}: {_yaml_scalar(edit_inline(val))}"
            idx += 1
        new_fm.append(line)

    new_body = []
    for b in body:
        kind = _kind(b)
        if kind == "prose":
            sents = split_sentences(b)
            out = []
            for s in sents:
                if idx in chosen:
                    r = rng.random()
                    if r < 0.08 and len(sents) > 1:
                        stats["deleted"] += 1
                    elif r < 0.16:
                        out.append(s)
                        out.append(filler.fill(rng.choice(BODY)))
                        stats["added"] += 1
                    else:
                        out.append(edit_inline(s))
                else:
                    out.append(s)
                idx += 1
            b = " ".join(out)
        elif kind == "list":
            lines = b.split("\n")
            for j, ln in enumerate(lines):
                if idx in chosen:
                    lines[j] = "- " + edit_inline(ln[2:])
                idx += 1
            b = "\n".join(lines)
        new_body.append(b)
    text = "---\n" + "\n".join(new_fm) + "\n---\n\n" + "\n\n".join(new_body) + "\n"
    return text, stats


def edit(out_dir: Path, fraction: float = 0.1, seed: int = 7) -> Counter:
    """Revise ``fraction`` of all segments of the corpus under ``out_dir/source`` in place."""
    paths = sorted((out_dir / "source").rglob("*.md"))
    counts = []
    texts = []
    all_segments = 0
    for p in paths:
        t = p.read_text(encoding="utf-8")
        texts.append(t)
        counts.append(len(segments(t, editable_only=True)))
        all_segments += len(segments(t))
    total = sum(counts)
    rng = random.Random(seed)
    # ``fraction`` of all segments, drawn among the editable ones (sentences, list items,
    # title and summary; not headings, table cells or the location).
    chosen = set(rng.sample(range(total), k=min(total, round(all_segments * fraction))))
    stats: Counter = Counter()
    first = 0
    for p, t, c in zip(paths, texts, counts):
        if any(first <= i < first + c for i in chosen):
            date = _dt.date.fromisoformat(re.search(r"^date: (\S+)$", t, re.M).group(1))
            frng = random.Random(f"{seed}:{p.relative_to(out_dir).as_posix()}")
            country = next((k for k in COUNTRIES if any(city in t for city in
                                                         COUNTRIES[k][0])), "Kenya")
            new, st = revise(t, frng, chosen, first, Filler(frng, country, date))
            stats.update(st)
            if new != t:
                p.write_text(new, encoding="utf-8")
                stats["files"] += 1
        first += c
    stats["segments"] = all_segments
    stats["editable"] = total
    stats["chosen"] = len(chosen)
    return stats


def stats(out_dir: Path) -> dict:
    """Segment counts and how many segment occurrences recur in two or more releases."""
    seg_files: Counter = Counter()
    occ: list[str] = []
    for p in sorted((out_dir / "source").rglob("*.md")):
        segs = segments(p.read_text(encoding="utf-8"))
        occ.extend(segs)
        seg_files.update(set(segs))
    recurring = sum(1 for s in occ if seg_files[s] >= 2)
    return {"releases": len(list((out_dir / "source").rglob("*.md"))),
            "segments": len(occ), "distinct": len(set(occ)),
            "recurring_occurrences": recurring,
            "recurring_pct": round(100 * recurring / max(1, len(occ)), 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("out")
    g.add_argument("--n", type=int, default=1000)
    g.add_argument("--seed", type=int, default=42)
    e = sub.add_parser("edit")
    e.add_argument("out")
    e.add_argument("--fraction", type=float, default=0.1)
    e.add_argument("--seed", type=int, default=7)
    s = sub.add_parser("stats")
    s.add_argument("out")
    a = ap.parse_args(argv)
    out = Path(a.out)
    if a.cmd == "generate":
        paths = generate(out, a.n, a.seed)
        print(f"wrote {len(paths)} releases under {out / 'source'}")
    elif a.cmd == "edit":
        print(json.dumps(dict(edit(out, a.fraction, a.seed)), indent=1))
    else:
        print(json.dumps(stats(out), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
