from django.urls import path

from peers.views import index

urlpatterns = [path("", index, name="peers-index")]
