"""
An identity provider assembled from Debian's packages, none of it written for authmatrix:
Django's own login page (the admin's sign-in form), django-otp's token check for accounts that
have an authenticator (and only those), django-oauth-toolkit's authorization, consent ("Authorize
Example SPA?") and OpenID Connect token endpoint, and django-cors-headers. This file only wires
them together: settings, URLs, the accounts and the client registration, and one middleware
(StepToasts) that confirms each accepted step with a success toast, as some providers do.

    /usr/bin/python3 examples/django-idp/idp.py PORT APP_ORIGIN ACCOUNTS_JSON [FAULTS]

Serves http://127.0.0.1:PORT (issuer http://127.0.0.1:PORT/o) with an in-process SQLite database
in a temporary folder, and prints one `{"event": "django-idp.ready", ...}` line when it answers.
FAULTS may be `outlook-invalid-grant`: the token endpoint then answers invalid_grant for
Outlook-family addresses. With BROKER_REDIRECT_URI and BROKER_CLIENT_SECRET set, a broker that
federates to this provider (authmatrix's lab, LAB_UPSTREAMS) is registered as the confidential
client `authmatrix-broker`.
"""

import base64
import binascii
import json
import os
import sys
import tempfile
import threading

PORT = int(sys.argv[1])
APP_ORIGIN = sys.argv[2]
ACCOUNTS_FILE = sys.argv[3]
FAULTS = set(filter(None, (sys.argv[4] if len(sys.argv) > 4 else "").split(",")))
# A broker to register as a confidential client, when one federates to this provider.
BROKER_REDIRECT_URI = os.environ.get("BROKER_REDIRECT_URI", "")
BROKER_CLIENT_SECRET = os.environ.get("BROKER_CLIENT_SECRET", "")
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = tempfile.mkdtemp(prefix="authmatrix-django-idp-")
ISSUER = f"http://127.0.0.1:{PORT}/o"
OUTLOOK_DOMAINS = {"outlook.com", "hotmail.com", "live.com"}

from jwcrypto import jwk  # noqa: E402

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    DEBUG=True,
    SECRET_KEY=base64.b64encode(os.urandom(32)).decode(),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.admin",
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
        "django.contrib.staticfiles",
        "django_otp",
        "django_otp.plugins.otp_totp",
        "oauth2_provider",
        "corsheaders",
    ],
    MIDDLEWARE=[
        f"{__name__}.OneRequestAtATime",
        "corsheaders.middleware.CorsMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django_otp.middleware.OTPMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        f"{__name__}.StepToasts",
        f"{__name__}.OutlookInvalidGrant",
    ],
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [os.path.join(HERE, "templates")],
            "APP_DIRS": True,
            "OPTIONS": {
                "context_processors": [
                    "django.template.context_processors.request",
                    "django.contrib.auth.context_processors.auth",
                    "django.contrib.messages.context_processors.messages",
                ]
            },
        }
    ],
    # Concurrent sign-ins write at once: SQLite in WAL mode, waiting for a lock rather than failing.
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.path.join(DATA, "idp.sqlite3"),
            "OPTIONS": {"timeout": 30},
        }
    },
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    # Example accounts on loopback: a fast hash keeps a sign-in's password check from dominating a
    # loaded CI machine (Django's own advice for test settings).
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    STATIC_URL="/static/",
    USE_TZ=True,
    LOGIN_URL="/accounts/login/",
    SESSION_COOKIE_NAME="sessionid",
    CORS_ALLOWED_ORIGINS=[APP_ORIGIN],
    CORS_URLS_REGEX=r"^/o/.*$",
    OAUTH2_PROVIDER={
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None).decode(),
        "OIDC_ISS_ENDPOINT": ISSUER,
        "PKCE_REQUIRED": True,
        "SCOPES": {"openid": "Sign you in", "email": "Your email address", "plan": "Your plan"},
        "DEFAULT_SCOPES": ["openid"],
        "OAUTH2_VALIDATOR_CLASS": f"{__name__}.ClaimsValidator",
    },
)
django.setup()

from django.contrib import admin, messages  # noqa: E402
from django.contrib.auth import views as auth_views  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402
from django_otp import user_has_device  # noqa: E402
from django_otp import views as otp_views  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from oauth2_provider.models import get_application_model  # noqa: E402
from oauth2_provider.oauth2_validators import OAuth2Validator  # noqa: E402
from oauth2_provider.views import AuthorizationView, ConnectDiscoveryInfoView  # noqa: E402
from django.contrib.auth.views import redirect_to_login  # noqa: E402
from django.db.backends.signals import connection_created  # noqa: E402


def use_wal(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")


connection_created.connect(use_wal)


class ClaimsValidator(OAuth2Validator):
    """The id_token carries the account's email address and its plan."""

    def get_additional_claims(self, request):
        user = request.user
        # The addresses are provisioned, not typed in by users: the provider vouches for them.
        return {"email": user.email, "email_verified": True, "plan": "plus" if user.groups.filter(name="plus").exists() else "free"}


class SecondFactorAuthorizationView(AuthorizationView):
    """Authorization, after django-otp's token check for an account that has an authenticator."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user_has_device(user) and not user.is_verified():
            return redirect_to_login(request.get_full_path(), reverse("otp-verify"))
        return super().dispatch(request, *args, **kwargs)


class OneRequestAtATime:
    """
    Handles one request at a time. The example keeps its data in SQLite, which takes one writer:
    two sign-ins writing at once (a session, a token) would have one fail with "database is
    locked". The server still accepts connections on many threads.
    """

    lock = threading.Lock()

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with self.lock:
            return self.get_response(request)


class StepToasts:
    """
    Always on, not a fault: models a provider that confirms each step with a toast. A login or
    token form accepted (its POST answered with a redirect) leaves a success message, which the
    next page shows as role=alert (templates/toast.html): "Authentication success" on the page
    after the password (the token check, or the consent), "Code verified. Authentication success"
    on the page after the code (the consent).
    """

    TOASTS = {"login": "Authentication success", "otp-verify": "Code verified. Authentication success"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        toast = self.TOASTS.get(match.url_name) if match else None
        if toast and request.method == "POST" and response.status_code == 302:
            messages.success(request, toast)
        return response


class OutlookInvalidGrant:
    """The `outlook-invalid-grant` fault: token responses for Outlook-family addresses become invalid_grant."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "outlook-invalid-grant" not in FAULTS or request.path != "/o/token/" or response.status_code != 200:
            return response
        id_token = json.loads(response.content).get("id_token", "")
        payload = id_token.split(".")[1] if id_token.count(".") == 2 else ""
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))) if payload else {}
        if claims.get("email", "").rsplit("@", 1)[-1].lower() not in OUTLOOK_DOMAINS:
            return response
        refused = JsonResponse(
            {"error": "invalid_grant", "error_description": "grant request is invalid (mailbox ownership could not be confirmed)"},
            status=400,
        )
        for header in ("Access-Control-Allow-Origin", "Vary"):
            if header in response:
                refused[header] = response[header]
        return refused


urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="admin/login.html", extra_context={"site_header": "Example identity provider"}),
        name="login",
    ),
    path("accounts/otp/", otp_views.LoginView.as_view(template_name="otp/verify.html"), name="otp-verify"),
    path("o/authorize/", SecondFactorAuthorizationView.as_view(), name="authorize"),
    # Discovery where OpenID Connect clients look for it, without the toolkit's trailing slash.
    path("o/.well-known/openid-configuration", ConnectDiscoveryInfoView.as_view()),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]


def provision() -> None:
    """Creates the database, the accounts (an authenticator for those with a TOTP secret) and the client."""
    call_command("migrate", verbosity=0, interactive=False)
    plus = Group.objects.create(name="plus")
    with open(ACCOUNTS_FILE, encoding="utf-8") as handle:
        accounts = json.load(handle)
    for account in accounts:
        user = User.objects.create_user(username=account["login"], email=account["email"], password=account["password"])
        if account["plan"] == "plus":
            user.groups.add(plus)
        if account["totpSecret"]:
            key = binascii.hexlify(base64.b32decode(account["totpSecret"])).decode()
            TOTPDevice.objects.create(user=user, name="authenticator", key=key, step=30, digits=6, tolerance=1, confirmed=True)
    Application = get_application_model()
    Application.objects.create(
        name="Example SPA",
        client_id="example-spa",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{APP_ORIGIN}/callback",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,
    )
    if BROKER_REDIRECT_URI:
        # A broker (authmatrix's lab) that federates to this provider: a confidential client.
        Application.objects.create(
            name="authmatrix",
            client_id="authmatrix-broker",
            client_secret=BROKER_CLIENT_SECRET,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=BROKER_REDIRECT_URI,
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=False,
        )


if __name__ == "__main__":
    provision()
    print(json.dumps({"event": "django-idp.ready", "issuer": ISSUER, "faults": sorted(FAULTS)}), flush=True)
    call_command("runserver", f"127.0.0.1:{PORT}", use_reloader=False, use_threading=True, verbosity=0)
