"""The campaign workflow's pages: thin views that parse the request, call a service or selector and render.

`tasks` (the task list and the notifications), `board` (campaigns, their board, scope and targets), `report` (one
unit's report and its review), `extensions` (asking for and granting more time), `attachments` (a report's files).
"""
