"""The refusals of the campaign services, each with a message fit to show the user."""


class WorkflowError(Exception):
    """A refused action, with a message fit to show the user."""


class AlreadyHandled(WorkflowError):
    pass
