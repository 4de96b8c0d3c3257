"""Who may use the API: the desk (editors, reviewers, superusers) and no one else."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from ..review import workflow
from ..review.access import is_desk_user


class IsDeskUser(BasePermission):
    message = "You are not a member of the fact-checking desk."

    def has_permission(self, request, view):
        return is_desk_user(request.user)


class IsEditor(BasePermission):
    message = "Only editors can do this."

    def has_permission(self, request, view):
        return workflow.is_editor(request.user)


class CanSubmitArticles(BasePermission):
    """Reading articles is for the desk; submitting them is for editors (as on the web)."""

    message = "Only editors can submit articles."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return request.user.has_perm("claims.triage_claim")
