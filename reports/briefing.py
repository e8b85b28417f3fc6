"""The briefing (情况通报) for a chosen date: a printable page and a .docx."""


def context(dashboard):
    raise NotImplementedError


def filename(dashboard):
    raise NotImplementedError


def write_docx(file, dashboard, context):
    raise NotImplementedError
