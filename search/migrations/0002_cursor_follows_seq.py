from django.db import migrations


class Migration(migrations.Migration):
    """The cursor now counts the audit log's ``seq`` (commit order); old ids equal their seq."""

    dependencies = [("search", "0001_index_cursor"), ("archive", "0007_audit_chain_and_access_log")]

    operations = [migrations.RenameField("indexcursor", "last_event_id", "last_seq")]
