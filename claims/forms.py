from django import forms
from django.conf import settings


class SubmitArticleForm(forms.Form):
    html = forms.CharField(
        label="Paste the article's HTML", widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    file = forms.FileField(label="…or upload an HTML file", required=False)
    url = forms.URLField(label="…or give its URL", required=False, max_length=2000,
                         assume_scheme="https")

    def clean(self):
        data = super().clean()
        given = [k for k in ("html", "file", "url") if data.get(k)]
        if not given:
            raise forms.ValidationError("Paste HTML, upload a file, or give a URL.")
        if len(given) > 1 and not (set(given) == {"html", "url"}):
            raise forms.ValidationError("Give one of: pasted HTML, a file, or a URL.")
        upload = data.get("file")
        if upload and upload.size > settings.MAX_ARTICLE_BYTES:
            raise forms.ValidationError(
                f"The file is too large ({upload.size:,} bytes; the limit is "
                f"{settings.MAX_ARTICLE_BYTES:,})."
            )
        return data
