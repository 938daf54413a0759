"""easy-thumbnails' own test suite, run as shipped and again with the fix in place."""
