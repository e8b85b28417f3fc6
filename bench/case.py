"""One benchmark case in a process of its own, so that its peak memory is its own.

    python bench/case.py <case> <rows>

prints one JSON line: name, database, rows, seconds, peak_mb. The database is the one
DATABASE_URL names; bench/run.py prepares it and runs every case against it.

Adding a case: write a function taking the number of rows and returning the seconds the
measured work took (set-up excluded), and register it in CASES. To compare it with a stock
path, register that too and name the pair in BASELINES: run.py then reports the speedup.
The import cases ("import_preview_commit" and "import_stock") belong here; a workbook
written by export_xlsx is a ready input for them.
"""

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _registry(rows):
    """The first `rows` enterprises, in the order the list shows a reviewer by default."""
    from enterprises.models import Enterprise

    return Enterprise.objects.order_by("name", "pk")[:rows]


def export_xlsx(rows):
    """Our path: the row generator and openpyxl's write-only workbook, to a temporary file as the view does."""
    from enterprises.exports import write_xlsx

    queryset = _registry(rows)
    with tempfile.TemporaryFile() as file:
        start = time.perf_counter()
        write_xlsx(queryset, file)
        return time.perf_counter() - start


def export_xlsx_stock(rows):
    """django-import-export's stock path: a default ModelResource, then tablib's xlsx."""
    from import_export.resources import ModelResource

    from enterprises.models import Enterprise

    class EnterpriseResource(ModelResource):
        class Meta:
            model = Enterprise

    queryset = _registry(rows)
    with tempfile.TemporaryFile() as file:
        start = time.perf_counter()
        dataset = EnterpriseResource().export(queryset)
        file.write(dataset.export("xlsx"))
        return time.perf_counter() - start


def export_csv(rows):
    """Our CSV path: the same rows, in the pieces the streaming response sends."""
    from enterprises.exports import csv_chunks

    queryset = _registry(rows)
    with tempfile.TemporaryFile() as file:
        start = time.perf_counter()
        for chunk in csv_chunks(queryset):
            file.write(chunk)
        return time.perf_counter() - start


CASES = {
    "export_xlsx_stock": export_xlsx_stock,
    "export_xlsx": export_xlsx,
    "export_csv": export_csv,
}
# case → the stock path it is measured against (run before it).
BASELINES = {"export_xlsx": "export_xlsx_stock"}


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign_portal.settings")
    import django

    django.setup()


def peak_mb():
    """This process's peak resident memory (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(name, rows):
    setup_django()
    from django.db import connection

    seconds = CASES[name](rows)
    result = {
        "name": name,
        "database": connection.vendor,
        "rows": rows,
        "seconds": round(seconds, 2),
        "peak_mb": round(peak_mb(), 1),
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
