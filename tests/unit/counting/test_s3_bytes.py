from counting.s3_bytes import all_kinds, get_and_put


def test_get_is_what_gets_sent_and_put_what_puts_received():
    """A download's bytes are a GET response's body, an upload's a PUT request's;
    the XML bodies of the other operations are left out."""
    received = {"PUT": 2_300_000, "POST": 310, "GET": 0}
    sent = {"GET": 20_700_000, "PUT": 0, "LIST": 1_200, "DELETE": 0}

    assert get_and_put(received, sent) == {"get": 20_700_000, "put": 2_300_000}


def test_a_server_that_served_nothing_counts_zero_bytes():
    assert get_and_put({}, {}) == {"get": 0, "put": 0}


def test_both_kinds_are_named_zeros_included():
    assert all_kinds({"put": 5}) == {"get": 0, "put": 5}
    assert all_kinds({}) == {"get": 0, "put": 0}
