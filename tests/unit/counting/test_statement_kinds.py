from counting.statement_kinds import all_statement_kinds, statement_kind


def test_statements_are_counted_by_their_first_word():
    """SELECT, INSERT, UPDATE and DELETE, whatever the case or leading space."""
    assert statement_kind('SELECT "photos_photo"."id" FROM "photos_photo"') == "SELECT"
    assert statement_kind("  insert INTO t VALUES (1)") == "INSERT"
    assert statement_kind('UPDATE "easy_thumbnails_source" SET x = 1') == "UPDATE"
    assert statement_kind('DELETE FROM "easy_thumbnails_thumbnail"') == "DELETE"
    assert statement_kind("(SELECT 1) UNION (SELECT 2)") == "SELECT"


def test_transaction_control_is_counted_apart_keyword_by_keyword():
    """SQLite's BEGIN and the savepoints of nested atomic blocks are statements too."""
    assert statement_kind("BEGIN IMMEDIATE") == "BEGIN"
    assert statement_kind('SAVEPOINT "s1_x1"') == "SAVEPOINT"
    assert statement_kind('RELEASE SAVEPOINT "s1_x1"') == "RELEASE"
    assert statement_kind('ROLLBACK TO SAVEPOINT "s1_x1"') == "ROLLBACK"
    assert statement_kind("COMMIT") == "COMMIT"


def test_anything_else_is_other():
    assert statement_kind("PRAGMA foreign_keys = ON") == "other"
    assert statement_kind('CREATE TABLE "t" ("id" integer)') == "other"
    assert statement_kind("") == "other"


def test_every_kind_is_named_in_the_reports_order():
    assert all_statement_kinds({"BEGIN": 3, "SELECT": 5}) == {
        "SELECT": 5,
        "INSERT": 0,
        "UPDATE": 0,
        "DELETE": 0,
        "BEGIN": 3,
        "COMMIT": 0,
        "ROLLBACK": 0,
        "SAVEPOINT": 0,
        "RELEASE": 0,
        "other": 0,
    }
