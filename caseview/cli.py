"""The `caseview` command: Django's management commands under the project's own name.

`caseview user create ...`, `caseview review create ...`, `caseview member add ...`, `caseview demo`,
`caseview newkey` (a new encryption key),
`caseview check --deploy`, `caseview migrate`, `caseview runserver` and the rest.
"""

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["newkey"]:
        # Before Django starts: production settings refuse to load until a key exists.
        from cryptography.fernet import Fernet

        print(Fernet.generate_key().decode())
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseview.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["caseview", *sys.argv[1:]])
    except ImproperlyConfigured as exc:
        print(f"caseview: {exc}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
