"""The editor web app. Views are short: they read, or call submission and workflow.

Every change to a claim goes through ``claims.review.workflow``; every form that changes
a claim carries the ``version`` it was rendered with, so a change made by
someone else in the meantime is refused (``StaleClaim``) and the page comes back
with the user's input still in it.
"""

from .articles import article_detail, article_list, article_live, submit_article
from .claim import claim_act, claim_detail, evidence_download
from .desk import desk
from .lists import claim_list, claim_list_csv, my_queue

__all__ = [
    "article_detail",
    "article_list",
    "article_live",
    "claim_act",
    "claim_detail",
    "claim_list",
    "claim_list_csv",
    "desk",
    "evidence_download",
    "my_queue",
    "submit_article",
]
