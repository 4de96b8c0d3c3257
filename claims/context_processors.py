from . import workflow


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_editor": False, "is_reviewer": False}
    return {"is_editor": workflow.is_editor(user), "is_reviewer": workflow.is_reviewer(user)}
