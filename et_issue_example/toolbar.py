"""Where the debug toolbar shows: the site's pages, not the admin's.

The toolbar is there for the SQL of the index page, as in 2013. On the
admin's pages its handle, fixed at the window's right edge, lies over the
change list's last column; the admin's own queries are not the issue's.
"""

from debug_toolbar.middleware import show_toolbar as shown_to_internal_ips
from django.urls import reverse


def show_toolbar(request) -> bool:
    return shown_to_internal_ips(request) and not request.path.startswith(
        reverse("admin:index")
    )
