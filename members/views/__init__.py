"""The member rolls' pages: thin views over `members.services` and the scoped doors in `members.access`."""
