"""API tokens: expiring, stored hashed (django-rest-knox), listed and revoked by
their owner, and revoked when the password changes or the account is switched off.

- ``POST /api/auth/token/`` with ``username`` and ``password`` returns
  ``{"token", "expiry", "id"}``; the token is shown this once (only its digest
  is stored) and lasts API_TOKEN_TTL_HOURS.
- ``GET /api/auth/tokens/`` lists the caller's live tokens (``current`` marks the
  one making the request); ``DELETE /api/auth/tokens/<id>/`` revokes one.
- ``POST /api/auth/logout/`` revokes the token making the request,
  ``POST /api/auth/logoutall/`` all of the caller's tokens.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from knox.views import LoginView as KnoxLoginView
from knox.views import LogoutAllView as KnoxLogoutAllView
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    def validate(self, attrs):
        # authenticate() with the request, so django-axes counts and locks failures.
        user = authenticate(
            request=self.context["request"], username=attrs["username"], password=attrs["password"]
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                "Unable to log in with these credentials.", code="authorization"
            )
        attrs["user"] = user
        return attrs


TokenIssued = inline_serializer(
    "TokenIssued",
    {
        "token": serializers.CharField(),
        "expiry": serializers.DateTimeField(allow_null=True),
        "id": serializers.CharField(),
    },
)

TokenInfo = inline_serializer(
    "TokenInfo",
    {
        "id": serializers.CharField(),
        "created": serializers.DateTimeField(),
        "expiry": serializers.DateTimeField(allow_null=True),
        "current": serializers.BooleanField(),
    },
    many=True,
)


class TokenLoginView(KnoxLoginView):
    """Exchange a user name and password for an expiring API token."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = CredentialsSerializer

    @extend_schema(request=CredentialsSerializer, responses={200: TokenIssued})
    def post(self, request, format=None):
        credentials = CredentialsSerializer(data=request.data, context={"request": request})
        credentials.is_valid(raise_exception=True)
        request.user = credentials.validated_data["user"]
        return super().post(request, format=format)

    def get_post_response_data(self, request, token, instance):
        data = super().get_post_response_data(request, token, instance)
        data["id"] = instance.token_key
        return data


def _live_tokens(user):
    return AuthToken.objects.filter(user=user).filter(
        Q(expiry__gt=timezone.now()) | Q(expiry__isnull=True)
    )


class TokenListView(APIView):
    """The caller's live API tokens (never the tokens themselves)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: TokenInfo})
    def get(self, request):
        current = getattr(request.auth, "token_key", None)
        tokens = _live_tokens(request.user).order_by("-created")
        return Response(
            [
                {
                    "id": t.token_key,
                    "created": t.created,
                    "expiry": t.expiry,
                    "current": t.token_key == current,
                }
                for t in tokens
            ]
        )


class TokenRevokeView(APIView):
    """Revoke one of the caller's tokens."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request, token_id: str):
        deleted, _ = AuthToken.objects.filter(user=request.user, token_key=token_id).delete()
        if not deleted:
            return Response({"detail": "No such token.", "code": "not_found"}, status=404)
        return Response(status=204)


class TokenLogoutView(KnoxLogoutView):
    """Revoke the token making this request."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format=format)


class TokenLogoutAllView(KnoxLogoutAllView):
    """Revoke every token of the caller."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format=format)
