from django.urls import path

from . import views
from .views import clusters as cluster_views
from .views import preferences as preference_views
from .views import sources as source_views
from .views import stats as stats_views
from .views import triage as triage_views

app_name = "claims"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("articles/", views.article_list, name="articles"),
    path("articles/new/", views.submit_article, name="submit"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("articles/<int:pk>/live/", views.article_live, name="article_live"),
    path("triage/", triage_views.triage_inbox, name="triage"),
    path("claims/", views.claim_list, name="claims"),
    path("claims/export.csv", views.claim_list_csv, name="claims_csv"),
    path("claims/mine/", views.my_queue, name="my_queue"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/act/<slug:action>/", views.claim_act, name="claim_act"),
    path("stats/", stats_views.stats, name="stats"),
    path("stats.csv", stats_views.stats_csv, name="stats_csv"),
    path("claims/<int:pk>/add-appearance/", cluster_views.add_appearance, name="add_appearance"),
    path("clusters/<int:pk>/", cluster_views.cluster_detail, name="cluster"),
    path("clusters/<int:pk>/act/<slug:action>/", cluster_views.cluster_act, name="cluster_act"),
    path("settings/", preference_views.preferences, name="preferences"),
    path("sources/", source_views.source_list, name="sources"),
    path("sources/<int:pk>/", source_views.source_detail, name="source"),
    path("sources/<int:pk>/poll/", source_views.source_poll, name="source_poll"),
    path(
        "claims/<int:pk>/evidence/<int:evidence_id>/download/",
        views.evidence_download,
        name="evidence_download",
    ),
]
