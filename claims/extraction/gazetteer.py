"""Small word lists behind the rule-based entity finder (no models, no downloads)."""

from __future__ import annotations

COUNTRIES = """Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria
Azerbaijan Bahamas Bahrain Bangladesh Barbados Belarus Belgium Belize Benin Bhutan Bolivia
Bosnia Botswana Brazil Brunei Bulgaria Burkina_Faso Burundi Cambodia Cameroon Canada
Chad Chile China Colombia Congo Costa_Rica Croatia Cuba Cyprus Czechia Czech_Republic Denmark
Djibouti Dominica Dominican_Republic Ecuador Egypt El_Salvador Eritrea Estonia Eswatini
Ethiopia Fiji Finland France Gabon Gambia Georgia Germany Ghana Greece Grenada Guatemala
Guinea Guyana Haiti Honduras Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy
Jamaica Japan Jordan Kazakhstan Kenya Kosovo Kuwait Kyrgyzstan Laos Latvia Lebanon Lesotho
Liberia Libya Liechtenstein Lithuania Luxembourg Madagascar Malawi Malaysia Maldives Mali
Malta Mauritania Mauritius Mexico Moldova Monaco Mongolia Montenegro Morocco Mozambique
Myanmar Burma Namibia Nepal Netherlands Holland New_Zealand Nicaragua Niger Nigeria
North_Korea North_Macedonia Norway Oman Pakistan Palestine Gaza West_Bank Panama
Papua_New_Guinea Paraguay Peru Philippines Poland Portugal Qatar Romania Russia Rwanda
Samoa San_Marino Saudi_Arabia Senegal Serbia Seychelles Sierra_Leone Singapore Slovakia
Slovenia Somalia South_Africa South_Korea South_Sudan Spain Sri_Lanka Sudan Suriname Sweden
Switzerland Syria Taiwan Tajikistan Tanzania Thailand Togo Tonga Trinidad Tunisia Turkey
Turkiye Türkiye Turkmenistan Uganda Ukraine United_Arab_Emirates UAE United_Kingdom UK U.K.
Britain Great_Britain England Scotland Wales Northern_Ireland United_States US U.S. USA
U.S.A. America Uruguay Uzbekistan Vanuatu Vatican Venezuela Vietnam Yemen Zambia Zimbabwe
Europe Africa Asia Antarctica Australasia Middle_East Latin_America Scandinavia Balkans
Crimea Donbas Kashmir Tibet Hong_Kong Macau Greenland Puerto_Rico Catalonia"""

US_STATES = """Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida
Georgia Hawaii Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland
Massachusetts Michigan Minnesota Mississippi Missouri Montana Nebraska Nevada New_Hampshire
New_Jersey New_Mexico New_York North_Carolina North_Dakota Ohio Oklahoma Oregon Pennsylvania
Rhode_Island South_Carolina South_Dakota Tennessee Texas Utah Vermont Virginia Washington
West_Virginia Wisconsin Wyoming Washington_DC D.C."""

CITIES = """London Manchester Birmingham Liverpool Leeds Glasgow Edinburgh Cardiff Belfast
Bristol Oxford Cambridge Dublin Paris Berlin Madrid Rome Milan Brussels Amsterdam Vienna
Geneva Zurich Stockholm Oslo Copenhagen Helsinki Warsaw Prague Budapest Athens Lisbon Kyiv
Kiev Moscow Istanbul Ankara Jerusalem Tel_Aviv Beirut Damascus Baghdad Tehran Riyadh Dubai
Abu_Dhabi Doha Cairo Lagos Nairobi Johannesburg Cape_Town Delhi New_Delhi Mumbai Karachi
Islamabad Kabul Dhaka Beijing Shanghai Hong_Kong Tokyo Seoul Pyongyang Taipei Bangkok
Singapore Jakarta Manila Sydney Melbourne Canberra Auckland Toronto Montreal Vancouver
Ottawa Mexico_City Havana Caracas Bogota Lima Santiago Buenos_Aires Rio_de_Janeiro
Sao_Paulo Brasilia New_York_City Los_Angeles Chicago Houston Phoenix Philadelphia
San_Antonio San_Diego Dallas San_Francisco Seattle Boston Miami Atlanta Detroit Denver
Las_Vegas Baltimore Pittsburgh Cleveland Milwaukee Minneapolis Nashville Austin
New_Orleans Charlotte Raleigh Richmond Tampa Orlando Portland Sacramento Washington
Westminster Brussels Strasbourg The_Hague Gdansk Minsk Tbilisi Yerevan Baku Kharkiv
Odesa Odessa Mariupol Bakhmut Gaza_City Rafah Khan_Younis Ramallah"""

ORG_KEYWORDS = frozenset(
    """Party Parties Commission Campaign Department Ministry Council Committee University
    College Institute Institution Association Agency Bank Corporation Corp Inc Ltd LLC plc
    PLC Company Co Group Foundation Union Office Court Parliament Congress Senate Assembly
    Service Services Police Army Navy Force Forces Board Authority Federation Organisation
    Organization Trust Fund Network News Times Post Journal Telegraph Guardian Herald
    Tribune Convention Coalition Alliance Movement Front League Society Club Centre Center
    Laboratory Laboratories Hospital School Academy Museum Church Administration Bureau
    Secretariat Cabinet Treasury Exchange Reserve Airlines Airways Media Press Television
    Radio Studios Records Systems Technologies Holdings Partners Capital Industries
    Unit Agency Inquiry Tribunal Regiment Brigade Command Guard Agency Caucus""".split()
)

KNOWN_ORGS = frozenset(
    """Labour Conservatives Conservative Tories Tory Democrats Republicans GOP Congress
    Parliament Senate Commons Lords Kremlin Pentagon Whitehall Treasury Downing_Street
    White_House Capitol_Hill Number_10 NATO Nato UN EU WHO IMF OPEC OECD FBI CIA NSA DOJ
    FEC SEC IRS ICE NHS BBC ITV CNN Fox_News Sky_News Reuters AP AFP Bloomberg LinkedIn
    Facebook Twitter Instagram TikTok YouTube Google Apple Amazon Microsoft Meta Tesla
    SpaceX OpenAI Netflix Hamas Hezbollah Taliban Ofcom Ofsted Unesco UNESCO Unicef UNICEF
    Interpol Europol Frontex SNP Reform_UK Greens Lib_Dems Liberal_Democrats Plaid_Cymru
    Sinn_Fein DUP Supreme_Court High_Court Home_Office Foreign_Office Met Scotland_Yard
    Fed Federal_Reserve Bank_of_England ECB Eurostat
    Nasdaq NASDAQ NYSE FTSE Dow_Jones Wikipedia Telegram WhatsApp Uber Airbnb Boeing Airbus Pfizer Moderna AstraZeneca""".split()
)

DEMONYMS = frozenset(
    """American British English Scottish Welsh Irish French German Italian Spanish Russian
    Ukrainian Chinese Japanese Korean Indian Pakistani Israeli Palestinian Iranian Iraqi
    Syrian Turkish Saudi Egyptian Canadian Mexican Brazilian Australian European African
    Asian Arab Polish Dutch Belgian Swedish Norwegian Danish Finnish Greek Portuguese Swiss
    Austrian Hungarian Czech Romanian Bulgarian Serbian Croatian Afghan Nigerian Kenyan
    Democratic Republican Democrat Conservative Liberal Labour Tory Western Eastern Northern
    Southern Soviet Catholic Muslim Jewish Christian Hindu Sikh Buddhist Latino Hispanic""".split()
)
# "Labour", "Conservative", "Tory" are both; as a single word they are the party.
DEMONYMS = DEMONYMS - {"Labour", "Conservative", "Tory", "Conservatives"}

HONORIFICS = {
    "Mr": "m",
    "Mr.": "m",
    "Mrs": "f",
    "Mrs.": "f",
    "Ms": "f",
    "Ms.": "f",
    "Miss": "f",
    "Mx": None,
    "Mx.": None,
    "Dr": None,
    "Dr.": None,
    "Sir": "m",
    "Dame": "f",
    "Lord": "m",
    "Lady": "f",
    "Prof": None,
    "Prof.": None,
    "Professor": None,
    "Rev": None,
    "Rev.": None,
    "Baroness": "f",
    "Baron": "m",
    "Cllr": None,
}

# Job titles that precede a name: "Prime Minister Keir Starmer", "Environment
# Secretary Steve Reed". Everything up to the last of these is dropped from the name.
TITLES = frozenset(
    """President Minister Ministers Secretary Senator Sen Sen. Governor Gov Gov.
    Chancellor Chairman Chairwoman Chair Chief Judge Justice General Gen Gen. Mayor Speaker
    Leader Representative Rep Rep. Congressman Congresswoman Councillor Ambassador
    Commissioner Director Executive CEO Officer Attorney Sheriff King Queen Prince Princess
    Pope Archbishop Bishop Cardinal Sheikh Emir Colonel Col Captain Capt Lieutenant Sergeant
    Admiral Commander Inspector Detective Constable Superintendent Spokesman Spokeswoman
    Spokesperson Counsel Adviser Advisor Envoy Economist Editor Correspondent Founder
    Candidate Nominee Premier Lawyer Coach Manager Chairperson""".split()
)
# Words that start sentences or are capitalised for grammar, not because they name things.
STOP_CAPS = frozenset(
    """The A An And But Or Nor So Yet For If When While Whereas After Before Since Until
    Although Though Because As At In On Of To By With From Into Onto Over Under About Above
    Below Between Among Through During Without Within Across Against Along Around Behind
    Beyond Despite Except Inside Outside Near Per Via He She It They We You I Me Him Her Us
    Them His Hers Its Their Theirs Our Ours My Mine Your Yours This That These Those There
    Here What Which Who Whom Whose Why How Where Whatever Whoever All Any Both Each Every
    Few Many Most Much Several Some Such No Not None Nothing One Other Another Only Also
    Even Just Still Then Now Later Earlier Meanwhile However Moreover Furthermore Indeed
    Instead Thus Therefore Yes Asked According Reports Officials Critics Experts Analysts
    Sources Police Is Are Was Were Be Been Being Do Does Did Have Has Had Will Would Can
    Could Should Shall May Might Must Let Please Thank Thanks Last Next New Recent
    Recently Today Yesterday Tomorrow Tonight Speaking Writing Addressing Asked Responding
    Mr Mrs Ms Dr Sir Rather Whether Why Unlike Like Amid Following Including Regarding
    Again Already Always Never Often Sometimes Perhaps Maybe Certainly Clearly
    Obviously Apparently Reportedly Allegedly Separately Additionally Finally First
    Second Third Elsewhere Overall Currently Previously Initially Eventually""".split()
) - set(HONORIFICS)

MONTHS = frozenset(
    """January February March April May June July August September October November
    December""".split()
)
MONTH_ABBREVIATIONS = frozenset("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split())
WEEKDAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())

EVENT_WORDS = frozenset(
    """War Wars Revolution Olympics Games Cup Championship Festival Summit Election
    Elections Crisis Pandemic Massacre Battle Uprising Spring Accords Accord Agreement
    Treaty Act Bill Brexit Holocaust Day Christmas Easter Ramadan Eid Hanukkah
    Thanksgiving Halloween""".split()
)


def _expand(words: str) -> frozenset[str]:
    return frozenset(w.replace("_", " ") for w in words.split())


GPE = _expand(COUNTRIES) | _expand(US_STATES) | _expand(CITIES)
ORGS = frozenset(w.replace("_", " ") for w in KNOWN_ORGS)
