"""How an SQL statement is counted: by its kind, read off its first word."""

# The kinds a statement is counted as, in the order reports show them.
STATEMENT_KINDS = ["SELECT", "INSERT", "UPDATE", "DELETE"]
# Transaction control, each keyword its own kind: SQLite's BEGIN (Django's
# "BEGIN IMMEDIATE" with the settings' transaction mode) is a statement, and
# atomic blocks inside others are savepoints.
TRANSACTION_KINDS = ["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"]
OTHER_KIND = "other"


def all_statement_kinds(counts: dict[str, int]) -> dict[str, int]:
    """Every kind named, zeros included, in the reports' order."""
    kinds = [*STATEMENT_KINDS, *TRANSACTION_KINDS, OTHER_KIND]
    return {kind: counts.get(kind, 0) for kind in kinds}


def statement_kind(sql: str) -> str:
    """SELECT, INSERT, UPDATE, DELETE, a transaction control keyword, or other."""
    words = str(sql).lstrip(" \n\t(").split(None, 1)
    keyword = words[0].upper() if words else ""
    if keyword in STATEMENT_KINDS or keyword in TRANSACTION_KINDS:
        return keyword
    return OTHER_KIND
