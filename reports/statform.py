"""The Excel summary laid out as the official statistical form (统计表), with its further sheets."""


def filename(dashboard):
    raise NotImplementedError


def write_summary(file, dashboard, *, hard_cases, key_enterprises):
    raise NotImplementedError
