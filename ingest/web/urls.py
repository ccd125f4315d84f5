from django.urls import path

from ingest.web import intake, review

app_name = "ingest"
urlpatterns = [
    path("intake/", intake.intake_page, name="intake"),
    path("intake/upload", intake.upload, name="upload"),
    path("intake/tasks/", intake.tasks_partial, name="tasks"),
    path("review/", review.review_list, name="review"),
    path("review/bulk", review.review_bulk, name="review_bulk"),
    path("review/<str:number>/", review.review_letter, name="review_letter"),
]
