from django.urls import path
from gallery import views

urlpatterns = [
    path("", views.PictureList.as_view()),
    path("pictures.json", views.picture_thumbnails),
]
