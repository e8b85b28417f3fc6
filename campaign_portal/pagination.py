"""A paginator told its count instead of counting: for lists whose count comes from tallies or stops at a cap."""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """`count` as given; `capped` says it is a floor (the list holds at least that many, and only that many are
    paged through), which the pagination partial and the lists say in words."""

    def __init__(self, object_list, per_page, *, count, capped=False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count
        self.capped = capped
