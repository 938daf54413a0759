from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "peers"

    def ready(self):
        from peers import library

        # django-imagekit finds generators by id: register them before any
        # page or command asks.
        library().ready()
