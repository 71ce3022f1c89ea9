#!/usr/bin/env python3
"""Generate large synthetic platform exports for benchmarks (deterministic, streamed to disk).

    python benchmarks/synth_export.py --items 100000 --out bench-out
    python benchmarks/synth_export.py --format x-archive --items 100000 --out bench-out
    python benchmarks/synth_export.py --format graph-feed --target-bytes 1e9 --out bench-1g

Formats (the same real structures as the files in sample_data/exports/, see sample_data/README.md):

  graph-feed   DIR/facebook_graph_api/ : Meta Graph API capture of the City of Rancho Verde Page
               feed,
               one raw response body per file (<page-id>/feed/page-NNNNNN.json, `limit` posts per
               page, compact JSON with \\/-escaped slashes), threaded public comments with replies,
               hidden comments, comments without `from`, and manifest.json listing every request.
  x-archive    DIR/x_archive.zip : X account archive of @RanchoVerdeCA: data/manifest.js,
               data/tweets.js + data/tweets-partN.js (window.YTD.tweets.partN = [...], numbers as
               strings, HTML-escaped text, edit_info), replies, note-tweet.js, deleted-tweets.js,
               follower.js and small tweets_media/<tweetid>-<name>.jpg files.

--items N is the number of posts (top-level items). Each post gets about one comment thread:
graph-feed adds 0-3 top-level comments with 0-2 replies each; x-archive adds 0-2 reply tweets from
the account. --target-bytes B ignores --items and keeps generating posts until the output on disk
reaches about B bytes (for x-archive: the zip file size; use --compression stored to make that
equal to the JSON size). --text-scale makes every text longer or shorter.

Everything is derived from --seed (default 1): the same arguments give the same bytes. Nothing is
held in memory beyond one response page / one tweet; files are written as they are generated.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import random
import struct
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

FB_PAGE_ID, FB_PAGE_NAME = "100064123456789", "City of Rancho Verde"
X_USER_ID, X_HANDLE, X_NAME = "1500000000000000001", "RanchoVerdeCA", "City of Rancho Verde"
GRAPH = "https://graph.facebook.com/v19.0"
ZIP_DATE = (2025, 7, 1, 12, 0, 0)
TWITTER_EPOCH_MS = 1288834974657
START = int(datetime(2016, 1, 1, 16, tzinfo=UTC).timestamp())
# the X account id is a snowflake from 2022-03-05, so its tweets start after that
X_START = int(datetime(2022, 3, 7, 16, tzinfo=UTC).timestamp())


def _words(text: str) -> list[str]:
    return text.split()


# ---------------------------------------------------------------------------------------------
# Vocabulary (common English plus civic terms). Inflected forms are generated below, giving
# several thousand distinct words; resident surnames are synthesised from syllables
# (thousands more).
# ---------------------------------------------------------------------------------------------
NOUNS = _words(
    """
account accident action activity address advice afternoon agency agenda agreement air airport
alarm alley amendment animal announcement answer apartment application appointment area argument
arrival art article assessment assistance association attention audience audit avenue baby
background bag bakery balance ballot band bank barrier basketball battery beach bed bench
benefit bicycle bike bill bird birthday block board boat body bond book border bottle boulevard
box branch bread bridge brush budget building bulletin bus business cafe calendar camera camp
campaign candidate capital car card career carpet cart case cash cat celebration cemetery center
ceremony chair chairperson challenge chamber champion chance change channel chapter charge chart
chief child choice choir church circle citizen city claim class classroom clerk cliff clinic
clock club coach coast code coffee collection college color column comment commission committee
community company complaint concern concert condition conference construction consultant
contract contractor conversation corner council councilmember county course court coverage crew
crime crossing crosswalk crowd culture curb customer cycle damage dance danger date daughter
deadline deal debate decision deck delay delivery department deposit design desk detail detour
development device director disaster discussion district document dog donation door downtown
draft drain drainage drawing drink driver driveway drought dust duty earthquake east economy
edge education effect effort election electricity elevator emergency employee employer energy
engine engineer entrance environment equipment error estimate evening event evidence exhibit
experience expert facility factor family farm farmer fee feedback fence festival field figure
file film finance fire firefighter fireworks fish flag flood floor flower focus food football
forecast forest form foundation fountain freeway friend fund funding future game garage garden
gas gate generation gift goal government grant grass ground group growth guard guest guide gym
habit hall hand handbook harbor hazard health hearing heat heatwave height help highway hill
history hole holiday home homeowner hospital hotel hour house housing hydrant idea impact
improvement incident income increase industry information infrastructure injury inspection
inspector instance insurance interest intersection interview investment island issue item job
journey judge jury key kid kitchen knowledge lake lamp land landscape lane language law lawn
leader league lease level library license light limit line list literature loan lobby location
lot lunch machine magazine maintenance majority manager map market marketplace mayor meal
measure media meeting member memo message meter method midnight minute mission model moment
money month morning mother motion mountain movie museum music nation nature neighbor
neighborhood network news newsletter night noise notice number nurse oak object office officer
official oil opening operation opinion option orchard order ordinance organization outreach
owner package page paint pancake panel park parking parkway partner party passenger path
patience patrol pattern pavement payment pedestrian people percent performance permit person
phone photo picnic piece pipe place plan planet plant platform player playground plaza pocket
poem point police policy pollution pool population porch position post potato power practice
presentation president press pressure price priority prison problem procedure process product
professor program project property proposal protection public purpose quality quarter question
race radio railroad rain ramp range rate reader reason receipt recommendation record recreation
recycling referendum region relationship report representative request research reservoir
resident resolution resource response restaurant result review revenue ride right river road
roof room route rule safety salary sale sample schedule scheme school science score screen
season seat secretary section security senior sense series service session shade shelter shift
shop shoulder sidewalk sign signal singer site situation size skill sky slope smoke soccer
society software soil solution song source space speaker speech speed spring square stadium
staff stage standard station statue step stop storage store storm story strategy stream street
strength structure student study subject suburb subway success summary summer sun supply support
surface survey system table task tax taxpayer teacher team technology temperature tenant term
test theater thing thought ticket time title today tool topic tour tower town track traffic
trail train transit transportation trash tree trip truck trust truth tunnel turn type umbrella
union unit university update utility vacation valley value van vehicle vendor version veteran
video view village visitor voice volunteer vote voter wage wall war warning waste watch water
way weather website week weekend welcome well west wheel window winter witness woman word work
worker workshop world year youth zone
"""
)
IRREGULAR_PLURALS = {
    "child": "children",
    "person": "people",
    "woman": "women",
    "man": "men",
    "foot": "feet",
    "people": "people",
}
VERBS = _words(
    """
accept add address affect agree allow announce answer apply appreciate approve arrive ask attend
avoid begin believe borrow bring build buy call cancel care carry celebrate change check choose
clean clear close collect come complain complete confirm connect consider continue contribute
cook cost count cover create cross cut deliver depend describe design detour discover discuss
donate drive drop enjoy ensure enter expand expect explain extend face fill find finish fix
follow forget gather give grow handle happen hear help hire hold hope host improve include
increase inform install invite join keep know launch learn leave lift like listen live look lose
love maintain make manage mark meet miss move need notice offer open order organize paint park
pass pave pay plan plant play post prepare present prevent protect provide publish pull push
reach read receive recommend record reduce register remember remind remove repair repave replace
report request require reroute reserve respond restore return review ride run save schedule see
serve share shop show sign slow speak spend start stay stop study submit suggest support talk
teach tell test thank think travel try turn understand update use visit vote wait walk want warn
wash watch water welcome wish wonder work worry write
"""
)
IRREGULAR_PAST = {
    "begin": "began",
    "bring": "brought",
    "build": "built",
    "buy": "bought",
    "choose": "chose",
    "come": "came",
    "cut": "cut",
    "drive": "drove",
    "find": "found",
    "forget": "forgot",
    "give": "gave",
    "grow": "grew",
    "hear": "heard",
    "hold": "held",
    "keep": "kept",
    "know": "knew",
    "leave": "left",
    "lose": "lost",
    "make": "made",
    "meet": "met",
    "pay": "paid",
    "read": "read",
    "ride": "rode",
    "run": "ran",
    "see": "saw",
    "speak": "spoke",
    "spend": "spent",
    "teach": "taught",
    "tell": "told",
    "think": "thought",
    "understand": "understood",
    "write": "wrote",
    "put": "put",
    "set": "set",
}
ADJECTIVES = _words(
    """
able active additional affordable angry annual available bad beautiful best better big blue
brief bright broken busy calm careful central cheap clean clear close closed cold comfortable
common complete confusing considerable cool correct crowded current dangerous dark dead deep
delayed different difficult dirty dry due early easy eastern economic effective electric empty
entire environmental equal essential excellent excessive expensive extra fair familiar famous
fast final financial fine first flat free fresh friendly front full fun general gentle good
grateful great green happy hard healthy heavy helpful high historic hot huge humid important
impossible independent interesting key kind large last late legal little live local long loud
low lucky main major medical minor missing modern muddy narrow national natural nearby necessary
new next nice noisy normal northern official old open orange ordinary original outdoor overdue
patient peaceful perfect permanent personal planned pleasant popular possible potential previous
private proud public quick quiet rainy ready real recent red regional regular related reliable
remote responsible rough safe scheduled seasonal second secure senior serious severe shady sharp
short significant similar simple slow small smooth social soft solar special specific steep
strange strong successful sudden sunny temporary terrible thankful thirsty tight tired total
tough traditional true typical unclear unexpected unhappy unsafe upcoming upset urban urgent
useful usual various visible warm weekly welcome western wet white whole wide wild windy
wonderful wooden worried wrong yellow young
"""
)
ADVERBS = _words(
    """
again almost already also always carefully certainly clearly completely currently daily
definitely early easily especially even eventually exactly finally frankly fully generally
hardly honestly immediately instead just lately likely maybe mostly nearly never normally now
obviously often only originally perhaps possibly probably quickly quietly rarely really recently
regularly safely seriously simply slowly soon still suddenly temporarily today together tonight
truly usually very weekly yesterday
"""
)
PREPS = _words(
    """
at by for from in into of on over to toward under with without about after before during near
through until within across along around behind beside between beyond past
"""
)
CIVIC = _words(
    """
Elm Oak Maple Cedar Sycamore Juniper Willow Birch Magnolia Palm Olive Pepper Jacaranda
Eucalyptus Acacia Foothill Mesa Vista Verde Rancho Arroyo Canyon Ridge Sierra Valley Citrus
Orange Lemon Almond Walnut Baseline Sunset Sunrise Highland Meadow Grove Park Civic Library
Chamber Heritage Mission Pioneer Frontier Los Olivos Del Sol Alta Loma Buena Vista Monte Linda
Serrano Alvarado Ochoa Ruiz Whitfield Fontana splash pickleball skatepark farmers market cooling
sandbag streetlight pothole repaving crosswalk roundabout bikeway greenway stormwater wastewater
reclamation sewer graffiti encampment wildfire evacuation red flag Santa Ana winds brush
clearance smog ozone inversion monsoon drought tiered rates turf rebate solar permit zoning
variance setback duplex ADU infill mixed-use affordability RHNA housing element general plan
CEQA Brown Act quorum consent calendar closed session public comment agenda minutes ordinance
resolution
"""
)
FIRST_NAMES = _words(
    """
Maria Jose Juan Luis Carlos Ana Sofia Isabella Camila Valentina Diego Mateo Santiago Emilio
Lucia Elena James John Robert Michael William David Richard Joseph Thomas Charles Mary Patricia
Jennifer Linda Barbara Elizabeth Susan Jessica Sarah Karen Nancy Lisa Betty Sandra Ashley
Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie Rebecca Laura Sharon
Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Nicole Emma Samantha Katherine Christine
Debra Rachel Carolyn Janet Catherine Heather Diane Ruth Julie Olivia Joyce Virginia Victoria
Kelly Lauren Christina Joan Evelyn Judith Megan Andrea Cheryl Hannah Linh Thao Minh Anh Tuan
Huong Priya Arjun Ravi Anita Sanjay Deepa Noor Omar Layla Yusuf Fatima Hassan Wei Jing Hui Ming
Chen Yuki Haruto Kenji Aiko Min-jun Ji-woo Seo-yeon Kwame Amara Chidi Ngozi Tunde Keisha Darnell
Jamal Aaliyah Tyrone Imani Devon Jordan Taylor Morgan Casey Riley Quinn Avery Rowan Sage Gus
Walt Dale Rick Bea Tom Sam Pat Lou Vic Dot Flo Hank Abe Ike Mo
"""
)
SYLLABLES = _words(
    "al an ar bel ber bran cas chen dal del dor el en er fon gar gon hal han har kim lan lar "
    "lee lin lo mar mon mor nak nel nor ok or pa par pen quin ra ran rey ros sal san ser sol ta "
    "tan ter to tor val van ver vin wa war wen wil yam yo zan zu"
)
SURNAME_ENDS = [
    "",
    "",
    "son",
    "ez",
    "es",
    "ton",
    "ley",
    "berg",
    "ski",
    "ova",
    "ian",
    "ini",
    "ara",
    "moto",
    "wala",
]
EMOJI = [
    "\U0001f389",
    "\u2600\ufe0f",
    "\U0001f333",
    "\U0001f697",
    "\U0001f6a7",
    "\u2615",
    "\U0001f4da",
    "\U0001f525",
    "\U0001f64f",
    "\U0001f44f",
    "\u2764\ufe0f",
    "\U0001f602",
    "\U0001f621",
    "\U0001f914",
    "\U0001f440",
]
ACCENTED = [
    "Café Olé on Elm",
    "Jalapeño Festival",
    "piñata",
    "jalapeño",
    "café de olla",
    "Señora Núñez",
    "crème brûlée",
    "Nguyễn Bakery",
    "São Paulo",
    "Día de los Muertos",
    "façade",
    "naïve",
]
HASHTAGS = [
    "#ElmStreet",
    "#RanchoVerde",
    "#HeatAdvisory",
    "#RVCouncil",
    "#ShopLocal",
    "#ParksMakeLife",
    "#NNO",
    "#RVPD",
    "#BuildingRV",
    "#CleanAir",
    "#WaterWise",
    "#SafeStreets",
    "#FireSafety",
]


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MINUTES, AMPM = ["00", "15", "30", "45"], ["AM", "PM"]
DETERMINERS = ["the", "the", "our", "this", "a", "your", "every"]
QUANTIFIERS = ["the", "our", "some", "all the", "many", "local", "new"]
URGES = ["Please", "Remember to", "Don’t forget to", "Residents should", "We encourage you to"]
RELATIONS = ["before", "after", "during", "near", "by"]
ROAD_STATES = ["closed", "partially closed", "reduced to one lane", "open again", "repaved"]
SPANS = ["on", "starting", "until", "through"]
WH_WORDS, AUXILIARIES = ["Why", "When", "How", "Where", "Who"], ["is", "are", "will", "did", "can"]
BODIES = [
    "City Council",
    "Planning Commission",
    "Parks Commission",
    "Public Works department",
    "police department",
    "fire department",
    "library board",
]
ACTIONS = ["approved", "discussed", "postponed", "reviewed", "rejected", "continued"]
THANKS = ["Thank you", "Thanks", "Big thanks", "Gracias"]
COPULAS = ["are", "were", "will be", "have been"]
MEASURES = [
    ("Temperatures", 70, 118, "°F"),
    ("Highs", 60, 117, "°F"),
    ("Wind gusts", 15, 70, " mph"),
    ("Air quality readings", 35, 190, " AQI"),
    ("Rainfall totals", 1, 4, " inches"),
]
WHEN_PREPS = ["on", "at", "during"]
LINKING = ["is", "was", "seems", "looks", "feels"]
REACHED = ["reached", "could exceed", "may top", "stayed near"]
WHERE_WHEN = ["today", "this weekend", "in the valley", "near the foothills", "on Saturday"]


def _inflect_noun(n: str) -> str:
    if n in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[n]
    if n.endswith(("s", "x", "ch", "sh")):
        return n + "es"
    if n.endswith("y") and n[-2] not in "aeiou":
        return n[:-1] + "ies"
    return n + "s"


def _verb_forms(v: str) -> tuple[str, str, str]:
    if v.endswith("e"):
        ing = v[:-1] + "ing"
        past = v + "d"
    elif v.endswith("y") and v[-2] not in "aeiou":
        ing, past = v + "ing", v[:-1] + "ied"
    else:
        ing, past = v + "ing", v + "ed"
    past = IRREGULAR_PAST.get(v, past)
    third = (
        v + "es"
        if v.endswith(("s", "x", "ch", "sh", "o"))
        else (v[:-1] + "ies" if v.endswith("y") and v[-2] not in "aeiou" else v + "s")
    )
    return third, past, ing


def _zipf_weights(n: int, s: float = 0.95) -> list[float]:
    return list(__import__("itertools").accumulate(1.0 / (r + 1) ** s for r in range(n)))


class TextGen:
    """Seeded generator of varied civic English: posts, comments and replies."""

    def __init__(self, rng: random.Random, scale: float = 1.0):
        self.r = rng
        self.scale = scale
        r = random.Random(12345)  # vocabulary order is fixed; only sampling uses the caller's rng
        self.nouns = NOUNS[:]
        r.shuffle(self.nouns)
        self.plurals = [_inflect_noun(n) for n in self.nouns]
        self.verbs = VERBS[:]
        r.shuffle(self.verbs)
        self.vforms = {v: _verb_forms(v) for v in self.verbs}
        self.adjs = ADJECTIVES[:]
        r.shuffle(self.adjs)
        self.nw, self.vw, self.aw = (
            _zipf_weights(len(self.nouns)),
            _zipf_weights(len(self.verbs)),
            _zipf_weights(len(self.adjs)),
        )
        self.streets = [
            f"{a} {b}"
            for a in CIVIC[:30]
            for b in ("Street", "Avenue", "Boulevard", "Drive", "Lane", "Court", "Way")
        ]

    # -- atoms
    def noun(self, plural=False):
        i = self.r.choices(range(len(self.nouns)), cum_weights=self.nw)[0]
        return self.plurals[i] if plural else self.nouns[i]

    def verb(self, form=0):
        v = self.r.choices(self.verbs, cum_weights=self.vw)[0]
        return v if form == 0 else self.vforms[v][form - 1]

    def adj(self):
        return self.r.choices(self.adjs, cum_weights=self.aw)[0]

    def surname(self):
        r = self.r
        return (r.choice(SYLLABLES) + r.choice(SYLLABLES) + r.choice(SURNAME_ENDS)).capitalize()

    def person(self):
        return f"{self.r.choice(FIRST_NAMES)} {self.surname()}"

    def street(self):
        return self.r.choice(self.streets)

    def when(self):
        r = self.r
        return f"{r.choice(WEEKDAYS)} at {r.randint(1, 12)}:{r.choice(MINUTES)} {r.choice(AMPM)}"

    def np(self):
        r = self.r
        k = r.random()
        if k < 0.45:
            adj = self.adj() + " " if r.random() < 0.5 else ""
            return f"{r.choice(DETERMINERS)} {adj}{self.noun()}"
        if k < 0.7:
            return f"{r.choice(QUANTIFIERS)} {self.noun(plural=True)}"
        if k < 0.8:
            return f"the {self.noun()} on {self.street()}"
        if k < 0.88:
            return r.choice(CIVIC) + " " + self.noun()
        if k < 0.93:
            return self.person()
        return r.choice(ACCENTED)

    # -- sentences
    def sentence(self):
        r = self.r
        c = r.choice
        k = r.random()
        if k < 0.22:
            tail = f" {c(PREPS)} {self.np()}" if r.random() < 0.6 else ""
            s = f"{self.np()} {self.verb(2)} {self.np()}{tail}"
        elif k < 0.34:
            s = f"{c(URGES)} {self.verb()} {self.np()} {c(RELATIONS)} {self.np()}"
        elif k < 0.44:
            a, b = self.street().split()[0], self.street().split()[0]
            s = f"{self.street()} will be {c(ROAD_STATES)} between {a} and {b}"
            s += f" {c(SPANS)} {self.when()}"
        elif k < 0.54:
            s = f"{c(WH_WORDS)} {c(AUXILIARIES)} {self.np()} {self.verb()} {self.np()}?"
        elif k < 0.64:
            s = f"The {c(BODIES)} {c(ACTIONS)} {self.np()} {c(WHEN_PREPS)} "
            s += self.when()
        elif k < 0.72:
            s = f"{c(THANKS)} to {self.np()} for {self.verb(3)} {self.np()}"
        elif k < 0.80:
            s = f"{self.adj().capitalize()} {self.noun(plural=True)} {c(COPULAS)} "
            s += f"{self.adj()} {self.adverb()}"
        elif k < 0.88:
            what, lo, hi, unit = c(MEASURES)
            s = f"{what} {c(REACHED)} {r.randint(lo, hi)}{unit} {c(WHERE_WHEN)}"
        else:
            s = f"{self.np()} {c(LINKING)} {self.adverb()} {self.adj()}"
        s = s[0].upper() + s[1:]
        return s if s.endswith("?") else s + r.choice([".", ".", ".", "!", "..."])

    def adverb(self):
        return self.r.choice(ADVERBS)

    def text(self, lo: int, hi: int) -> str:
        target = int(self.r.randint(lo, hi) * self.scale)
        parts, n = [], 0
        while n < target:
            s = self.sentence()
            parts.append(s)
            n += len(s) + 1
        r = self.r
        if r.random() < 0.04:
            parts.insert(0, "@RanchoVerdeCA")
        if r.random() < 0.35:
            parts.append(r.choice(HASHTAGS))
        if r.random() < 0.15:
            parts.append(r.choice(EMOJI))
        if r.random() < 0.1:
            parts.append(f"Details: https://www.ranchoverde.example/{self.noun()}-{self.noun()}")
        return " ".join(parts)


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def graph_time(t: int) -> str:
    return datetime.fromtimestamp(t, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def iso_ms(t: int, ms: int = 0) -> str:
    return datetime.fromtimestamp(t, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S") + f".{ms:03d}Z"


_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def x_created_at(t: int) -> str:
    d = datetime.fromtimestamp(t, tz=UTC)
    return f"{_DAYS[d.weekday()]} {_MONTHS[d.month - 1]} {d.day:02d} {d:%H:%M:%S} +0000 {d.year}"


def graph_dumps(obj) -> bytes:
    return (
        json.dumps(obj, separators=(",", ":"), ensure_ascii=True)
        .replace("/", "\\/")
        .encode("ascii")
    )


def _xjson(o, ind: int) -> str:
    pad = "  " * ind
    if isinstance(o, dict):
        if not o:
            return "{ }"
        return (
            "{\n"
            + ",\n".join(
                f"{pad}  {json.dumps(k, ensure_ascii=False)} : {_xjson(v, ind + 1)}"
                for k, v in o.items()
            )
            + "\n"
            + pad
            + "}"
        )
    if isinstance(o, list):
        if not o:
            return "[ ]"
        return "[\n" + ",\n".join(pad + "  " + _xjson(v, ind + 1) for v in o) + "\n" + pad + "]"
    return json.dumps(o, ensure_ascii=False)


_EMPTY = __import__("re").compile(r'(?m)(?<=[^\\]" : )(\[\]|\{\})|^( *)(\[\]|\{\})')


def _empty(m) -> str:
    if m.group(1):
        return m.group(1)[0] + " " + m.group(1)[1]
    return m.group(2) + m.group(3)[0] + " " + m.group(3)[1]


def x_item(obj) -> str:
    """One array element in X's layout, fast path: json's own indenter, then X's ` : ` and `[ ]`.

    Only structural empty containers are rewritten: after a key's closing quote (inside JSON
    strings every `"` is backslash-escaped) or alone on a line (strings never contain raw newlines).
    """
    s = json.dumps(obj, indent=2, separators=(",", " : "), ensure_ascii=False)
    return "  " + _EMPTY.sub(_empty, s).replace("\n", "\n  ")


def tiny_jpeg(seed: int) -> bytes:
    """A valid 8x8 baseline JPEG with one flat colour (about 200 bytes)."""

    def seg(m, p):
        return bytes([0xFF, m]) + struct.pack(">H", len(p) + 2) + p

    dc = {0: "00", 1: "010", 2: "011", 3: "100", 4: "101", 5: "110", 6: "1110", 7: "11110"}
    bits = ""
    for c in range(3):
        v = (seed * (37 + 61 * c)) % 120 - 60  # quantised DC value in [-60, 59]
        size = abs(v).bit_length()
        bits += (
            dc[size]
            + (format(v if v > 0 else v + (1 << size) - 1, f"0{size}b") if size else "")
            + "0"
        )
    bits += "1" * (-len(bits) % 8)
    scan = bytearray()
    for i in range(0, len(bits), 8):
        b = int(bits[i : i + 8], 2)
        scan += bytes([b, 0]) if b == 0xFF else bytes([b])
    return b"".join(
        [
            b"\xff\xd8",
            seg(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
            seg(0xDB, b"\x00" + bytes([16] * 64)),
            seg(0xC0, struct.pack(">BHHB", 8, 8, 8, 3) + b"\x01\x11\x00\x02\x11\x00\x03\x11\x00"),
            seg(
                0xC4,
                b"\x00"
                + bytes([0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
                + bytes(range(12))
                + b"\x10"
                + bytes([1, 1] + [0] * 14)
                + b"\x00\x01",
            ),
            seg(0xDA, b"\x03\x01\x00\x02\x00\x03\x00\x00\x3f\x00"),
            bytes(scan),
            b"\xff\xd9",
        ]
    )


def _digits(r: random.Random, n: int) -> str:
    return str(r.randint(10 ** (n - 1), 10**n - 1))


class Clock:
    """Monotonic post times: `start` plus exponential gaps with the given mean."""

    def __init__(self, rng: random.Random, mean_gap: float, start: int = START):
        self.r, self.t, self.mean = rng, start, mean_gap

    def next(self) -> int:
        self.t += max(30, int(self.r.expovariate(1 / self.mean)))
        return self.t


def _mean_gap(
    items: int | None, target: float | None, bytes_per_item: int, years: float = 9
) -> float:
    est = items or max(1, int((target or 1) / bytes_per_item))
    return max(60.0, years * 365 * 86400 / est)  # spread the export over about `years`


class Progress:
    def __init__(self, quiet: bool):
        self.quiet, self.last = quiet, 0

    def __call__(self, n: int, size: int, force=False):
        if self.quiet:
            return
        if force or size - self.last >= 50_000_000:
            self.last = size
            print(f"  {n:,} posts, {size / 1e6:,.0f} MB", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# graph-feed
# ---------------------------------------------------------------------------------------------
COMMENT_FIELDS = "id,from,message,created_time,is_hidden,like_count,comment_count,permalink_url"
REPLY_FIELDS = "id,from,message,created_time,is_hidden,like_count,permalink_url,parent{id}"
FEED_FIELDS = (
    "id,created_time,updated_time,from,message,permalink_url,status_type,attachments{media_type,type,title,url,target,media},"
    f"comments.summary(true).limit(25){{{COMMENT_FIELDS},comments{{{REPLY_FIELDS}}}}}"
)


def gen_graph_feed(
    out: Path,
    items: int | None,
    target: float | None,
    seed: int,
    limit: int,
    scale: float,
    quiet: bool,
) -> dict:
    from urllib.parse import quote

    rng = random.Random(f"graph-feed/{seed}")
    tg = TextGen(rng, scale)
    clock = Clock(rng, _mean_gap(items, target, 1900))
    root = out / "facebook_graph_api"
    feed_dir = root / FB_PAGE_ID / "feed"
    feed_dir.mkdir(parents=True, exist_ok=True)
    base = f"{GRAPH}/{FB_PAGE_ID}/feed?fields={quote(FEED_FIELDS, safe='')}&limit={limit}"
    people: dict[str, tuple[str, str]] = {}
    stats = {"posts": 0, "top_level_comments": 0, "replies": 0, "hidden": 0, "pages": 0, "bytes": 0}
    progress = Progress(quiet)

    def commenter():
        if people and (
            rng.random() < 0.45 or len(people) >= 50000
        ):  # residents come back; the pool is capped
            return people[f"p{rng.randint(0, len(people) - 1)}"]
        key = f"p{len(people)}"
        people[key] = (tg.person(), "1000" + _digits(rng, 11))
        return people[key]

    def comment(post_id, post_t, parent=None):
        t = (parent[1] if parent else post_t) + rng.randint(60, 86400)
        cid = _digits(rng, 16)
        d = {"id": f"{post_id}_{cid}"}
        if rng.random() > 0.03:  # a few comments come back without `from`
            name, uid = commenter() if rng.random() > 0.12 else (FB_PAGE_NAME, FB_PAGE_ID)
            d["from"] = {"name": name, "id": uid}
        hidden = rng.random() < 0.02
        d.update(
            {
                "message": tg.text(40, 220),
                "created_time": graph_time(t),
                "is_hidden": hidden,
                "like_count": int(rng.expovariate(1 / 3)),
            }
        )
        stats["hidden"] += hidden
        top = parent[0] if parent else cid
        link = f"https://www.facebook.com/{FB_PAGE_ID}/posts/{post_id}/?comment_id={top}"
        if parent:
            d["permalink_url"] = link + f"&reply_comment_id={cid}"
            d["parent"] = {"id": f"{post_id}_{parent[0]}"}
        return d, cid, t

    manifest_path = root / "manifest.json"
    header = {
        "capture": "Meta Graph API responses, one raw response body per file",
        "api_version": "v19.0",
        "accounts": [{"platform": "facebook", "page_id": FB_PAGE_ID, "name": FB_PAGE_NAME}],
        "note": "synthetic benchmark capture; access_token removed",
    }
    with open(manifest_path, "w", encoding="utf-8") as mf:
        mf.write(json.dumps(header, indent=2)[:-2] + ',\n  "requests": [\n')
        total = manifest_bytes = 0
        url = base
        page_no = 0
        fetched = int(datetime(2025, 7, 3, 16, tzinfo=UTC).timestamp())
        # the feed is served newest first, so time runs backwards from about nine years after START
        clock.t = START + int(clock.mean * (items or (target or 1) / 1900))
        while True:
            if items is not None and stats["posts"] >= items:
                break
            if target is not None and total + manifest_bytes >= target:
                break
            page_no += 1
            data = []
            for _ in range(limit):
                if items is not None and stats["posts"] >= items:
                    break
                clock.t -= max(30, int(rng.expovariate(1 / clock.mean)))
                t = clock.t
                pid = str(122000000000000000 + t * 13 % 10**15 * 10 + rng.randint(0, 9))
                post_id = f"{FB_PAGE_ID}_{pid}"
                post = {
                    "id": post_id,
                    "created_time": graph_time(t),
                    "updated_time": graph_time(t),
                    "from": {"name": FB_PAGE_NAME, "id": FB_PAGE_ID},
                    "message": tg.text(180, 650),
                    "permalink_url": f"https://www.facebook.com/{FB_PAGE_ID}/posts/{pid}/",
                }
                k = rng.random()
                post["status_type"] = (
                    "added_photos"
                    if k < 0.3
                    else "shared_story"
                    if k < 0.45
                    else "mobile_status_update"
                )
                if k < 0.3:
                    ph = str(int(pid) + 7)
                    purl = f"https://www.facebook.com/photo.php?fbid={ph}&set=a.{pid[-6:]}&type=3"
                    post["attachments"] = {
                        "data": [
                            {
                                "media": {
                                    "image": {
                                        "height": 540,
                                        "src": f"https://scontent.xx.fbcdn.example/v/t39.30808-6/{ph}_n.jpg",
                                        "width": 720,
                                    }
                                },
                                "media_type": "photo",
                                "target": {"id": ph, "url": purl},
                                "type": "photo",
                                "url": purl,
                            }
                        ]
                    }
                elif k < 0.45:
                    u = f"https://www.ranchoverde.example/{tg.noun()}/{tg.noun()}"
                    post["attachments"] = {
                        "data": [
                            {
                                "media_type": "link",
                                "title": tg.sentence()[:80],
                                "type": "share",
                                "target": {"url": u},
                                "url": u,
                            }
                        ]
                    }
                n_top = rng.choices([0, 1, 2, 3, 4, 6], weights=[30, 40, 17, 7, 4, 2])[
                    0
                ]  # about one thread per post
                if n_top:
                    cdata, last = [], t
                    for _ in range(n_top):
                        c, cid, ct = comment(pid, t)
                        n_rep = rng.choice([0, 0, 0, 1, 1, 2])
                        c["comment_count"] = n_rep
                        c["permalink_url"] = (
                            f"https://www.facebook.com/{FB_PAGE_ID}/posts/{pid}/?comment_id={cid}"
                        )
                        if n_rep:
                            reps = []
                            for _ in range(n_rep):
                                rd, _, rt = comment(pid, t, (cid, ct))
                                reps.append(rd)
                                last = max(last, rt)
                            c["comments"] = {
                                "data": reps,
                                "paging": {
                                    "cursors": {
                                        "before": "QVFIU" + _digits(rng, 20),
                                        "after": "QVFIU" + _digits(rng, 20),
                                    }
                                },
                            }
                            stats["replies"] += n_rep
                        last = max(last, ct)
                        cdata.append(c)
                    stats["top_level_comments"] += n_top
                    post["updated_time"] = graph_time(last)
                    post["comments"] = {
                        "data": cdata,
                        "paging": {
                            "cursors": {
                                "before": "QVFIU" + _digits(rng, 20),
                                "after": "QVFIU" + _digits(rng, 20),
                            }
                        },
                        "summary": {
                            "order": "chronological",
                            "total_count": n_top,
                            "can_comment": True,
                        },
                    }
                data.append(post)
                stats["posts"] += 1
            if not data:
                break
            more = items is None or stats["posts"] < items
            after = "QVFIU" + _digits(rng, 30)
            paging = {"cursors": {"before": "QVFIU" + _digits(rng, 30), "after": after}}
            next_url = f"{base}&after={after}" if more else None
            if next_url:
                paging["next"] = next_url
            body = graph_dumps({"data": data, "paging": paging})
            rel = f"{FB_PAGE_ID}/feed/page-{page_no:06d}.json"
            (root / rel).write_bytes(body)
            total += len(body)
            fetched += 2
            entry = json.dumps(
                {
                    "file": rel,
                    "method": "GET",
                    "url": url,
                    "status": 200,
                    "content_type": "application/json; charset=UTF-8",
                    "fetched_at": datetime.fromtimestamp(fetched, tz=UTC).strftime(
                        "%Y-%m-%dT%H:%M:%SZ"
                    ),
                }
            )
            mf.write(("" if page_no == 1 else ",\n") + "    " + entry)
            manifest_bytes += len(entry) + 6
            url = next_url
            progress(stats["posts"], total)
            if target is not None and total + manifest_bytes >= target:
                break
        if (
            page_no and url
        ):  # the run stopped on the size target: the last page must not promise a next page
            last = root / f"{FB_PAGE_ID}/feed/page-{page_no:06d}.json"
            doc = json.loads(last.read_bytes())
            doc["paging"].pop("next", None)
            body = graph_dumps(doc)
            total += len(body) - last.stat().st_size
            last.write_bytes(body)
        mf.write("\n  ]\n}\n")
    stats["pages"] = page_no
    stats["bytes"] = total + manifest_path.stat().st_size
    progress(stats["posts"], total, force=True)
    return stats


# ---------------------------------------------------------------------------------------------
# x-archive
# ---------------------------------------------------------------------------------------------
SOURCES = [
    '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
    '<a href="https://www.hootsuite.com" rel="nofollow">Hootsuite Inc.</a>',
    '<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>',
]


def _snowflake(t: int, rng: random.Random) -> tuple[str, int]:
    ms = rng.randint(0, 999)
    return str(((t * 1000 + ms - TWITTER_EPOCH_MS) << 22) | rng.getrandbits(22)), ms


def gen_x_archive(
    out: Path,
    items: int | None,
    target: float | None,
    seed: int,
    scale: float,
    part_bytes: int,
    compression: str,
    quiet: bool,
) -> dict:
    rng = random.Random(f"x-archive/{seed}")
    tg = TextGen(rng, scale)
    per_item = 2500 if compression == "stored" else 700
    clock = Clock(rng, _mean_gap(items, target, per_item, years=3.2), start=X_START)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "x_archive.zip"
    with open(path, "wb") as fh:
        ctype = zipfile.ZIP_STORED if compression == "stored" else zipfile.ZIP_DEFLATED
        zf = zipfile.ZipFile(fh, "w", compression=ctype, allowZip64=True)
        progress = Progress(quiet)
        stats = {
            "posts": 0,
            "tweets": 0,
            "replies": 0,
            "media_files": 0,
            "note_tweets": 0,
            "deleted": 0,
            "parts": 0,
        }
        residents = [
            (
                f"{tg.r.choice(FIRST_NAMES).lower()}_{tg.surname().lower()}",
                str(rng.randint(10**8, 10**18)),
            )
            for _ in range(5000)
        ]

        def zinfo(name):
            zi = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            zi.create_system, zi.external_attr, zi.compress_type = 3, 0o100644 << 16, ctype
            return zi

        def tweet(t, text, reply=None, media=None):
            tid, ms = _snowflake(t, rng)
            ents = {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []}
            start = 0
            if reply:
                handle, uid, _their_id = reply
                text = f"@{handle} {text}"
                ents["user_mentions"].append(
                    {
                        "name": handle.replace("_", " ").title(),
                        "screen_name": handle,
                        "indices": ["0", str(len(handle) + 1)],
                        "id_str": uid,
                        "id": uid,
                    }
                )
                start = len(handle) + 2
            for tag in HASHTAGS:
                i = text.find(tag)
                if i >= 0:
                    ents["hashtags"].append(
                        {"text": tag[1:], "indices": [str(i), str(i + len(tag))]}
                    )
            body_len = len(text)
            tw = {
                "edit_info": {
                    "initial": {
                        "editTweetIds": [tid],
                        "editableUntil": iso_ms(t + 3600, ms),
                        "editsRemaining": "5",
                        "isEditEligible": True,
                    }
                },
                "retweeted": False,
                "source": rng.choice(SOURCES),
                "entities": ents,
            }
            mlist = []
            if media:
                tco = "https://t.co/" + "".join(
                    rng.choice("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
                    for _ in range(10)
                )
                text += " " + tco
                murl = f"http://pbs.twimg.com/media/{media}.jpg"
                mlist = [
                    {
                        "expanded_url": f"https://twitter.com/{X_HANDLE}/status/{tid}/photo/1",
                        "indices": [str(body_len + 1), str(len(text))],
                        "url": tco,
                        "media_url": murl,
                        "id_str": str(int(tid) - 4096),
                        "id": str(int(tid) - 4096),
                        "media_url_https": murl.replace("http:", "https:"),
                        "sizes": {
                            "thumb": {"w": "150", "h": "150", "resize": "crop"},
                            "large": {"w": "2048", "h": "1536", "resize": "fit"},
                        },
                        "type": "photo",
                        "display_url": "pic.twitter.com/" + tco[-10:],
                    }
                ]
                ents["media"] = mlist
            tw["display_text_range"] = [str(start), str(body_len)]
            tw["favorite_count"] = str(int(rng.expovariate(1 / 8)))
            if reply:
                tw["in_reply_to_status_id_str"] = reply[2]
            tw["id_str"] = tid
            if reply:
                tw["in_reply_to_user_id"] = reply[1]
            tw["truncated"] = False
            tw["retweet_count"] = str(int(rng.expovariate(1 / 3)))
            tw["id"] = tid
            if reply:
                tw["in_reply_to_status_id"] = reply[2]
            tw["created_at"] = x_created_at(t)
            tw["favorited"] = False
            tw["full_text"] = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            tw["lang"] = "en"
            if reply:
                tw["in_reply_to_screen_name"] = reply[0]
                tw["in_reply_to_user_id_str"] = reply[1]
            if mlist:
                tw["extended_entities"] = {"media": mlist}
            return tid, ms, {"tweet": tw}

        part_files: list[tuple[str, str, int]] = []
        notes, deleted = [], []
        w = None
        written = 0
        count_in_part = 0

        def open_part():
            nonlocal w, written, count_in_part
            n = len(part_files)
            name = "data/tweets.js" if n == 0 else f"data/tweets-part{n}.js"
            w = zf.open(zinfo(name), "w", force_zip64=True)
            w.write(f"window.YTD.tweets.part{n} = [\n".encode())
            part_files.append((name, f"YTD.tweets.part{n}", 0))
            written = count_in_part = 0

        pending_media: list[tuple[str, bytes]] = []  # zipfile allows one open entry at a time

        def close_part():
            nonlocal w
            w.write(b"\n]")
            w.close()
            name, glob, _ = part_files[-1]
            part_files[-1] = (name, glob, count_in_part)
            for mname, mdata in pending_media:
                zf.writestr(zinfo(mname), mdata)
            pending_media.clear()

        def emit(item):
            nonlocal written, count_in_part
            b = x_item(item).encode("utf-8")
            if count_in_part and written + len(b) > part_bytes:
                close_part()
                open_part()
            w.write((b",\n" if count_in_part else b"") + b)
            written += len(b) + 2
            count_in_part += 1
            stats["tweets"] += 1

        open_part()
        media_blob = [tiny_jpeg(i) for i in range(8)]
        while True:
            if items is not None and stats["posts"] >= items:
                break
            if target is not None and fh.tell() >= target:
                break
            t = clock.next()
            text = tg.text(120, 270)
            if rng.random() < 0.01:  # long post: truncated tweet + note-tweet.js entry
                full = tg.text(600, 1800)
                text = full[:270].rsplit(" ", 1)[0] + "\u2026"
            else:
                full = None
            media = None
            if rng.random() < 0.04:
                media = "".join(
                    rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
                    for _ in range(15)
                )
            tid, ms, item = tweet(t, text, media=media)
            if media:
                pending_media.append(
                    (f"data/tweets_media/{tid}-{media}.jpg", media_blob[stats["media_files"] % 8])
                )
                stats["media_files"] += 1
            if full:
                nid, _ = _snowflake(t, rng)
                notes.append(
                    {
                        "noteTweet": {
                            "noteTweetId": nid,
                            "createdAt": iso_ms(t, ms),
                            "updatedAt": iso_ms(t, ms),
                            "lifecycle": {"value": "0", "name": "Created"},
                            "core": {
                                "styletags": [],
                                "urls": [],
                                "text": full,
                                "mentions": [],
                                "cashtags": [],
                                "hashtags": [],
                            },
                        }
                    }
                )
                stats["note_tweets"] += 1
            if rng.random() < 0.002 and len(deleted) < 10000:
                deleted.append(item)
                stats["deleted"] += 1
            else:
                emit(item)
            stats["posts"] += 1
            for _ in range(
                rng.choice([0, 0, 1, 1, 1, 2])
            ):  # the account's replies to residents in the thread
                handle, uid = rng.choice(residents)
                their_id, _ = _snowflake(t + rng.randint(60, 7200), rng)
                rt = t + rng.randint(7200, 86400)
                emit(tweet(rt, tg.text(40, 200), reply=(handle, uid, their_id))[2])
                stats["replies"] += 1
            progress(stats["posts"], fh.tell())
        close_part()

        def js(name, glob, arr):
            with zf.open(zinfo(name), "w", force_zip64=True) as f:
                f.write(f"window.{glob} = ".encode())
                f.write(_xjson(arr, 0).encode("utf-8"))

        js("data/note-tweet.js", "YTD.note_tweet.part0", notes)
        js("data/deleted-tweets.js", "YTD.deleted_tweets.part0", deleted)
        followers = [
            {
                "follower": {
                    "accountId": uid,
                    "userLink": f"https://twitter.com/intent/user?user_id={uid}",
                }
            }
            for _, uid in residents[: max(1, min(len(residents), stats["posts"] // 20))]
        ]
        js("data/follower.js", "YTD.follower.part0", followers)
        js(
            "data/account.js",
            "YTD.account.part0",
            [
                {
                    "account": {
                        "email": "socialmedia@ranchoverde.example",
                        "createdVia": "web",
                        "username": X_HANDLE,
                        "accountId": X_USER_ID,
                        "createdAt": "2022-03-05T06:47:17.823Z",
                        "accountDisplayName": X_NAME,
                    }
                }
            ],
        )
        manifest = {
            "userInfo": {"accountId": X_USER_ID, "userName": X_HANDLE, "displayName": X_NAME},
            "archiveInfo": {
                "sizeBytes": str(fh.tell()),
                "generationDate": "2025-07-01T06:46:38.082Z",
                "isPartialArchive": False,
                "maxPartSizeBytes": "53687091200",
            },
            "readmeInfo": {
                "fileName": "data/README.txt",
                "directory": "data/",
                "name": "README.txt",
            },
            "dataTypes": {
                "account": {
                    "files": [
                        {
                            "fileName": "data/account.js",
                            "globalName": "YTD.account.part0",
                            "count": "1",
                        }
                    ]
                },
                "deletedTweets": {
                    "mediaDirectory": "data/deleted_tweets_media",
                    "files": [
                        {
                            "fileName": "data/deleted-tweets.js",
                            "globalName": "YTD.deleted_tweets.part0",
                            "count": str(len(deleted)),
                        }
                    ],
                },
                "follower": {
                    "files": [
                        {
                            "fileName": "data/follower.js",
                            "globalName": "YTD.follower.part0",
                            "count": str(len(followers)),
                        }
                    ]
                },
                "noteTweet": {
                    "files": [
                        {
                            "fileName": "data/note-tweet.js",
                            "globalName": "YTD.note_tweet.part0",
                            "count": str(len(notes)),
                        }
                    ]
                },
                "tweets": {
                    "mediaDirectory": "data/tweets_media",
                    "files": [
                        {"fileName": n, "globalName": g, "count": str(c)} for n, g, c in part_files
                    ],
                },
            },
        }
        zf.writestr(zinfo("data/manifest.js"), f"window.__THAR_CONFIG = {_xjson(manifest, 0)}")
        zf.writestr(zinfo("data/README.txt"), "Twitter Archive\n\nSynthetic benchmark archive.\n")
        zf.close()
    stats["parts"] = len(part_files)
    stats["bytes"] = path.stat().st_size
    progress(stats["posts"], stats["bytes"], force=True)
    return stats


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Generate large synthetic exports for benchmarks.")
    ap.add_argument(
        "--items",
        type=int,
        default=None,
        help="number of posts (default 1000 unless --target-bytes is given)",
    )
    ap.add_argument("--out", required=True, type=Path, help="output directory (created if missing)")
    ap.add_argument("--format", choices=["graph-feed", "x-archive"], default="graph-feed")
    ap.add_argument(
        "--target-bytes",
        type=float,
        default=None,
        help="keep generating until the output reaches about this size",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=25, help="graph-feed: posts per response page")
    ap.add_argument(
        "--text-scale", type=float, default=1.0, help="multiply every text length (pads the export)"
    )
    ap.add_argument(
        "--part-bytes",
        type=int,
        default=32 << 20,
        help="x-archive: split tweets.js into parts of about this size",
    )
    ap.add_argument(
        "--compression",
        choices=["deflate", "stored"],
        default="deflate",
        help="x-archive zip compression",
    )
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    items = a.items if a.items is not None else (None if a.target_bytes else 1000)
    if a.target_bytes:
        items = None
    if a.format == "graph-feed":
        stats = gen_graph_feed(a.out, items, a.target_bytes, a.seed, a.limit, a.text_scale, a.quiet)
    else:
        stats = gen_x_archive(
            a.out, items, a.target_bytes, a.seed, a.text_scale, a.part_bytes, a.compression, a.quiet
        )
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
