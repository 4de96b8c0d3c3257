"""The word lists shared by the scorer's features, claim typing, speakers and entities.

One place for each list: the check-worthiness features (``model``), claim types and
speakers (``understanding``), entities (``entities``) and numbers (``quantities``) read
them from here. Place and organisation names live in ``gazetteer``.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs that attribute a statement to someone: "X said", "..., told Y".
REPORTING_VERBS = _words(
    """said says say told tells wrote writes added adds claimed claims argued argues
    stated states accused accuses alleged alleges insisted insists warned warns
    announced announces denied denies tweeted posted explained noted suggested
    reported reports revealed admitted confirmed declared maintained replied
    responded acknowledged stressed urged predicted estimated conceded complained
    demanded objected contended asserted testified"""
)
# Words that mark evidence rather than a speaker ("according to", "the data shows").
EVIDENCE_WORDS = _words("according found shows showed estimates disclosed")

# Law, courts, regulation and official investigation.
LEGAL_WORDS = _words(
    """complaint complaints lawsuit lawsuits sued sue sues suing court courts judge judges
    ruled ruling rulings legislation legislative legislature law laws bill bills illegal
    illegally unlawful unlawfully legal legally investigation investigations investigated
    investigating investigate inquiry inquiries probe probed impeach impeached impeachment
    charged charges indicted indictment indictments convicted conviction convictions
    sentenced prosecuted prosecutor prosecutors prosecution fined banned regulation
    regulations regulator regulators constitution constitutional unconstitutional statute
    statutes treaty treaties rules breach breached violated violation violations
    enforcement tribunal verdict acquitted appeal appealed warrant subpoena subpoenaed
    liable liability guilty pleaded plea settlement commission"""
)
# Crime and policing: checkable events, but not "law" as a claim type.
CRIME_WORDS = _words(
    """police arrested arrest jailed prison fraud bribery corruption laundering trafficking
    smuggling allegation allegations allegedly attorney attorneys lawyers jury"""
)

# --- Cues of attributed opinion and rhetoric (check-worthiness features) -----------
# The model learns their weights; these only say which words belong together.

# Evaluative words: a judgement, not a fact ("the policy was a disaster").
EVALUATIVE_WORDS = _words(
    """disaster disastrous disgrace disgraceful outrageous shameful shocking ridiculous
    absurd appalling terrible horrible awful dreadful brilliant fantastic amazing incredible
    unacceptable scandalous pathetic reckless dangerous betrayal insult insulting
    embarrassing extraordinary historic devastating catastrophic tragic heartbreaking
    crucial vital remarkable wonderful excellent disappointing disappointed unfair fair
    wrong right nonsense chaos chaotic mess shambles farce cruel callous heartless
    irresponsible incompetent failure failed failing sham hypocrisy hypocritical
    unprecedented stunning worrying alarming troubling concerning welcome welcomed"""
)
# Verbs of rhetoric that frame a view: "slammed", "hailed", "vowed", "called it".
RHETORIC_VERBS = _words(
    """slammed slams slam blasted blasts hailed hails praised praises vowed vows vow
    pledged pledges pledge promised promises promise branded brands dubbed described
    describes lambasted attacked attacks criticised criticized criticises criticizes
    condemned condemns welcomed welcomes applauded applauds mocked ridiculed decried
    denounced denounces labelled labeled rejected rejects dismissed dismisses lashed
    hit hits rounded savaged"""
)
# Verbs that name a view when followed by an object and a label: "called it a scandal".
NAMING_VERBS = _words("called calls calling branded dubbed labelled labeled described describing")
# Hedges and speculation: "perhaps", "appears to", "likely".
HEDGE_WORDS = _words(
    """perhaps maybe possibly probably likely unlikely seems seem seemed appears appear
    appeared apparently arguably potentially reportedly supposedly presumably
    speculation speculate speculated suspect suspects wonder wondered"""
)
# Demands and calls to act: "must", "urged", "called for".
DEMAND_WORDS = _words(
    """must should urge urged urges urging demand demands demanded demanding ought
    needs need insist insisted please let's calling appeal appealed"""
)
# Procedure of courts and complaints: what a filing asks for, when it is heard.
PROCEDURAL_WORDS = _words(
    """filed filing filings file motion motions hearing hearings petition petitions
    plaintiff plaintiffs defendant defendants docket seeks seeking sought adjourned
    adjournment trial trials case cases counsel scheduled pending proceedings testimony
    complaint complaints lawsuit lawsuits alleges alleged alleging claims judge
    court courts appeal appeals jury damages injunction"""
)
# Negation, kept as a feature and never stop-listed ("n't" is split off as "not").
NEGATIONS = _words("not no never nobody nothing none neither nor without cannot")
# Feelings and personal states.
FEELING_WORDS = _words(
    """feel feels felt feeling hope hopes hoped happy sad proud angry worried concerned
    excited love loved hate hated afraid scared fear fears glad grateful thrilled upset
    frustrated delighted"""
)
INTENSIFIERS = _words(
    """very really so extremely incredibly truly absolutely totally deeply utterly
    completely hugely massively"""
)
# A sentence starting with one of these leans on the sentence before for its subject.
PRONOUN_SUBJECTS = _words(
    """it he she they this that these those its his her their him them there such"""
)

MONTHS = _words(
    "January February March April May June July August September October November December"
)
WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")

# Common nouns that name a kind of source, not a person: "officials said", "reports
# suggest", "the department announced". Never a speaker on their own.
GENERIC_SOURCE_NOUNS = _words(
    """team campaign spokesman spokeswoman spokesperson statement official officials
    report reports study studies police government ministry party department lawyer
    lawyers sources source aides aide allies critics experts analysts researchers
    scientists data figures survey poll polls authorities prosecutors investigators
    documents filing filings post letter website court judge commission committee
    council agency company firm group organisers organizers residents witnesses feds
    people users fans voters officers staff members workers"""
)

# The last word of a named place: "Broward County", "Hart Island", "Hurlingham Park".
PLACE_WORDS = _words(
    """County Counties Street Road Avenue Square Bridge Island Islands River Lake
    Mountain Mountains Valley Region Province District Coast Beach Bay Airport Station
    Village Heights Hills Forest Canyon Peninsula Harbour Harbor Borough Township"""
)
# Capitalised words that make a run a thing, not a person's name: "National
# Insurance", "Dow Jones Industrial Average", "Universal Credit", "Nasdaq Composite".
NON_NAME_WORDS = _words(
    """Insurance Average Index Industrial Composite Credit Tax Taxes Allowance Benefit
    Benefits Scheme Programme Program Plan Fund Act Bill Budget Pension Pensions Care
    Health Healthcare Security Income Wage Rate Rates Market Markets Stock Stocks
    Exchange Futures Bonds Dollar Pound Euro Crude Oil Brent Prices
    Centre Center Collection Resort Hotel Stadium Arena Award Awards Prize Tour Series
    Show Festival Report Review Survey Census Strategy Policy Agreement Protocol
    Technology Technologies Recording Magnetic Engine Model Edition Version Vaccine Virus
    Disease Syndrome Crew Lottery Operator System Systems Software Platform"""
)
# "West Texas", "North London", "South East Asia": a compass word before a place.
COMPASS_WORDS = _words(
    """North South East West Northern Southern Eastern Western Central Upper Lower Greater
    Inner Outer North-East North-West South-East South-West Northeast Northwest Southeast
    Southwest Mid Midwest"""
)

# Entity codes are kept in stored data; people see these labels.
ENTITY_DISPLAY = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "NORP": "group",
    "DATE": "date",
    "TIME": "time",
    "MONEY": "money",
    "PERCENT": "percentage",
    "EVENT": "event",
    "LAW": "law",
    "FAC": "building",
    "PRODUCT": "product",
    "WORK_OF_ART": "title",
    "QUANTITY": "quantity",
}

# --- Numbers (``quantities``) ------------------------------------------------

SMALL_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
}
MULTIPLIERS = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "bn": 1_000_000_000,
    "tn": 1_000_000_000_000,
    "m": 1_000_000,
    "k": 1_000,
}
# "dozens of", "hundreds of", "tens of thousands of": at least this many.
VAGUE_PLURALS = {
    "dozens": 12,
    "tens": 10,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1_000,
    "millions": 1_000_000,
    "billions": 1_000_000_000,
}
# "a third", "two-thirds", "three quarters": a share, in percent.
FRACTIONS = {
    "half": 50.0,
    "halves": 50.0,
    "third": 100 / 3,
    "thirds": 100 / 3,
    "quarter": 25.0,
    "quarters": 25.0,
    "fifth": 20.0,
    "fifths": 20.0,
    "tenth": 10.0,
    "tenths": 10.0,
}
# Units written as words after a number, normalised: "5 per cent" -> percent.
UNIT_ALIASES = {
    "%": "percent",
    "per cent": "percent",
    "percent": "percent",
    "pc": "percent",
    "percentage points": "percentage points",
    "percentage point": "percentage points",
    "points": "points",
    "basis points": "basis points",
}
