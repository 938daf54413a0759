"""Count SQL statements with Django's own hook, the way a page or command sees them."""

from django.db import connections

from counting.kinds import KindCounter
from counting.statement_kinds import statement_kind


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
