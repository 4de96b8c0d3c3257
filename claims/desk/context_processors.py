from django.conf import settings

from ..review import workflow


def roles(request):
    """The user's desk roles, and the organisation shown on every page."""
    org = {
        "organization_name": settings.FACTCHECK_ORGANIZATION_NAME,
        "organization_url": settings.FACTCHECK_ORGANIZATION_URL,
        "organization_logo_url": getattr(settings, "FACTCHECK_ORGANIZATION_LOGO_URL", ""),
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_editor": False, "is_reviewer": False, **org}
    return {"is_editor": workflow.is_editor(user), "is_reviewer": workflow.is_reviewer(user), **org}
