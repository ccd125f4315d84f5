from django.urls import path

from signing.web import views

app_name = "signing"
urlpatterns = [
    path("outgoing/", views.outgoing_list, name="outgoing"),
    path("outgoing/<int:draft_id>/", views.draft_page, name="draft"),
    path("outgoing/<int:draft_id>/pdf", views.draft_pdf, name="draft_pdf"),
    path("outgoing/<int:draft_id>/visa", views.visa, name="visa"),
    path("outgoing/<int:draft_id>/sign", views.sign, name="sign"),
    path("mail/<str:number>/reply", views.reply, name="reply"),
]
