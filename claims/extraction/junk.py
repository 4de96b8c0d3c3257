"""Page junk that survives the main-content step, judged one text block at a time.

trafilatura keeps some chrome that sits inside the article's container: promos
("Subscribe now to our e-edition", "Follow us on Twitter"), label lines ("Release
Date:", "Category : Press Releases"), stray dates, image captions, a bare site
name, related-story lists under their heading ("Related stories", "Look at other
dictionaries:"), lists of links, "About <company>" boxes and trailing teaser
headlines. The text builder (``html.py``) hands each block (the text between two block
breaks) to ``PageJunk.judge`` as it finishes, and takes it back out of the text when
told to. Before trafilatura runs, ``drop_unseen`` removes what the page hides or shows
only as a pop-up (``content.py`` calls it on the tree it parsed).

Rules were chosen on half A of the real pages (``tests/realpages.halves``);
``tests/test_page_junk.py`` checks each on those pages, ``bench/bench_real_pages.py``
reports keep/drop on both halves and ``bench/bench_junk_share.py`` the share of flagged
sentences that are still chrome (labels: ``bench/data/junk/``).
"""

from __future__ import annotations

import re

from lxml import etree

__all__ = ["ABOUT", "DROP", "KEEP", "LINK_ITEM", "PageJunk", "drop_unseen", "is_teaser"]

KEEP, DROP, ABOUT, LINK_ITEM = "keep", "drop", "about", "link-item"

# Promos and calls to action: only in short blocks, where they are the whole point.
_PROMO_MAX = 300
_PROMO = re.compile(
    r"""\b(?:subscribe|subscribing)\s+(?:now|today|here|to\s+(?:our|the))\b
    | \bsign(?:ing)?[\s-]?up\s+(?:for|to)\s+(?:our|the)\b
    | \bour\s+(?:free\s+)?(?:daily\s+|weekly\s+)?(?:newsletters?|e-?edition)\b
    | \bnewsletters?\W*$
    | \b(?:download|get)\s+(?:the|our)\s+(?:[\w-]+\s+){0,3}apps?\b
    | \bfollow\s+(?:us|[\w@.-]+(?:\s+[\w@.-]+){0,3}?)\s+on\s+
       (?:twitter|facebook|instagram|x|linkedin|tiktok|youtube|threads|bluesky)\b
    | ^\W*(?:never|don'?t)\s+miss\b
    | \bto\s+view\s+the\s+full\s+story\b
    | \balready\s+a\s+subscriber\b
    | \b(?:daily|weekly|monthly|free)\s+(?:e-?mail\s+)?newsletter\b
    | ^\W*join\s+the\s+(?:conversation|discussion|debate)\W*$
    | \b(?:this|our)\s+(?:web\s*)?site\s+uses\s+cookies\b
    """,
    re.IGNORECASE | re.VERBOSE,
)

# "Label: value" lines of page furniture, alone in their block.
_LABELS = (
    r"(?:news\s+)?date|published(?:\s+on)?|posted(?:\s+(?:on|in))?|updated(?:\s+on)?"
    r"|last\s+(?:modified|updated)|release\s+date|categor(?:y|ies)|tags?|tagged"
    r"|filed\s+under|topics?|credits?|photo(?:\s+credit)?|image(?:\s+credit)?|source"
    r"|written\s+by|edited\s+by|reporting\s+by|media\s+contacts?|reading\s+time"
)
# The value may hold a time ("Published: 10:00am, 20 Jan, 2020") but no sentence.
_LABEL_LINE = re.compile(
    rf"^(?:(?:{_LABELS})\s*:\s*(?:[^:.!?]|(?<=\d)[:.](?=\d)){{0,80}}?\s*)+$", re.IGNORECASE
)

# A date (and time) alone in its block.
_DATE_WORDS = frozenset(
    """latest last update january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday
    thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun am pm a m p
    gmt utc bst est edt cst cdt pst pdt cet cest ist st nd rd th at on updated published
    posted""".split()
)
_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d|\d\s+(?:jan|feb|mar"
    r"|apr|may|jun|jul|aug|sep|oct|nov|dec)|^\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b"
    r"|^\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+")

# Image captions: a picture's position, or a photo credit ending the block.
_CAPTION = re.compile(
    r"""[A-Z][\w.'’-]+\s+\((?:(?:far|second|third|front|back|top|bottom)[\s-]+)?
         (?:left|right|centre|center|l-r|from\s+(?:left|right)|pictured|inset)\)
    | ^\W*(?:pictured|inset|file\s+photo)\s*:
    | \b(?:photo|picture|image|photograph)(?:\s+credit)?\s*(?::|by)\s*[^.!?]{0,60}\)?\W*$
    | \bgetty\s+images\W*$
    | \b(?:AP|AFP|EPA|PA)\s+(?:photo|images)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
# A credit ending a short block, or alone: "... in Las Croabas. By U.S. CUSTOMS AND
# BORDER PROTECTION" (case matters: "by" inside a sentence is not a credit).
_CREDIT = re.compile(
    r"(?:^|[.!?]\s+)By\s+[A-Z][\w.'’&-]*(?:\s+(?:[A-Z][\w.'’&-]*|and|of|the|for)){0,6}\s*$"
)
_CAPTION_MAX = 400

# A site's name alone ("BVINEWS.COM").
# Generic endings or "co.uk"-style pairs only: "advice.el", "a.py" are file names.
_BARE_DOMAIN = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:[a-z0-9-]+\.)+(?:com|org|net|news|info|tv|gov|edu"
    r"|(?:co|com|org|gov|net)\.[a-z]{2})/?$",
    re.IGNORECASE,
)

# Headings that open a block of links to other pages; everything under one goes.
_RELATED_HEADING = re.compile(
    r"""^\W*(?:related(?:\s+\w+){0,2}
    | more\s+(?:from|on|in|about|like\s+this|stories|news|articles|to\s+read|coverage)\b.*
    | you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in)
    | recommended(?:\s+\w+){0,3} | see\s+also | also\s+(?:read|see)\b.* | read\s+(?:more|next|also)
    | what\s+to\s+read\s+next | most\s+(?:read|popular|viewed|shared)(?:\s+\w+){0,2}
    | trending(?:\s+now)? | popular\s+(?:now|stories|posts|articles)
    | latest\s+(?:news|stories|posts|articles|videos) | top\s+stories | editor'?s\s+picks?
    | look\s+at\s+other\s+\w+ | other\s+(?:stories|articles|news|posts)
    | in\s+case\s+you\s+missed\s+it | for\s+more\s+(?:on|about)\b.*)\W*$""",
    re.IGNORECASE | re.VERBOSE,
)
# "Read more: <headline>", "RELATED: <headline>" lines inside the article.
_READ_MORE_LINE = re.compile(
    r"^\W*(?:read\s+(?:more|also|next)|related(?:\s+\w+)?|see\s+also|also\s+read|more"
    r"|recommended|watch|listen)\s*[:|>»]",
    re.IGNORECASE,
)
_READ_MORE_MAX = 250

# "About <Company>" boxes (press releases, sponsors): a title-case heading and its text.
_ABOUT_HEADING = re.compile(
    r"^About\s+(?:the\s+authors?|us|[A-Z0-9][\w&.'’-]*(?:\s+(?:[A-Z0-9&][\w&.'’()-]*|of|and|by|for|the|de|in)){0,7})\s*:?$"
)

_SENTENCE_END = '.!?"”’'

# A list item that is all link, with no full stop: one entry of a list of other pages.
_LINK_ITEM_SHARE = 0.9

# A web address alone in its block: a pasted source link, an embed's URL.
_URL_LINE = re.compile(r"^(?:https?://\S+|(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*)$", re.I)
_URL_MAX = 300

# Notes about the page rather than the news: a journal's back matter on its authors
# and editors. (Kept: an editor's dated "Update: added ..." note, which the real pages'
# labels count as body, and Science X's "Citation: <headline> ... retrieved ... from
# <url>" line, the only place the headline, a check-worthy claim, is in the text.)
_PAGE_NOTE = re.compile(
    r"""^(?:corresponding\s+authors?|(?:current\s+)?authors?[’']?\s+addresses
        |editors?[’']?\s+disclosures|requests?\s+for\s+(?:single\s+)?reprints)\s*:
    """,
    re.IGNORECASE | re.VERBOSE,
)
_PAGE_NOTE_MAX = 1500

# Rights lines: "© 2019 Science X Network", "Excerpted from ... Used with permission of
# ... All rights reserved."
# Only at the start or the end of the block: "the photos were used with permission" is news.
_RIGHTS = re.compile(
    r"""^\W*(?:©|\(c\)\s*\d|copyright\s+(?:©|\(c\)|\d{4}))
    | ^\W*(?:(?:excerpted|reprinted|reproduced)\s+(?:from|with|by)\b|used\s+with\s+permission\b)
    | \ball\s+rights\s+reserved\W*$""",
    re.IGNORECASE | re.VERBOSE,
)
_RIGHTS_MAX = 400

# A teaser cut short with a link to the rest: "... the Board of the Natural Resources
# Fund. Yet, the... more".
_CUT_TEASER = re.compile(
    r"(?:\.\.\.|…)\s*\(?(?:more|read\s+more|continue\s+reading|full\s+story)\)?\W*$",
    re.IGNORECASE,
)
_CUT_TEASER_MAX = 400

# A byline or date label left without its value: "Posted on", "Written by".
_BARE_LABEL = re.compile(
    r"^\W*(?:posted|published|updated|written|reported|filed)(?:\s+(?:on|in|by|at|under))?\W*$",
    re.IGNORECASE,
)
_SECTION_LINK_SHARE = 0.3

# A teaser: a block that is (almost) all one link, of a headline's length.
_TEASER_LINK_SHARE = 0.8
_TEASER_MIN_WORDS = 4


def is_teaser(text: str, link_chars: int) -> bool:
    """A headline-like block that is (almost) all link; headlines end without a full stop."""
    return (
        link_chars >= _TEASER_LINK_SHARE * len(text)
        and len(text.split()) >= _TEASER_MIN_WORDS
        and text[-1:] not in _SENTENCE_END
    )


def _is_date_line(text: str) -> bool:
    if len(text) > 60 or not _MONTH.search(text):
        return False
    return all(word.lower() in _DATE_WORDS for word in _WORD.findall(text))


class PageJunk:
    """Judges each finished block of body text; remembers an open related-links section."""

    def __init__(self) -> None:
        self.in_section = False

    def judge(self, text: str, heading: bool, link_share: float = 0.0, item: bool = False) -> str:
        """``DROP`` if the block ``text`` (stripped) is junk, ``ABOUT`` if it opens an
        "About <Company>" box, ``LINK_ITEM`` if it is a list item that is all link,
        else ``KEEP``; ``heading``: the block was an h1–h6; ``link_share``: the share of
        its characters inside links; ``item``: the block was a list item (<li>).

        An About box is junk only at the end of the article (the builder cuts it there
        unless another heading follows): "About Python" can also open an explainer.
        """
        if heading:
            self.in_section = False
        if self.in_section:
            # A list of links or of teasers goes on; a paragraph of prose ends it.
            if link_share >= _SECTION_LINK_SHARE or text[-1:] not in _SENTENCE_END:
                return DROP
            self.in_section = False
        short = len(text) <= 80 and text[-1:] not in '.!?"”'
        if heading or short:
            if _RELATED_HEADING.match(text):
                self.in_section = True
                return DROP
            if _ABOUT_HEADING.match(text):
                return ABOUT
        if len(text) <= _PROMO_MAX and _PROMO.search(text):
            return DROP
        if len(text) <= _READ_MORE_MAX and _READ_MORE_LINE.match(text):
            return DROP
        if len(text) <= _CAPTION_MAX and (_CAPTION.search(text) or _CREDIT.search(text)):
            return DROP
        if _LABEL_LINE.match(text) or _BARE_DOMAIN.match(text) or _is_date_line(text):
            return DROP
        if len(text) <= _URL_MAX and _URL_LINE.match(text):
            return DROP
        if len(text) <= _PAGE_NOTE_MAX and _PAGE_NOTE.match(text):
            return DROP
        if len(text) <= _RIGHTS_MAX and _RIGHTS.search(text):
            return DROP
        if len(text) <= _CUT_TEASER_MAX and _CUT_TEASER.search(text):
            return DROP
        if _BARE_LABEL.match(text):
            return DROP
        if item and link_share >= _LINK_ITEM_SHARE and text[-1:] not in _SENTENCE_END:
            return LINK_ITEM
        return KEEP


# Parts of the page a reader never sees as the article, by markup alone: whatever the
# page hides (the ``hidden`` attribute, ``aria-hidden``) or shows only as a pop-up
# (``role="dialog"``, ``aria-modal``): menus, sign-up and cookie pop-ups, lightboxes, a
# whole other story saved inside a modal. ``display: none`` is not among them:
# galleries and code blocks that scripts reveal use it. Nor is <figcaption>: the
# real pages' labels count a caption as body as often as chrome.
# XPath only finds elements carrying the attributes (a third faster than testing their
# values there); the values are tested in Python on the few it finds.
_CANDIDATES = etree.XPath("//*[@hidden or @aria-hidden or @aria-modal or @role]")
_POP_UP_ROLES = frozenset(("dialog", "alertdialog"))


def _is_unseen(attrib) -> bool:
    return (
        "hidden" in attrib
        or attrib.get("aria-hidden", "").strip().lower() == "true"
        or attrib.get("aria-modal", "").strip().lower() == "true"
        or attrib.get("role", "").strip().lower() in _POP_UP_ROLES
    )


# Inline elements are left alone: a hidden separator or icon inside a line, whose
# removal would glue the words either side of it.
_INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big cite code del dfn em font i ins kbd mark q s samp small span "
    "strike strong sub sup time tt u var br wbr img".split()
)
# A page saved while a pop-up was open may mark the article itself aria-hidden.
_HOLDS_ARTICLE = etree.XPath("boolean(descendant::h1 | descendant::article | descendant::main)")
_NEVER_UNSEEN = frozenset(("html", "body", "main", "article"))


def drop_unseen(tree) -> None:
    """Remove, in place, the hidden and pop-up elements of an lxml.html ``tree``,
    keeping the text that follows each one (its tail). One XPath pass over the tree."""
    for element in _CANDIDATES(tree):
        tag = element.tag
        if tag in _INLINE_TAGS or tag in _NEVER_UNSEEN or element.getparent() is None:
            continue
        if not _is_unseen(element.attrib):
            continue
        if _HOLDS_ARTICLE(element):
            continue
        element.drop_tree()
