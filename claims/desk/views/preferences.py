"""A desk user's own settings: the language the desk speaks to them."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...models import DeskPreference
from .. import language
from .common import require_desk_user


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the desk"),
        required=False,
        choices=[("", gettext_lazy("As my browser asks"))] + list(settings.LANGUAGES),
        help_text=gettext_lazy(
            "The desk and the e-mails it sends you use this language. Public pages use "
            "the site's publishing language."
        ),
    )


@login_required
def preferences(request):
    require_desk_user(request.user)
    current = DeskPreference.language_of(request.user.pk)
    form = LanguageForm(request.POST or None, initial={"language": current})
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["language"]
        DeskPreference.objects.update_or_create(user=request.user, defaults={"language": chosen})
        language.remember(request, chosen)
        # Answer in the language just chosen, not the one the form was sent in.
        translation.activate(chosen or translation.get_language_from_request(request))
        messages.success(request, _("Your language is saved."))
        return redirect("claims:preferences")
    return render(request, "claims/preferences.html", {"form": form})
