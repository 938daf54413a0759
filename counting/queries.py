"""Count SQL statements with Django's own hook, the way a page or command sees them."""

from django.db import connections

from counting.kinds import KindCounter

# The kinds a statement is counted as, in the order reports show them.
STATEMENT_KINDS = ["SELECT", "INSERT", "UPDATE", "DELETE"]
# Transaction control, each keyword its own kind: SQLite's BEGIN (Django's
# "BEGIN IMMEDIATE" with the settings' transaction mode) is a statement, and
# atomic blocks inside others are savepoints.
TRANSACTION_KINDS = ["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"]
OTHER_KIND = "other"


def statement_kind(sql: str) -> str:
    """SELECT, INSERT, UPDATE, DELETE, a transaction control keyword, or other."""
    keyword = sql.lstrip(" \n\t(").split(None, 1)[0].upper() if sql.strip() else ""
    if keyword in STATEMENT_KINDS or keyword in TRANSACTION_KINDS:
        return keyword
    return OTHER_KIND


class QueryCounter(KindCounter):
    """Counts the statements run on every database connection while active,
    by kind (statement_kind); count is all of them.

    Uses ``connection.execute_wrapper``, so it counts with DEBUG off too, and
    keeps no SQL in memory (unlike ``connection.queries``).
    """

    def __init__(self):
        super().__init__()
        self._stacks = []

    def __call__(self, execute, sql, params, many, context):
        self.add(statement_kind(sql))
        return execute(sql, params, many, context)

    def __enter__(self):
        for connection in connections.all():
            wrapper = connection.execute_wrapper(self)
            wrapper.__enter__()
            self._stacks.append(wrapper)
        return self

    def __exit__(self, *exc_info):
        while self._stacks:
            self._stacks.pop().__exit__(*exc_info)
