#!/usr/bin/env python
import os
import sys

# Commands that only read the code need no SECRET_KEY, so they run on a bare checkout (a
# migrations check in a hook or CI). Serving, migrating and the rest still require one.
CODE_ONLY_COMMANDS = {"makemigrations", "showmigrations", "help"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcc.settings")
    if len(sys.argv) > 1 and sys.argv[1] in CODE_ONLY_COMMANDS:
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
