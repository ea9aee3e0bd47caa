"""What reads, issues and waives credentials: the vocabulary `semantics.fastapi` judges a
route's security by (security schemes, token decoders, 401/403 refusals, DI markers,
routes public by design), kept apart from the FastAPI index that applies it."""

from __future__ import annotations

import re

from hexcheck.core.facts import CallFact, Expr, ExprKind
from hexcheck.semantics.roles import ClassRef, Roles

# Security schemes of fastapi.security, by name, for first-party subclasses and lookalikes.
SCHEME_NAME = re.compile(r"OAuth2|Bearer|APIKey|ApiKey|HTTPBasic|HTTPDigest|OpenIdConnect")
WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
# Words that make a dependency, or a call in a handler, an authentication or
# authorization check: `get_current_user`, `require_admin`, `PermissionsDependency`...
AUTH_WORDS = frozenset(
    {
        "auth", "authn", "authz", "authenticate", "authenticated", "authentication",
        "authorize", "authorized", "authorization", "permission", "permissions",
        "token", "jwt", "apikey", "credentials", "security", "secure", "secured", "verify",
        "verified", "scopes", "guard", "protected", "principal", "bearer", "oauth",
        "oauth2", "require", "requires", "admin", "login", "signed", "signature", "verifier",
        "hmac",
    }
)  # fmt: skip


# `get_current_user`, `current_active_account`, `CurrentUser`: who is calling.
CURRENT_PRINCIPAL = re.compile(
    r"current_?(active_?)?(user|account|member|principal|identity|admin|client|subject|"
    r"tenant|owner|staff|employee|customer|operator|person|profile)"
)


# DI frameworks' markers for an injected value: dependency-injector's `Provide[...]`,
# dishka's `FromDishka[...]`.
DI_MARKERS = frozenset(
    {
        "dependency_injector.wiring.Provide", "dependency_injector.wiring.Provider",
        "dishka.FromDishka", "dishka.integrations.fastapi.FromDishka",
    }
)  # fmt: skip
DISHKA_MARKERS = frozenset({"dishka.FromDishka", "dishka.integrations.fastapi.FromDishka"})
CONTAINER_BASES = frozenset(
    {"dependency_injector.containers.DeclarativeContainer", "dependency_injector.containers.Container"}
)
# How deep a check is followed through first-party helpers.
HELPER_DEPTH = 3

# Packages whose calls decode or verify a token, a session or a signature.
CREDENTIAL_PACKAGES = frozenset({"jwt", "jose", "authlib", "itsdangerous", "paseto", "hmac"})
CREDENTIAL_CALLS = frozenset(
    {
        "decode_token", "decode_jwt", "verify_jwt", "verify_token", "verify_id_token",
        "verify_access_token", "verify_signature", "compare_digest", "construct_event",
        "validate_token",
    }
)  # fmt: skip
# Calls whose names carry auth words but check nothing (a CORS setting, a hash helper).
NOT_A_CHECK = ("fastapi.middleware.cors", "starlette.middleware.cors", "passlib")
# Exceptions that refuse a caller: what a check raises, by the status they stand for.
REFUSALS = re.compile(
    r"Unauthori[sz]ed|Forbidden|NotAuthenticated|Unauthenticated|PermissionDenied|"
    r"AuthenticationError|AuthenticationFailed|InvalidToken|InvalidCredentials|"
    r"ExpiredSignature|InvalidSignature|AccessDenied"
)
REFUSAL_STATUS = re.compile(r"\b40[13]\b|HTTP_40[13]|UNAUTHORIZED|FORBIDDEN")
# Library middlewares that authenticate every request.
AUTH_MIDDLEWARES = frozenset(
    {
        "starlette.middleware.authentication.AuthenticationMiddleware",
        "fastapi.middleware.authentication.AuthenticationMiddleware",
    }
)  # fmt: skip


# Words in a route's name or path that say it is public by design: signing up, logging in,
# webhooks. A name is a claim, not evidence: such routes are counted (`public_by_name`).
PUBLIC_ROUTE_WORDS = (
    "login", "logout", "signin", "signup", "register", "registration", "token", "oauth",
    "callback", "webhook", "forgotpassword",
)  # fmt: skip
LOGIN_FORMS = frozenset(
    {"fastapi.security.OAuth2PasswordRequestForm", "fastapi.security.OAuth2PasswordRequestFormStrict"}
)
# Calls that issue a token.
TOKEN_ISSUERS = frozenset({"encode", "create_access_token", "create_refresh_token", "issue_token"})


def words(name: str) -> tuple[str, ...]:
    """`get_current_user` -> (get, current, user); `PermissionsDependency` -> (permissions, ...)."""
    return tuple(word.lower() for word in WORD.findall(name.rpartition(".")[2]))


def is_auth_name(name: str) -> bool:
    last = name.rpartition(".")[2]
    if CURRENT_PRINCIPAL.search(last.lower()):
        return True
    return any(word in AUTH_WORDS or word.startswith("auth") for word in words(last))


def di_marker(expr: Expr | None, annotation: Expr | None = None) -> Expr | None:
    """The DI framework's marker a parameter or attribute is injected with: its default
    (`= Provide[...]`), or its annotation (dishka's `member: FromDishka[Member]`); None."""
    for each in (expr, annotation):
        if each is not None and each.kind is ExprKind.SUBSCRIPT and each.name in DI_MARKERS:
            return each
    return None


def is_container(r: Roles, ref: ClassRef) -> bool:
    return bool(set(r.ancestors(ref)) & CONTAINER_BASES)


def refusal(exception: str) -> bool:
    """An exception that refuses a caller (`Unauthorized`, `PermissionDenied`)."""
    return bool(REFUSALS.search(exception.rpartition(".")[2]))


def decodes_credentials(callee: str) -> bool:
    """`jwt.decode(...)`, `hmac.compare_digest(...)`, `auth.verify_id_token(...)`."""
    return callee.partition(".")[0] in CREDENTIAL_PACKAGES or callee.rpartition(".")[2] in CREDENTIAL_CALLS


def answers_401_or_403(call: CallFact) -> bool:
    """`HTTPException(status_code=401)`, `JSONResponse(status_code=status.HTTP_403_FORBIDDEN)`."""
    values = (*call.args, *(value for _, value in call.keywords))
    return any(
        bool(REFUSAL_STATUS.search(value.name)) or any(REFUSAL_STATUS.search(n) for n in value.names())
        for value in values
    ) or refusal(call.callee)
