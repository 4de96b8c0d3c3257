"""Pick real same-topic pairs: within each article of news-en/sentences.jsonl, the two
check-worthy sentences sharing the most content words, twice per article. The output
(same_topic.tsv) was then read and labelled by hand (see README.md)."""

import itertools
import json
import re
import sys
from pathlib import Path

STOP = set(
    "the a an of to in and for on that with was is are were by at as it from has have had be this".split()
)
src = Path(
    sys.argv[1]
    if len(sys.argv) > 1
    else "/work/shared/data/checkworthiness/news-en/sentences.jsonl"
)
rows = [json.loads(line) for line in src.open()]
by_article = {}
for r in rows:
    if r["checkworthy"] and 40 < len(r["text"]) < 300:
        by_article.setdefault(r["article"], []).append(r["text"])


def words(t):
    return {w for w in re.findall(r"[a-z]+", t.lower()) if w not in STOP and len(w) > 2}


print("article\tlabel\tkind\ta\tb")
for article, texts in sorted(by_article.items()):
    scored = sorted(
        ((len(words(a) & words(b)), a, b) for a, b in itertools.combinations(texts, 2)),
        reverse=True,
    )
    used = set()
    n = 0
    for score, a, b in scored:
        if score < 3 or a in used or b in used:
            continue
        used |= {a, b}
        print(f"{article}\tdifferent\tsame_topic\t{a}\t{b}")
        n += 1
        if n == 2:
            break
