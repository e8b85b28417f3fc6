"""Messages in people's bells (and their email) about deadlines and reports."""


def notify_transition(submission, old_status, new_status):
    """Tell those concerned that a report changed status (called by the workflow's services)."""
