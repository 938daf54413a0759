"""Count SQL queries with Django's own hook, the way a page or command sees them."""

from django.db import connections


class QueryCounter:
    """Counts the queries run on every database connection while active.

    Uses ``connection.execute_wrapper``, so it counts with DEBUG off too, and
    keeps no SQL in memory (unlike ``connection.queries``).
    """

    def __init__(self):
        self.count = 0
        self._stacks = []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
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
