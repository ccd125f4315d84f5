"""The audit log becomes a hash chain ordered by ``seq``; views and downloads get their own log."""

import datetime as dt
import hashlib
import json

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

GENESIS = "0" * 64


def _hash(seq, at, actor, action, target, details, prev_hash):
    # Frozen copy of archive.auditchain.event_hash as of this migration.
    when = at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    payload = json.dumps(
        [seq, when, actor, action, target, details, prev_hash], ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def chain_existing(apps, schema_editor):
    """Events written before the chain are chained as they stand, in the order they were written."""
    AuditEvent = apps.get_model("archive", "AuditEvent")
    prev = GENESIS
    for e in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        e.seq = e.id
        e.details = json.loads(json.dumps(e.details, ensure_ascii=False, default=str))
        e.prev_hash = prev
        e.hash = _hash(e.seq, e.at, e.actor, e.action, e.target, e.details, prev)
        e.save(update_fields=["seq", "details", "prev_hash", "hash"])
        prev = e.hash


class Migration(migrations.Migration):
    dependencies = [("archive", "0006_legacy_register")]

    operations = [
        migrations.AddField("auditevent", "seq", models.BigIntegerField(null=True)),
        migrations.AddField("auditevent", "prev_hash", models.CharField(max_length=64, default="")),
        migrations.AddField("auditevent", "hash", models.CharField(max_length=64, default="")),
        migrations.AlterField(
            "auditevent", "at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField("auditevent", "seq", models.BigIntegerField(unique=True)),
        migrations.AlterField("auditevent", "prev_hash", models.CharField(max_length=64)),
        migrations.AlterField("auditevent", "hash", models.CharField(max_length=64)),
        migrations.AlterModelOptions("auditevent", {"ordering": ["seq"]}),
        migrations.CreateModel(
            name="AccessSeal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(unique=True)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("count", models.PositiveIntegerField()),
                ("events_digest", models.CharField(max_length=64)),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64)),
            ],
            options={"ordering": ["seq"]},
        ),
        migrations.CreateModel(
            name="AccessEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ("actor", models.CharField(max_length=150)),
                ("action", models.CharField(max_length=48)),
                ("target", models.CharField(db_index=True, max_length=128)),
                ("details", models.JSONField(default=dict)),
                (
                    "seal",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="archive.accessseal",
                    ),
                ),
            ],
            options={"ordering": ["id"]},
        ),
    ]
