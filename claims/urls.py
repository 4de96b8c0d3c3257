from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("articles/", views.article_list, name="articles"),
    path("articles/new/", views.submit_article, name="submit"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
]
