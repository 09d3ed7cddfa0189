"""Settings for the test suite: production settings with test keys, plain HTTP and a fast password hasher."""

import os

os.environ.setdefault("CASEVIEW_SECRET_KEY", "test-secret-key-" + "t" * 40)
os.environ.setdefault("CASEVIEW_ENCRYPTION_KEYS", "QNdMaSn3riIcdh98eBpweptHQmicLkUlXAuodh46KJ4=")
os.environ.setdefault("CASEVIEW_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("CASEVIEW_HTTPS", "0")
os.environ.setdefault("CASEVIEW_SQLITE_PATH", ":memory:")
os.environ.setdefault("CASEVIEW_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

from caseview.settings import *  # noqa: F403

# Argon2 is what production uses (tests in accounts check it); most tests only need passwords to work quickly.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise warns (and warnings fail) without it
