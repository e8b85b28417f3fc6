import time

from django.core.management.base import BaseCommand

from enterprises.demo import create_enterprises


class Command(BaseCommand):
    help = "Add N generated enterprises with valid credit codes (for benchmarks and load tests)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, count, seed, **options):
        started = time.perf_counter()
        created = create_enterprises(count, seed=seed)
        self.stdout.write(f"{created} enterprises added in {time.perf_counter() - started:.1f} s.")
