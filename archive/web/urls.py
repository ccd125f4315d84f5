from django.urls import path

from archive.web import actions, inbox, letter, records, register, taxonomy

app_name = "archive"
N = "mail/<str:number>/"
urlpatterns = [
    path("register/", register.register_book, name="register"),
    path("register/export.csv", register.register_csv, name="register_csv"),
    path("register/print.pdf", register.register_print, name="register_print"),
    path(N, letter.letter_page, name="letter"),
    path(N + "original", letter.original, name="original"),
    path(N + "searchable", letter.searchable, name="searchable"),
    path(N + "page/<int:page>.png", letter.page_image, name="page_image"),
    path(N + "stamp/", letter.stamp, name="stamp"),
    path(N + "deposit/<int:k>", letter.deposit_file, name="deposit_file"),
    path(N + "route", actions.route, name="route"),
    path(N + "reassign", actions.reassign, name="reassign"),
    path(N + "assign", actions.assign, name="assign"),
    path(N + "status", actions.set_status, name="status"),
    path(N + "tags", actions.tags, name="tags"),
    path(N + "void", actions.void, name="void"),
    path(N + "confidential", actions.confidential, name="confidential"),
    path(N + "hold", records.hold, name="hold"),
    path("holds/", records.holds_page, name="holds"),
    path("transfers/", records.transfers_page, name="transfers"),
    path("tags/suggest", actions.tag_suggestions, name="tag_suggestions"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("overdue/", inbox.overdue, name="overdue"),
    path("figures/", inbox.figures, name="figures"),
    path("taxonomy/", taxonomy.taxonomy_page, name="taxonomy"),
]
