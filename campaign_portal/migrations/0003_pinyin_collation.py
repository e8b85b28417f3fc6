from django.db import migrations


def create_pinyin_collation(apps, schema_editor):
    """PostgreSQL's ICU sorts Chinese by pinyin; SQLite gets its collation on each connection instead."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE COLLATION IF NOT EXISTS pinyin (provider = icu, locale = 'zh-u-co-pinyin')")


def drop_pinyin_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP COLLATION IF EXISTS pinyin")


class Migration(migrations.Migration):
    dependencies = [
        ("campaign_portal", "0002_axes_records_in_chinese"),
    ]

    operations = [
        migrations.RunPython(create_pinyin_collation, drop_pinyin_collation, elidable=False),
    ]
