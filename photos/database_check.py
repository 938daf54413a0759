"""Tell a user, in one line, when the site's database was never migrated.

Asked only once a query has failed, so that a command or a page that works
costs not one query more.
"""

import functools

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor


def unapplied_migrations_message(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """What to do when the database lacks migrations, or None when it has them all."""
    connection = connections[using]
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        # Not even the migration table can be read: another kind of failure,
        # told as it is by whatever raised it.
        return None
    if not plan:
        return None
    apps = ", ".join(sorted({migration.app_label for migration, _ in plan}))
    return (
        f"The database {connection.settings_dict['NAME']} lacks the tables of "
        f"{apps}: run `make migrate` "
        "(or manage.py migrate with the same DATABASE_URL)."
    )


def tells_unmigrated_database(handle):
    """A command's handle() whose database error, on a database never migrated,
    is the one line that says to migrate, not a traceback."""

    @functools.wraps(handle)
    def handling(*args, **options):
        try:
            return handle(*args, **options)
        except DatabaseError:
            message = unapplied_migrations_message()
            if message is None:
                raise
            raise CommandError(message) from None

    return handling
